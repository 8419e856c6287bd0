"""Reading the answer to the danger question, and what an unconfirmed danger does to a case."""

from __future__ import annotations

import pytest

from bot.safety.danger_question import read_answer
from bot.safety.risk import assess_risk


@pytest.mark.parametrize(
    "text", ["yes", "YES!", "Yeah", "yep he is", "1", "aye", "yes please hurry", "y", "one"]
)
def test_yes(text: str) -> None:
    assert read_answer(text) == "yes"


@pytest.mark.parametrize(
    "text", ["no", "No.", "nope", "nah we're ok", "2", "not right now", "nobody", "no one is hurt"]
)
def test_no(text: str) -> None:
    assert read_answer(text) == "no"


@pytest.mark.parametrize("text", ["what?", "why do you need that", "asdfgh", "🙂", "maybe", ""])
def test_neither(text: str) -> None:
    assert read_answer(text) == "unclear"


def test_unconfirmed_danger_raises_the_risk_to_high() -> None:
    answers = {"incident_description": "shouting next door", "impact": "it annoys me"}
    assert assess_risk(answers).level == "standard"
    raised = assess_risk(answers, danger_unconfirmed=True)
    assert raised.level == "high"
    assert any("danger" in reason for reason in raised.reasons)
