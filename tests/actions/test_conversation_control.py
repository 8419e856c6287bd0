"""A misheard command never throws a half-made report away; a real "stop" or "start
again" throws away what the report said, its safety flags and texted photos included,
as the resident is told ("nothing from before will be sent")."""

from __future__ import annotations

from typing import Any

import pytest
import redis
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation_control import (
    ActionChangeAnswer,
    ActionExplainQuestion,
    ActionHandOff,
    ActionStartAgain,
    ActionStopReport,
)
from tests.actions.conftest import asked_both, load_tracker, slot_events


async def run(action: Any, text: str, intent: str, domain: dict[str, Any]) -> tuple[list, list]:  # type: ignore[type-arg]
    tracker = load_tracker(
        "report_form_in_progress",
        slots={"requested_slot": "people_involved"},
        text=text,
        intent=intent,
    )
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain)
    return events, dispatcher.messages


async def test_an_answer_taken_for_start_again_is_kept_as_the_answer(
    domain: dict[str, Any],
) -> None:
    events, said = await run(ActionStartAgain(), "the kids from the estate", "start_again", domain)
    assert said == []
    assert {"event": "slot", "timestamp": None, "name": "people_involved",
            "value": "the kids from the estate"} in events  # fmt: skip
    assert any(e["event"] == "followup" and e["name"] == "report_form" for e in events)
    assert not any(e["event"] == "reset_slots" for e in events)


CONVERSATION = "asb:conv:chat-0123456789abcdef0123456789abcdef"  # the fixture's sender
FLAGS, MEDIA = f"{CONVERSATION}:flags", f"{CONVERSATION}:media"


@pytest.mark.parametrize("action_services", ["valkey_url"], indirect=True)
async def test_a_description_with_stop_in_it_does_not_stop_the_report(
    action_services: str, domain: dict[str, Any]
) -> None:
    client = redis.Redis.from_url(action_services)
    client.set(FLAGS, "sealed flags")
    events, said = await run(ActionStopReport(), "they just won't stop", "stop", domain)
    assert said == [] and not any(e["event"] == "active_loop" for e in events)
    assert client.get(FLAGS) == b"sealed flags"  # the report's flags go on with it


@pytest.mark.parametrize("action_services", ["valkey_url"], indirect=True)
async def test_real_commands_still_work(action_services: str, domain: dict[str, Any]) -> None:
    client = redis.Redis.from_url(action_services)
    client.set(FLAGS, "sealed flags")
    client.rpush(MEDIA, "sealed link")
    events, said = await run(ActionStartAgain(), "can I start again", "start_again", domain)
    assert any(e["event"] == "reset_slots" for e in events) and "start again" in said[0]["text"]
    assert client.get(FLAGS) is None and not client.exists(MEDIA)
    client.set(FLAGS, "sealed flags")
    client.rpush(MEDIA, "sealed link")
    events, said = await run(ActionStopReport(), "cancel my report", "stop", domain)
    assert {"event": "active_loop", "timestamp": None, "name": None} in events
    assert "not been sent" in said[0]["text"]
    assert client.get(FLAGS) is None and not client.exists(MEDIA)


async def test_a_change_with_the_new_answer_in_it_is_made_at_once(
    domain: dict[str, Any],
) -> None:
    events, said = await run(
        ActionChangeAnswer(), "change the time to Tuesday night", "change_answer", domain
    )
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["incident_time"] == "Tuesday night" and slots["report_confirmed"] is None
    assert "changed" in said[0]["text"]
    # Without the new answer, the field is cleared and asked again.
    events, _ = await run(ActionChangeAnswer(), "change the time", "change_answer", domain)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["incident_time"] is None


async def test_an_answer_with_why_in_it_is_the_answer_and_a_why_is_explained(
    domain: dict[str, Any],
) -> None:
    said = "Only that I have a stammer, which is why I'd like email."
    events, told = await run(ActionExplainQuestion(), said, "ask_why", domain)
    assert {"event": "slot", "timestamp": None, "name": "people_involved",
            "value": said} in events and told == []  # fmt: skip
    events, told = await run(ActionExplainQuestion(), "why do you need that?", "ask_why", domain)
    assert events == [] and told[0]["response"].startswith("utter_why")


async def test_speaking_of_what_is_asked_answers_it_and_no_change_is_made_twice(
    domain: dict[str, Any],
) -> None:
    said = "We rent from Sanctuary, I think? Or it changed its name. Sanctuary."
    tracker = load_tracker(
        "report_form_in_progress",
        slots={"requested_slot": "landlord", "incident_location": "Langford Brook, Bicester",
               "council_area": "cherwell"},
        text=said, intent="change_answer",
    )  # fmt: skip
    dispatcher = CollectingDispatcher()
    events = await ActionChangeAnswer().run(dispatcher, tracker, domain)
    slots = slot_events(events)
    assert slots["landlord"] == "sanctuary_housing" and "contact_name" not in slots
    assert not any("changed" in (m.get("text") or "") for m in dispatcher.messages)
    # A correction already made says nothing has changed, and asks what to change.
    tracker = load_tracker(
        "report_form_in_progress",
        slots={"requested_slot": "people_involved", "incident_time": "Tuesday night"},
        text="change the time to Tuesday night", intent="change_answer",
    )  # fmt: skip
    dispatcher = CollectingDispatcher()
    await ActionChangeAnswer().run(dispatcher, tracker, domain)
    assert not any("changed" in (m.get("text") or "") for m in dispatcher.messages)


@pytest.mark.parametrize("action_services", ["valkey_url"], indirect=True)
async def test_report_something_else_is_a_command_not_an_answer(
    action_services: str, domain: dict[str, Any]
) -> None:
    events, said = await run(ActionStartAgain(), "report something else", "start_again", domain)
    assert any(e["event"] == "reset_slots" for e in events)
    assert "start again" in " ".join(m.get("text") or "" for m in said).lower()


def _asked_landlord_in_bicester(text: str) -> Any:
    """Asked who their landlord is, of a report in Cherwell; the message taken for a
    request to speak to a person."""
    return load_tracker(
        "report_form_in_progress",
        slots={"requested_slot": "landlord", "incident_location": "Launton Road, Bicester"},
        text=text,
        intent="ask_human",
    )


async def test_a_letting_agent_in_an_answer_is_no_request_for_a_person(
    domain: dict[str, Any],
) -> None:
    tracker = _asked_landlord_in_bicester("private landlord, through a lettin agent in town")
    events = await ActionHandOff().run(CollectingDispatcher(), tracker, domain)
    # Taken as the answer, and read as one: not a partner's tenant.
    assert {"event": "slot", "timestamp": None, "name": "landlord", "value": "none"} in events


async def test_an_answer_taken_for_a_command_is_read_as_the_form_reads_it(
    domain: dict[str, Any],
) -> None:
    tracker = asked_both(domain, "No, but my wife, recovering from a hip replacement.")
    tracker.latest_message["intent"] = {"name": "start_again", "confidence": 0.6}
    events = await ActionStartAgain().run(CollectingDispatcher(), tracker, domain)
    slots = slot_events(events)
    assert slots["targeted_identity"] == "no"
    assert slots["vulnerability"] == "my wife, recovering from a hip replacement"


async def test_asking_for_a_person_gives_the_numbers_of_the_reports_partnership(
    domain: dict[str, Any],
) -> None:
    tracker = _asked_landlord_in_bicester("agent")
    dispatcher = CollectingDispatcher()
    await ActionHandOff().run(dispatcher, tracker, domain)
    [said] = dispatcher.messages
    assert "Cherwell" in said["text"] and "Coventry" not in said["text"]


@pytest.mark.parametrize("asked", ["agent", "can I have an agent", "i want a human"])
async def test_asking_for_a_person_in_a_few_words_is_answered_not_taken_as_the_answer(
    domain: dict[str, Any], asked: str
) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionHandOff().run(dispatcher, _asked_landlord_in_bicester(asked), domain)
    assert not any(e.get("name") == "landlord" for e in events)
    assert "speak to someone" in dispatcher.messages[0]["text"]
