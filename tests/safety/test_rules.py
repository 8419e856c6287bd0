"""The rules the safety verdict keeps beside the model (bot/safety/rules.yml)."""

from __future__ import annotations

from dataclasses import replace

from bot.safety.normalise import normalise
from bot.safety.rules import emergency_continued, is_bare_plea, is_bare_reply, plea_asked
from bot.safety.triage import default_model, held_as_answer
from bot.safety.verdict import Evidence, Thresholds, Verdict


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


def test_a_reply_of_only_yes_no_or_thanks_is_bare() -> None:
    for reply in ("Yes, this is right.", "no", "n", "ok thanks", "Yes correct"):
        assert is_bare_reply(normalise(reply)), reply
    for said in ("yes thats right now", "yes hes back", "not moving", "please"):
        assert not is_bare_reply(normalise(said)), said


def _asked_from_context(words: list[Evidence]) -> Verdict:
    """A short follow-up the model alone clears, asked about because read as one with the
    messages before it it would be flagged (`context_evidence` when it also gives some
    cause to ask by itself)."""
    return Verdict(
        emergency=False, hate_crime=False, hate_strands=[], category="personal",
        subtype="fire", danger_question=True, context_evidence=words,
    )  # fmt: skip


def test_a_follow_up_of_an_open_emergency_is_flagged_on_the_earlier_evidence() -> None:
    earlier = [Evidence(flag="emergency", cue="context", words="set light")]
    follow_up = _asked_from_context(earlier)
    flagged = emergency_continued(follow_up, emergency_before=True)
    assert flagged.emergency and not flagged.danger_question
    assert flagged.evidence == earlier  # the CLI and the police see why
    # No emergency open: only asked about, never flagged on the earlier words alone.
    assert emergency_continued(follow_up, emergency_before=False) == follow_up
    # No cause to ask in the message itself ("text is best"): an answer meanwhile.
    answer = _asked_from_context([])
    assert not emergency_continued(answer, emergency_before=True).emergency
    # And so the model, as served, with the emergency open.
    fire = ["someone's set light to the mattress in our stairwell"]
    model = default_model()
    assert model.judge_as_served(fire[0], ()).emergency
    assert not model.judge_as_served("text is best", fire).emergency
    assert model.judge_as_served("smoke everywhere", fire).emergency


def test_an_answer_in_the_middle_of_a_report_is_flagged_only_above_a_higher_bar() -> None:
    thresholds = Thresholds(
        emergency_flag=0.44, emergency_ask=0.11, hate_flag=0.4, hate_ask=0.13,
        emergency_flag_answer=0.8,
    )  # fmt: skip
    flagged = Verdict(
        emergency=True, hate_crime=False, hate_strands=[], category="personal",
        subtype="violence", evidence=[Evidence(flag="emergency", cue="model", words="cant hear")],
        scores={"emergency": 0.71, "hate_crime": 0.0},
    )  # fmt: skip
    asked = held_as_answer(flagged, answering=True, thresholds=thresholds)
    assert not asked.emergency and asked.danger_question and asked.evidence == []
    # A first message, or one while an emergency is open, is judged as any other.
    assert held_as_answer(flagged, answering=False, thresholds=thresholds) == flagged
    # Above the bar an answer is flagged as ever.
    sure = replace(flagged, scores={"emergency": 0.93, "hate_crime": 0.0})
    assert held_as_answer(sure, answering=True, thresholds=thresholds) == sure


def test_a_short_answer_that_adds_no_alarm_is_not_asked_about_for_the_account_before() -> None:
    model = default_model()
    account = [
        "the smoke comes in the house and my wife has got copd she cant breathe when they do it"
    ]
    for answer in ("we own it", "txt"):
        verdict = model.judge_as_served(answer, account)
        assert not verdict.emergency and not verdict.danger_question, answer
    # A short message that alarms by itself is still read with the account before it.
    fall = ["lad fell off the wall on level 4, going down to him now"]
    verdict = model.judge_as_served("not moving", fall)
    assert verdict.emergency or verdict.danger_question


def test_a_reply_whose_own_words_are_calm_is_not_asked_about_for_the_account_before() -> None:
    thresholds = Thresholds(
        emergency_flag=0.44, emergency_ask=0.11, hate_flag=0.4, hate_ask=0.13,
        emergency_flag_answer=0.8,
    )  # fmt: skip
    asked = Verdict(
        emergency=False, hate_crime=False, hate_strands=[], category="personal",
        subtype="harassment", danger_question=True,
        scores={"emergency": 0.3, "hate_crime": 0.0}, emergency_alone=0.02,
    )  # fmt: skip
    assert not held_as_answer(asked, answering=True, thresholds=thresholds).danger_question
    # What alarms by itself is still asked about; a first message is judged as any other.
    alarming = replace(asked, emergency_alone=0.4)
    assert held_as_answer(alarming, answering=True, thresholds=thresholds).danger_question
    assert held_as_answer(asked, answering=False, thresholds=thresholds) == asked

    # The real model, after a worrying account: a contact answer is not asked about, and
    # the danger starting again is still an emergency.
    model = default_model()
    account = [
        "For the last month or so a couple of lads have basically moved themselves into my "
        "client's bungalow. People coming and going at all hours, his money keeps going, and "
        "he's clearly scared of them."
    ]
    contact = "Actually can you text me rather than ring? I'm often with clients and can't answer."
    verdict = model.judge_as_served(contact, account)
    assert not verdict.emergency and not verdict.danger_question
    assert model.judge_as_served("theyre back now and one of them has hit him, hes bleeding",
                                 account).emergency  # fmt: skip
