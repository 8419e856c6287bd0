"""The read-back of a report before it is sent."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.landlord import NO_LANDLORD, housing_agencies, partnership_of
from actions.services import served_partnerships
from bot.conversation.report_answers import HATE_STRAND_WORDS, SKIPPED

_CONTACT_WORDS = {
    "phone": "by phone",
    "sms": "by text message",
    "email": "by email",
    "letter": "by letter",
    "none": "no contact (anonymous)",
}
_CHOOSE_FIELD = "utter_ask_which_field"
_SHORT = 45  # characters of each answer in a text message's read-back
# Consent to share is asked here, with the report in front of the resident.
_SHARING = (
    "When you send it, we share it with the partner agencies who deal with it, such as the "
    "police, the council and your landlord. They keep it confidential. You can correct "
    'anything in your own words, for example "it was Tuesday".'
)
_SHARING_TEXTED = (
    "Shared in confidence with the agencies who deal with it. To correct anything, say so."
)


def summary_lines(
    slots: dict[str, Any],
    council: str | None = None,
    landlord: str | None = None,
    short: bool = False,
) -> list[str]:
    """The report as the resident is shown it; `short` (a text message) cuts each answer
    to a line, so the whole read-back fits in the texts a reply may take."""

    def shown(name: str) -> str:
        value = slots.get(name)
        text = "not given" if value in (None, SKIPPED) else str(value)
        return text if not short or len(text) <= _SHORT else text[: _SHORT - 3].rstrip() + "..."

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
    if short:
        lines = [line for line in lines if not line.endswith(": not given")]
    method = slots.get("contact_method")
    contact = _CONTACT_WORDS.get(str(method), "not given")
    details = [
        slots.get(s) for s in ("contact_name", "contact_phone", "contact_email", "contact_address")
    ]
    given = [str(d) for d in details if d and d != SKIPPED]
    lines.append(f"Keep you informed: {contact}" + (f" ({', '.join(given)})" if given else ""))
    if slots.get("consent_share") == "no":
        lines.append("Share with partner agencies: no")
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
        texting = tracker.get_latest_input_channel() == "sms"
        lines = summary_lines(tracker.current_slot_values(), council, landlord, short=texting)
        text = "Here is your report:\n" + "\n".join(lines)
        sharing = _SHARING_TEXTED if texting else _SHARING
        dispatcher.utter_message(
            text=text + "\n\n" + sharing + "\nIs this right?",
            buttons=[
                {"title": "Yes, send it", "payload": "Yes, send it"},
                {"title": "Send, but don't share it", "payload": "Send, but don't share it"},
                {"title": "No, change something", "payload": "No, change something"},
            ],
        )
        return []
