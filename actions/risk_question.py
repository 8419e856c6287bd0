"""The risk questions, asked together while more than one is open: "Has this happened
before? Do you think you were targeted because of who you are? And is anyone in your
household vulnerable?" (each only when the report has not already said). Most residents
answer "no" to all, so one message does for three; an answer to only some of them ("my
wife is 85", "race", "third time this year") leaves the others to be asked on their own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

RISK_SLOTS: Final = ("previous_incidents", "targeted_identity", "vulnerability")
TOGETHER = "utter_ask_targeted_identity_and_vulnerability"
WITH_PREVIOUS = "utter_ask_risk_questions"  # the two, and whether it happened before
# The response that asks each set of open questions at once.
COMBINED: Final = {
    frozenset({"targeted_identity", "vulnerability"}): TOGETHER,
    frozenset(RISK_SLOTS): WITH_PREVIOUS,
    frozenset({"previous_incidents", "vulnerability"}): "utter_ask_vulnerability_and_previous",
    frozenset({"previous_incidents", "targeted_identity"}): "utter_ask_targeted_and_previous",
}


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


def asked_together(tracker: Tracker, domain: DomainDict) -> frozenset[str]:
    """The risk questions the latest message answers, when they were asked together
    (empty when the last question was one on its own, or another question)."""
    said = _last_bot_text(tracker)
    for asked, response in COMBINED.items():
        if said == _text(domain, response):
            return asked
    return frozenset()


def combined_question(tracker: Tracker, domain: DomainDict, slot: str) -> str:
    """The response to ask `slot` with: with the other open risk questions, the first
    time this report asks any of them; after that, on its own."""
    texts = {_text(domain, response) for response in COMBINED.values()}
    asked_before = any(
        event.get("event") == "bot" and event.get("text") in texts
        for event in _this_report(tracker)
    )
    open_now = frozenset(s for s in RISK_SLOTS if tracker.get_slot(s) is None)
    if asked_before or slot not in open_now or len(open_now) < 2:
        return f"utter_ask_{slot}"
    return COMBINED[open_now]


class ActionAskTargetedIdentity(Action):
    """Whether they were targeted because of who they are, with the other open risk
    questions the first time (also when the safety model has brought it forward because
    it could not tell whether this is a hate incident)."""

    def name(self) -> str:
        return "action_ask_targeted_identity"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response=combined_question(tracker, domain, "targeted_identity"))
        return []


class ActionAskVulnerability(Action):
    """Whether anyone at home is vulnerable, with whether it happened before when that is
    open too (the report already said whether they were targeted)."""

    def name(self) -> str:
        return "action_ask_vulnerability"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response=combined_question(tracker, domain, "vulnerability"))
        return []
