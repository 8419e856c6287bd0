"""A status question is answered; an account that only looks like one starts the report."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.case_status import ActionCaseStatus
from tests.actions.conftest import load_tracker


async def run_on(text: str, domain: dict[str, Any]) -> tuple[list[Any], CollectingDispatcher]:
    tracker = load_tracker("report_confirmed", text=text, intent="case_status", slots={
        "case_reference": None,
    })  # fmt: skip
    dispatcher = CollectingDispatcher()
    events = await ActionCaseStatus().run(dispatcher, tracker, domain)
    return events, dispatcher


async def test_an_account_with_report_as_a_verb_starts_the_report(domain: dict[str, Any]) -> None:
    said = "I need to report a woman who keeps shouting at me in the car park, happened again today"
    events, _ = await run_on(said, domain)
    assert FollowupAction("report_form") in events


async def test_asking_after_a_report_gets_how_to_ask(domain: dict[str, Any]) -> None:
    events, dispatcher = await run_on("any news on my report? it happened last week", domain)
    assert events == [] and dispatcher.messages[0]["response"] == "utter_case_status"
