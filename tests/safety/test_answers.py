"""Reading the answer to the danger question, and what an unconfirmed danger does to a case."""

from __future__ import annotations

import pytest

from bot.safety.danger_question import read_answer, would_ask
from bot.safety.flags import TriageFlags
from bot.safety.risk import assess_risk
from bot.safety.verdict import Verdict


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


def _unsure(category: str) -> Verdict:
    return Verdict(
        emergency=False, hate_crime=False, hate_strands=[], category=category,
        subtype="none" if category == "none" else "noise", danger_question=True,
    )  # fmt: skip


def test_the_question_is_asked_once_a_report_and_not_of_its_answers() -> None:
    new_report = TriageFlags()
    assert would_ask(_unsure("personal"), new_report)
    assert would_ask(_unsure("none"), new_report)  # a first message says little
    under_way = TriageFlags(category="nuisance", subtype="noise")
    assert not would_ask(_unsure("none"), under_way)  # "the garages behind Cope Street"
    assert would_ask(_unsure("personal"), under_way)  # something new is described
    assert not would_ask(_unsure("personal"), TriageFlags(danger_question="no"))
    assert not would_ask(_unsure("personal"), TriageFlags(emergency=True))
