"""The read-back of a report before it is sent."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.landlord import NO_LANDLORD, housing_agencies, partnership_of
from actions.services import served_partnerships
from bot.report_answers import HATE_STRAND_WORDS, SKIPPED

_CONTACT_WORDS = {
    "phone": "by phone",
    "sms": "by text message",
    "email": "by email",
    "letter": "by letter",
    "none": "no contact (anonymous)",
}
_CHOOSE_FIELD = "utter_ask_which_field"


def summary_lines(
    slots: dict[str, Any], council: str | None = None, landlord: str | None = None
) -> list[str]:
    def shown(name: str) -> str:
        value = slots.get(name)
        return "not given" if value in (None, SKIPPED) else str(value)

    identity = slots.get("targeted_identity")
    lines = [
        f"What happened: {shown('incident_description')}",
        f"When: {shown('incident_time')}",
        f"Where: {shown('incident_location')}",
        *([f"Council area: {council}"] if council else []),
        f"Who: {shown('people_involved')}",
        f"How it affects you: {shown('impact')}",
        f"Targeted because of: {HATE_STRAND_WORDS.get(str(identity), shown('targeted_identity'))}",
        f"Vulnerable: {shown('vulnerability')}",
        f"Happened before: {shown('previous_incidents')}",
        *([f"Landlord: {landlord}"] if landlord else []),
    ]
    method = slots.get("contact_method")
    contact = _CONTACT_WORDS.get(str(method), "not given")
    details = [
        slots.get(s) for s in ("contact_name", "contact_phone", "contact_email", "contact_address")
    ]
    given = [str(d) for d in details if d]
    lines.append(f"Keep you informed: {contact}" + (f" ({', '.join(given)})" if given else ""))
    lines.append(f"Share with partner agencies: {shown('consent_share')}")
    return lines


def _asked_which_field_this_turn(tracker: Tracker) -> bool:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if (
            event.get("event") == "bot"
            and (event.get("metadata") or {}).get("utter_action") == _CHOOSE_FIELD
        ):
            return True
    return False


class ActionAskReportConfirmed(Action):
    def name(self) -> str:
        return "action_ask_report_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if _asked_which_field_this_turn(tracker):
            return []  # the resident is choosing what to change; don't repeat the summary
        area = tracker.get_slot("council_area")
        served = served_partnerships()
        council = served.get(area).council if area in served else None
        chosen = tracker.get_slot("landlord")
        agencies = {a.id: a.name for a in housing_agencies(partnership_of(tracker))}
        landlord = "no" if chosen == NO_LANDLORD else agencies.get(str(chosen))
        lines = summary_lines(tracker.current_slot_values(), council, landlord)
        text = "Here is your report:\n" + "\n".join(lines)
        dispatcher.utter_message(
            text=text + "\n\nIs this right?",
            buttons=[
                {"title": "Yes, send it", "payload": "Yes, send it"},
                {"title": "No, change something", "payload": "No, change something"},
            ],
        )
        return []
