"""The two risk questions, asked together when both are still open: "Do you think you
were targeted because of who you are? And is anyone in your household vulnerable?" Most
residents answer "no" to both, so one message does for two; an answer to only one of them
("my wife is 85", "race") leaves the other to be asked on its own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

TOGETHER = "utter_ask_targeted_identity_and_vulnerability"


def hate_unsure(tracker: Tracker) -> bool:
    """The gateway's safety model could not tell whether a message of this report was a
    hate incident (metadata ``hate_question``): the form then asks whether they were
    targeted because of who they are straight after what happened, on its own."""
    return any(
        (event.get("metadata") or {}).get("hate_question")
        for event in tracker.events
        if event.get("event") == "user"
    )


def _together_text(domain: DomainDict) -> str:
    [response] = domain["responses"][TOGETHER]
    text: str = response["text"]
    return text


def _this_report(tracker: Tracker) -> Iterator[dict[str, Any]]:
    """The events since the report form last started."""
    start = 0
    for i, event in enumerate(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == "report_form":
            start = i
    yield from tracker.events[start:]


def asked_together(tracker: Tracker, domain: DomainDict) -> bool:
    """Whether the question the latest message answers was the two asked together."""
    bot_said = [e.get("text") for e in tracker.events if e.get("event") == "bot"]
    return bool(bot_said) and bot_said[-1] == _together_text(domain)


class ActionAskTargetedIdentity(Action):
    """Both questions at once the first time, while vulnerability is still open and the
    safety model has not asked for the hate question on its own; after that, one at a
    time."""

    def name(self) -> str:
        return "action_ask_targeted_identity"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        together = _together_text(domain)
        asked_before = any(
            event.get("event") == "bot" and event.get("text") == together
            for event in _this_report(tracker)
        )
        if tracker.get_slot("vulnerability") is None and not (asked_before or hate_unsure(tracker)):
            dispatcher.utter_message(response=TOGETHER)
        else:
            dispatcher.utter_message(response="utter_ask_targeted_identity")
        return []
