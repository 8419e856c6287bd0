"""Risk assessment from the report form: the level a case worker would expect, with reasons."""

from __future__ import annotations

import pytest

from bot.safety.risk import HIGH_THRESHOLD, MEDIUM_THRESHOLD, RiskAssessment, assess_risk


def test_nothing_answered_is_standard_and_says_so() -> None:
    r = assess_risk({})
    assert (r.level, r.score) == ("standard", 0)
    assert r.reasons == ["No risk factors were identified from the answers given."]


def test_skipped_and_no_answers_add_nothing() -> None:
    r = assess_risk(
        {
            "incident_description": "loud music",
            "impact": "skipped",
            "targeted_identity": "no",
            "vulnerability": "no",
            "previous_incidents": None,
        }
    )
    assert r.level == "standard" and r.score == 0


def test_one_off_nuisance_with_mild_impact_is_standard() -> None:
    r = assess_risk(
        {
            "incident_description": "someone dumped a sofa in the lane",
            "impact": "it's just annoying",
            "previous_incidents": "no, first time",
            "vulnerability": "no",
        }
    )
    assert r.level == "standard"


def test_vulnerable_repeat_victim_who_is_scared_is_high() -> None:
    r = assess_risk(
        {
            "incident_description": "lads bang on my door and shout at night",
            "impact": "I can't sleep and I'm scared to leave the house",
            "vulnerability": "I live alone and I have depression",
            "previous_incidents": "it's been going on for months, reported 3 times",
            "targeted_identity": "no",
        }
    )
    assert r.level == "high"
    assert r.score >= HIGH_THRESHOLD
    text = " ".join(r.reasons)
    for factor in ("Repeat victim", "sleep", "daily life", "unsafe", "disability", "alone"):
        assert factor in text, factor


def test_sms_style_answers_are_understood() -> None:
    r = assess_risk(
        {
            "impact": "cant sleep, scared 2 go out",
            "previous_incidents": "yeh loads of times",
            "vulnerability": "my son is disabled",
        }
    )
    assert r.level in {"medium", "high"}
    assert any("sleep" in reason for reason in r.reasons)
    assert any("children" in reason for reason in r.reasons)


@pytest.mark.parametrize(
    "identity",
    [
        "race",
        "religion",
        "sexual_orientation",
        "disability",
        "transgender",
        "they said it's because I'm black",
    ],
)
def test_a_hate_incident_is_never_standard(identity: str) -> None:
    r = assess_risk({"targeted_identity": identity, "impact": "a bit upset"})
    assert r.level in {"medium", "high"}
    assert any("targeted" in reason.lower() for reason in r.reasons)


def test_triage_hate_flag_counts_even_without_the_form_question() -> None:
    assert assess_risk({}, hate_crime=True).level == "medium"
    assert assess_risk({}, hate_crime=False).level == "standard"


def test_not_sure_about_targeting_is_not_a_hate_incident() -> None:
    assert assess_risk({"targeted_identity": "not_sure"}).level == "standard"


@pytest.mark.parametrize(
    "impact",
    ["honestly some days I just want to end it all", "I'm scared for my life"],
)
def test_crisis_words_are_always_high(impact: str) -> None:
    r = assess_risk({"impact": impact})
    assert r.level == "high"
    assert any("urgent" in reason for reason in r.reasons)


def test_repeat_victim_with_a_mental_health_condition_is_medium() -> None:
    r = assess_risk({"previous_incidents": "yes", "vulnerability": "I have anxiety"})
    assert r.score == MEDIUM_THRESHOLD
    assert r.level == "medium"


def test_thresholds_split_the_levels() -> None:
    below = assess_risk({"impact": "it's making me ill and I can't sleep"})  # health 2 + sleep 1
    assert below.score == 3 and below.level == "standard"
    more = assess_risk({"impact": "it's making me ill, I can't sleep and I feel unsafe"})
    assert more.score == 6 and more.level == "medium"
    high = assess_risk(
        {
            "impact": "it's making me ill, I can't sleep and I feel unsafe",
            "previous_incidents": "for months",
        }
    )
    assert high.score == HIGH_THRESHOLD and high.level == "high"


def test_result_is_a_frozen_record() -> None:
    r = assess_risk({"impact": "scared"})
    assert isinstance(r, RiskAssessment)
    with pytest.raises(AttributeError):
        r.level = "standard"  # type: ignore[misc]
