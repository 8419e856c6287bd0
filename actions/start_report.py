"""Starting a report: a resident who opens with what happened is not asked it again."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

# Shorter than this and it is more likely "I want to report something" than a description.
_MIN_DESCRIPTION_WORDS = 5


class ActionStartReport(Action):
    def name(self) -> str:
        return "action_start_report"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_start_report")
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = (tracker.latest_message.get("text") or "").strip()
        if intent == "inform" and len(text.split()) >= _MIN_DESCRIPTION_WORDS:
            dispatcher.utter_message(text="Thank you for telling me what happened.")
            return [SlotSet("incident_description", text)]
        return []
