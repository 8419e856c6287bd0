"""The risk questions, asked together while they are still open: "Has this happened
before? Do you think you were targeted because of who you are? And is anyone in your
household vulnerable?" (the first only when the first message did not say). Most residents
answer "no" to all, so one message does for three; an answer to only some of them ("my
wife is 85", "race", "third time this year") leaves the others to be asked on their own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

TOGETHER = "utter_ask_targeted_identity_and_vulnerability"
WITH_PREVIOUS = "utter_ask_risk_questions"  # the two, and whether it happened before


def hate_unsure(tracker: Tracker) -> bool:
    """The gateway's safety model could not tell whether a message of this report was a
    hate incident (metadata ``hate_question``): the form then asks whether they were
    targeted because of who they are straight after what happened."""
    return any(
        (event.get("metadata") or {}).get("hate_question")
        for event in tracker.events
        if event.get("event") == "user"
    )


def _text(domain: DomainDict, response: str) -> str:
    [variant] = domain["responses"][response]
    text: str = variant["text"]
    return text


def _this_report(tracker: Tracker) -> Iterator[dict[str, Any]]:
    """The events since the report form last started."""
    start = 0
    for i, event in enumerate(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == "report_form":
            start = i
    yield from tracker.events[start:]


def _last_bot_text(tracker: Tracker) -> str | None:
    bot_said = [e.get("text") for e in tracker.events if e.get("event") == "bot"]
    return bot_said[-1] if bot_said else None


def asked_together(tracker: Tracker, domain: DomainDict) -> bool:
    """Whether the question the latest message answers was the risk questions together."""
    return _last_bot_text(tracker) in (_text(domain, TOGETHER), _text(domain, WITH_PREVIOUS))


def asked_with_previous(tracker: Tracker, domain: DomainDict) -> bool:
    """Whether it also asked whether it has happened before."""
    return _last_bot_text(tracker) == _text(domain, WITH_PREVIOUS)


class ActionAskTargetedIdentity(Action):
    """The questions together the first time, while vulnerability is still open (with
    whether it happened before, while that is open too), also when the safety model has
    brought them forward because it could not tell whether this is a hate incident; after
    that, one at a time."""

    def name(self) -> str:
        return "action_ask_targeted_identity"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        together = {_text(domain, TOGETHER), _text(domain, WITH_PREVIOUS)}
        asked_before = any(
            event.get("event") == "bot" and event.get("text") in together
            for event in _this_report(tracker)
        )
        if tracker.get_slot("vulnerability") is None and not asked_before:
            previous_open = tracker.get_slot("previous_incidents") is None
            dispatcher.utter_message(response=WITH_PREVIOUS if previous_open else TOGETHER)
        else:
            dispatcher.utter_message(response="utter_ask_targeted_identity")
        return []
