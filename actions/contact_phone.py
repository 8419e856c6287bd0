"""The phone number question: a resident who is texting is offered the number they are
texting from instead of being asked to type it (the gateway reads "this number" as it)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.report_answers import THIS_NUMBER_OFFER


class ActionAskContactPhone(Action):
    def name(self) -> str:
        return "action_ask_contact_phone"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if tracker.get_latest_input_channel() == "sms":
            dispatcher.utter_message(text=f"What phone number should we use? {THIS_NUMBER_OFFER}")
        else:
            dispatcher.utter_message(response="utter_ask_contact_phone")
        return []
