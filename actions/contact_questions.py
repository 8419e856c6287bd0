"""The contact questions: the name asked together with the detail the chosen method needs
("What name and email address should we use?"), and a resident who is texting offered
the number they are texting from (the gateway reads "this number" as it)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.conversation.report_answers import THIS_NUMBER_OFFER

# What the name is asked with, by contact method, while that detail is still missing.
_WITH_THE_NAME = {
    "email": ("contact_email", 'What name and email address should we use? For example: '
                               '"Sam Taylor, sam@example.com".'),
    "phone": ("contact_phone", 'What name and phone number should we use? For example: '
                               '"Sam Taylor, 07911 123456".'),
    "sms": ("contact_phone", 'What name and mobile number should we use? For example: '
                             '"Sam Taylor, 07911 123456".'),
}  # fmt: skip


class ActionAskContactMethod(Action):
    """How to keep the resident informed; one who is texting or ringing is offered the
    number they are using, so their name is all the answer needs."""

    def name(self) -> str:
        return "action_ask_contact_method"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        metadata = tracker.latest_message.get("metadata") or {}
        channel = tracker.get_latest_input_channel()
        if not metadata.get("sender_phone") or channel not in ("sms", "voice"):
            dispatcher.utter_message(response="utter_ask_contact_method")
            return []
        offer = "texts to this number" if channel == "sms" else "a call back on this number"
        [asked] = domain["responses"]["utter_ask_contact_method"]
        dispatcher.utter_message(
            text="How would you like us to keep you informed? Tell me your name for "
            f'{offer}, for example "Sam". Or choose:',
            buttons=asked.get("buttons", []),
        )
        return []


class ActionAskContactName(Action):
    def name(self) -> str:
        return "action_ask_contact_name"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        detail, both = _WITH_THE_NAME.get(tracker.get_slot("contact_method") or "", ("", ""))
        if detail and not tracker.get_slot(detail):
            dispatcher.utter_message(text=both)
        else:
            dispatcher.utter_message(response="utter_ask_contact_name")
        return []


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
