"""'What's happening with ASB-...?': the case's status, to whoever reported it."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.services import services
from actions.start_report import account_in, start_report
from bot.cases.pin import find_pin
from bot.cases.reference import find_reference
from bot.cases.status import CaseStatus

# A status question names a report and asks what became of it, or gives a reference.
# "Report" as a thing already made ("my report", "the case", "I reported"), not the verb
# ("I wanna report a man who ... Happened again this morning" is an account).
_ASKS_ABOUT_A_REPORT = re.compile(
    r"(?=.*\b(?:(?:my|the|our|that|this) (?:report|case|complaint)|reported)\b)"
    r"(?=.*\b(update|progress|status|happen|happening|happened|dealt|done|heard|news|outcome|"
    r"anyone|anything)\b)|\breference\b|\bASB-",
    re.IGNORECASE,
)


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
            if account_in(text) and not _ASKS_ABOUT_A_REPORT.search(text):
                # An account taken for a status question ("I wish to report an incident
                # that occurred on Friday ..."): the report starts with it.
                return [*start_report(dispatcher, text), FollowupAction("report_form")]
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
