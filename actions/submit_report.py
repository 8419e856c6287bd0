"""Submitting a confirmed report: a durable case, a reference, and what happens next."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import structlog
from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.landlord import partnership_of
from actions.services import services
from bot.cases.model import Case, ContactDetails, ReportAnswers
from bot.cases.sla import local_date_text, local_datetime_text
from bot.cases.store import NotDurableError
from bot.conversation.report_answers import HATE_STRAND_WORDS, SKIPPED
from bot.conversation.services import Services
from bot.conversation.turn import open_flags
from bot.conversation.when import read_when
from bot.partnerships import Partnership
from bot.partnerships.signposting import signpost
from bot.safety.flags import TriageFlags

log = structlog.get_logger("asb.actions")
_CHANNELS: set[str] = {"chat", "sms", "voice"}


def _optional(tracker: Tracker, slot: str) -> str | None:
    value = tracker.get_slot(slot)
    return None if value in (None, SKIPPED) else str(value)


def report_answers(tracker: Tracker, now: datetime) -> ReportAnswers:
    when = tracker.get_slot("incident_time")
    return ReportAnswers(
        incident_description=tracker.get_slot("incident_description"),
        incident_time=when,
        incident_when=read_when(when, now) if when else None,
        incident_location=tracker.get_slot("incident_location"),
        people_involved=_optional(tracker, "people_involved"),
        impact=_optional(tracker, "impact"),
        targeted_identity=_optional(tracker, "targeted_identity"),
        vulnerability=_optional(tracker, "vulnerability"),
        previous_incidents=_optional(tracker, "previous_incidents"),
    )


def contact_details(tracker: Tracker) -> ContactDetails:
    return ContactDetails(
        method=tracker.get_slot("contact_method") or "none",
        name=_optional(tracker, "contact_name"),
        phone=tracker.get_slot("contact_phone"),
        email=tracker.get_slot("contact_email"),
        address=tracker.get_slot("contact_address"),
    )


async def conversation_flags(svc: Services, tracker: Tracker) -> TriageFlags:
    """The gateway's flags for this conversation, plus the resident's own answer: a hate
    incident is any incident the victim perceives as motivated by hostility."""
    raw = await svc.redis.get(svc.keys.conversation_flags(tracker.sender_id))
    flags = open_flags(raw, svc.cipher)
    strand = tracker.get_slot("targeted_identity")
    if strand in HATE_STRAND_WORDS:
        flags = flags.model_copy(
            update={
                "hate_crime": True,
                "hate_told": True,  # "This will be treated as a hate incident" (report_form)
                "hate_strands": sorted({*flags.hate_strands, strand}),
                "evidence": [*flags.evidence, {"flag": "hate_crime", "cue": "resident_answer",
                                               "words": HATE_STRAND_WORDS[strand]}],
            }
        )  # fmt: skip
    return flags


_WRITTEN_BY = {"sms": "text message", "email": "email", "letter": "letter", "phone": "text message"}


def next_steps_text(case: Case, partnership: Partnership, now: datetime, hate_told: bool) -> str:
    """The reference and what happens next, with the actual dates from the partnership's
    clocks and the lead agency's contact details (the acknowledgement repeats them).
    `hate_told`: whether the resident was told it is a hate incident (a flag the model
    was unsure of, which they did not confirm, goes to the police without the words)."""
    lead = partnership.agency(case.lead_agency or partnership.routing.lead_agency)
    lines = [f"Thank you. Your report has been sent. Your reference is {case.reference}."]
    if case.flags.hate_crime and hate_told:
        lines.append("It is being treated as a hate incident and the police are involved.")
    who = f"{lead.name} will deal with it"
    if partnership.named_contact:
        who += " and give you one named person as your contact"
    contact = case.deadline("first_contact")
    if contact is not None and not case.anonymous:
        who += f". They will contact you by {local_datetime_text(contact.due)}"
    lines.append(who + ".")
    meeting = case.deadline("meeting")
    if meeting is not None and not case.anonymous:
        lines.append(f"If you want to meet, a meeting will be arranged by "
                     f"{local_date_text(meeting.due)}.")  # fmt: skip
    if case.anonymous:
        lines.append(
            "Because you chose not to be contacted, nobody can reply to you or acknowledge "
            "your report. Keep your reference if you want to ask about it."
        )
    else:
        ack = case.deadline("acknowledgement")
        how = _WRITTEN_BY.get(case.contact_method, "post")
        if case.contact_method == "phone":
            lines.append(
                "We'll confirm it in writing by text if your number is a mobile; otherwise "
                "someone will call you."
            )
        elif ack is not None:
            lines.append(f"We'll confirm it by {how} by {local_datetime_text(ack.due)}.")
    lines.append(f"To talk to them: {lead.contact_line()}.")
    if case.flags.subtype == "noise":
        noise = signpost(partnership, "noise", now)
        if noise:
            lines.append(noise)
    lines.append("In an emergency call 999.")
    return "\n".join(lines)


class ActionSubmitReport(Action):
    def name(self) -> str:
        return "action_submit_report"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        svc = await services()
        channel = tracker.get_latest_input_channel()
        contact = contact_details(tracker)
        line = partnership_of(tracker).main_line()
        flags = await conversation_flags(svc, tracker)
        try:
            case = await svc.intake.submit(
                answers=report_answers(tracker, datetime.now(UTC)),
                contact=contact,
                consent_to_share=tracker.get_slot("consent_share") == "yes",
                channel=channel if channel in _CHANNELS else "chat",
                flags=flags,
                partnership=tracker.get_slot("council_area"),
                landlord=landlord if (landlord := tracker.get_slot("landlord")) != "none" else None,
                conversation_key=tracker.sender_id,
            )
        except NotDurableError as exc:
            log.error("case.not_durable", reason=str(exc))
            dispatcher.utter_message(
                text="Sorry, I couldn't save your report because of a problem on our side. "
                f"Please try again in a few minutes, or call {line.label} on {line.phone}. "
                "In an emergency call 999."
            )
            return []
        partnership = svc.partnerships.get(case.partnership)
        now = datetime.now(UTC)
        dispatcher.utter_message(text=next_steps_text(case, partnership, now, flags.hate_told))
        return [AllSlotsReset(), SlotSet("case_reference", case.reference)]
