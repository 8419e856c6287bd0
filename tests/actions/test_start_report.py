"""Starting a report from a message Rasa placed outside the service."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.start_report import ActionOutOfScope, start_report
from tests.actions.conftest import load_tracker


async def _out_of_scope(domain: dict[str, Any], text: str) -> tuple[list[Any], str]:
    dispatcher = CollectingDispatcher()
    tracker = load_tracker("report_confirmed", text=text, intent="out_of_scope")  # no report open
    events = await ActionOutOfScope().run(dispatcher, tracker, domain)
    said = " ".join(m.get("response") or m.get("text") or "" for m in dispatcher.messages)
    return events, said


async def test_an_account_of_anti_social_behaviour_starts_the_report(
    domain: dict[str, Any],
) -> None:
    events, said = await _out_of_scope(
        domain,
        "somebody is flying drone over my garden and I think filming my daughter when she "
        "is in paddling pool",
    )
    assert "utter_out_of_scope" not in said and "utter_start_report" in said
    assert any(e["event"] == "followup" and e["name"] == "report_form" for e in events)
    [described] = [e for e in events if e.get("name") == "incident_description"]
    assert "drone" in described["value"]


async def test_a_question_for_another_service_is_pointed_elsewhere(
    domain: dict[str, Any],
) -> None:
    events, said = await _out_of_scope(domain, "my council tax bill is wrong")
    assert said == "utter_out_of_scope" and events == []


@pytest.mark.parametrize(
    ("opening", "told"),
    [
        ("Hi, can I report something that isn't an emergency here?", False),
        ("Hello, I want to complain about my neighbours please", False),
        ("hello sat sri akal, i want to report some kids", False),  # a greeting, then asking
        ("my neighbour keeps parking across my drive and blocking me in", True),
        ("why do the kids next door keep throwing stones at my windows every night?", True),
        ("Hello. I am deaf, text chat only please, no phone", False),  # how, not what
        ("I'm deaf and the bass from next door shakes my floor every night", True),
        # a caller's greeting and hurry, with a topic but nothing that happened yet
        ("i hiya pet its a boot the fella next door", False),
        ("yeah hi im on my break so ill be quick its the car meets", False),
    ],
)
def test_what_happened_is_not_taken_from_a_question_about_reporting(
    opening: str, told: bool
) -> None:
    dispatcher = CollectingDispatcher()
    events = start_report(dispatcher, opening)
    assert any(e.get("name") == "incident_description" for e in events) is told
