"""'What's happening with ASB-...?': the case's status, to whoever reported it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.services import services
from bot.case_status import CaseStatus
from bot.cases.pin import find_pin
from bot.cases.reference import find_reference


class ActionCaseStatus(Action):
    def name(self) -> str:
        return "action_case_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        reported_here = tracker.get_slot("case_reference")
        reference = find_reference(text) or reported_here
        if not reference:
            dispatcher.utter_message(response="utter_case_status")
            return []
        svc = await services()
        status = CaseStatus(
            svc.redis, svc.keys, svc.cases, svc.partnerships, svc.settings.secret_key()
        )
        answer = await status.answer(
            reference,
            conversation_key=tracker.sender_id,
            same_conversation=reference == reported_here,
            pin=find_pin(text),
        )
        dispatcher.utter_message(text=answer)
        return []
