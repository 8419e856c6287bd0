"""A resident who reports again in the same conversation (an SMS conversation is their
number, kept for weeks) gets a case judged on the new report's own words: a hate incident
reported before, or mentioned in a report they started again, is not carried into a noise
complaint made after it."""

from __future__ import annotations

import json

import pytest
import redis

from tests.e2e.chat_driver import ChatResident, reference_in
from tests.e2e.test_webchat_report import ANSWERS
from tests.records import plain

pytestmark = pytest.mark.rasa

# The web chat report's answers, made a hate incident, then a noise complaint.
FIRST = {
    **ANSWERS,
    "incident_description": "my neighbour keeps shouting go back to your own country at me",
    "people_involved": "the man at number 12",
    "targeted_identity": "Yes, because of my race",
}
SECOND = {
    **ANSWERS,
    "incident_description": "the flat upstairs plays loud music every night until 3am",
    "people_involved": "the people in the flat upstairs",
}


def case_flags(live_redis: redis.Redis, reference: str) -> dict:  # type: ignore[type-arg]
    raw = live_redis.get(f"asb:case:{reference}")
    assert raw is not None, f"{reference} is not in Redis"
    flags: dict = json.loads(raw)["flags"]  # type: ignore[type-arg]
    return flags


def test_a_noise_report_after_a_hate_incident_is_not_flagged_as_one(
    resident: ChatResident, live_redis: redis.Redis
) -> None:
    opening = "I want to report anti-social behaviour"
    first = reference_in(resident.complete(FIRST, opening))
    assert first, resident.dump()
    told = len(resident.transcript)
    second = reference_in(resident.complete(SECOND, opening))
    assert second and second != first, resident.dump()

    assert case_flags(live_redis, first)["hate_crime"] is True
    flags = case_flags(live_redis, second)
    assert flags["hate_crime"] is False and flags["hate_strands"] == []
    assert flags["emergency"] is False
    assert flags["subtype"] == "noise"
    # Nor is the resident told, during the second report, that it is a hate incident.
    later = [text for who, text in resident.transcript[told:] if who == "bot"]
    assert not any("hate incident" in text for text in later), resident.dump()


def test_a_report_started_again_sends_nothing_from_before(
    resident: ChatResident, live_redis: redis.Redis
) -> None:
    resident.say("I want to report anti-social behaviour")
    resident.say(FIRST["incident_description"])  # told it is a hate incident
    told = len(resident.transcript)
    final = resident.complete(SECOND, "start again")
    reference = reference_in(final)
    assert reference, resident.dump()
    assert any("Nothing from before will be sent" in t for _, t in resident.transcript[told:])
    flags = case_flags(live_redis, reference)
    assert flags["hate_crime"] is False and flags["hate_strands"] == []
    assert flags["subtype"] == "noise"
    # Nor do the words that were a hate cue go to partners as the case's evidence.
    personal = json.loads(plain(live_redis.get(f"asb:case:{reference}:personal")) or b"{}")
    assert not any(e["flag"] == "hate_crime" for e in personal["evidence"]), personal
