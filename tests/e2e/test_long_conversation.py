"""A long web chat conversation: a resident reports three incidents one after another.

Each report becomes its own case, and Rasa's tracker store keeps only the dialogue
session in progress (rasa_plugins/session_tracker_store.py): once a report is submitted
the conversation carries on in a fresh session, so the dialogue store neither grows with
the conversation nor keeps an earlier report's words."""

from __future__ import annotations

import json
from typing import Any

import pytest
import redis

from bot.platform.stack import Stack
from tests.e2e.chat_driver import ChatResident, conversation_key, reference_in
from tests.records import plain, tracker_events

pytestmark = pytest.mark.rasa

INCIDENTS = [
    "Someone keeps setting off fireworks in the alley behind Kestrel Road",
    "A man has been spray painting graffiti on the bus shelter every night",
    "Motorbikes are being ridden across the playing field by the school",
]


def answers(description: str) -> dict[str, str]:
    return {
        "incident_description": description,
        "incident_time": "last night about 11pm",
        "incident_location": "cv15fb",
        "council_area": "Coventry City Council",  # "behind Kestrel Road" names no area
        "people_involved": "skip",
        "impact": "skip",
        "targeted_identity": "No",
        "vulnerability": "no",
        "previous_incidents": "no",
        "landlord": "No, I own my home or rent privately",
        "contact_method": "Anonymous",
        "consent_share": "Yes",
        "report_confirmed": "Yes, send it",
    }


def tracker(live_redis: redis.Redis, live_stack: Stack, resident: ChatResident) -> dict[str, Any]:  # type: ignore[type-arg]
    assert resident.conversation_id
    raw = live_redis.get(f"asb:tracker:{conversation_key(live_stack, resident.conversation_id)}")
    assert raw is not None, "no tracker under the conversation's pseudonymous key"
    return {"events": tracker_events(raw)}


def user_texts(stored: dict[str, Any]) -> list[str]:
    return [event["text"] for event in stored["events"] if event["event"] == "user"]


def test_three_reports_in_one_conversation_each_make_a_case_and_the_tracker_stays_small(
    resident: ChatResident,
    live_redis: redis.Redis,
    live_stack: Stack,  # type: ignore[type-arg]
) -> None:
    references, sizes = [], []
    for description in INCIDENTS:
        resident.say("I want to report anti-social behaviour")
        # Mid-report, the session holds this report's dialogue (the right key is read).
        assert "I want to report anti-social behaviour" in user_texts(
            tracker(live_redis, live_stack, resident)
        )
        final = resident.complete(answers(description), description)
        reference = reference_in(final)
        assert reference, resident.dump()
        references.append(reference)
        personal = json.loads(plain(live_redis.get(f"asb:case:{reference}:personal")) or b"{}")
        assert personal["answers"]["incident_description"] == description

        stored = tracker(live_redis, live_stack, resident)
        first = stored["events"][0]
        assert first["event"] == "action" and first["name"] == "action_session_start"
        assert user_texts(stored) == [], "a submitted report's words stay in the dialogue store"
        carried = {e["name"]: e["value"] for e in stored["events"] if e["event"] == "slot"}
        assert carried.get("case_reference") == reference
        sizes.append(len(json.dumps(stored)))

    assert len(set(references)) == 3, references
    # The store holds one session, not the conversation: as small after three reports.
    assert max(sizes) - min(sizes) < 200, sizes
    # And the conversation goes on: a status question is answered from the new session.
    reply = " ".join(m["text"] for m in resident.say("what's the status of my report?"))
    assert references[-1] in reply, resident.dump()
