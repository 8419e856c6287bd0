"""What a resident can say at any point: why, change, start again, stop, a person."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.services import services
from bot.report_answers import CHANGEABLE_FIELDS, parse_field

Events = list[dict[str, Any]]


class ActionExplainQuestion(Action):
    def name(self) -> str:
        return "action_explain_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Events:
        slot = tracker.get_slot("requested_slot")
        response = f"utter_why_{slot}"
        if slot and response in domain.get("responses", {}):
            dispatcher.utter_message(response=response)
        else:
            dispatcher.utter_message(response="utter_why_general")
        return []


class ActionChangeAnswer(Action):
    """Clear the answer the resident wants to correct; the form then asks it again."""

    def name(self) -> str:
        return "action_change_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Events:
        text = tracker.latest_message.get("text") or ""
        field = tracker.get_slot("report_field") or parse_field(text)
        slots = CHANGEABLE_FIELDS.get(field or "")
        if not slots:
            dispatcher.utter_message(response="utter_ask_which_field")
            return [SlotSet("report_field", None)]
        dispatcher.utter_message(text="OK, let's change that.")
        cleared = [SlotSet(slot, None) for slot in slots]
        # Whatever the change, the report is read back again before it is sent.
        return [*cleared, SlotSet("report_confirmed", None), SlotSet("report_field", None)]


class ActionStartAgain(Action):
    def name(self) -> str:
        return "action_start_again"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Events:
        dispatcher.utter_message(text="OK, let's start again. Nothing from before will be sent.")
        return [AllSlotsReset()]


class ActionStopReport(Action):
    def name(self) -> str:
        return "action_stop_report"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Events:
        dispatcher.utter_message(
            text="I've stopped. Your report has not been sent and nothing has been saved. "
            "You can start again at any time. In an emergency call 999."
        )
        return [ActiveLoop(None), AllSlotsReset()]


class ActionHandOff(Action):
    def name(self) -> str:
        return "action_hand_off"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Events:
        partnership = (await services()).partnership
        dispatcher.utter_message(
            text=f"You can speak to someone at {partnership.name}:\n{partnership.handoff_text()}\n"
            "In an emergency call 999."
            + ("\nOr carry on here, and I'll keep what you've told me so far."
               if tracker.active_loop_name else "")
        )  # fmt: skip
        return []
