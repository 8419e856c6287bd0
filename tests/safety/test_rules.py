"""The rules the safety verdict keeps beside the model (bot/safety/rules.yml)."""

from __future__ import annotations

from bot.safety.rules import is_bare_plea, plea_asked
from bot.safety.triage import default_model
from bot.safety.verdict import Evidence, Verdict


def test_a_plea_alone_is_asked_about_not_flagged() -> None:
    model = default_model()
    for text in ("help", "HELP!!", "help me please", "pls help", "SOS"):
        verdict = model.judge_as_served(text, ())
        assert not verdict.emergency and verdict.danger_question, text
    # A plea with danger in it is flagged as ever.
    assert model.judge_as_served("help me please someone is breaking in", ()).emergency


def test_a_plea_in_an_emergency_already_raised_stays_what_the_model_says() -> None:
    flagged = Verdict(
        emergency=True, hate_crime=False, hate_strands=[], category="personal",
        subtype="violence", evidence=[Evidence(flag="emergency", cue="model", words="help")],
    )  # fmt: skip
    assert plea_asked(flagged, "help", emergency_before=True) == flagged
    asked = plea_asked(flagged, "help", emergency_before=False)
    assert not asked.emergency and asked.danger_question and asked.evidence == []


def test_only_a_whole_message_that_is_a_plea_counts() -> None:
    assert is_bare_plea("help me please")
    assert not is_bare_plea("help me please he has a knife")
    assert not is_bare_plea("i need help with my neighbours")
