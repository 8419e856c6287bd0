"""Submitting a confirmed report: a durable case, a reference, and what happens next."""

from __future__ import annotations

from typing import Any

import structlog
from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.services import services
from bot.cases.model import ContactDetails, ReportAnswers, TriageFlags
from bot.cases.store import NotDurableError
from bot.report_answers import HATE_STRAND_WORDS, SKIPPED
from bot.services import Services

log = structlog.get_logger("asb.actions")
_CHANNELS: set[str] = {"chat", "sms", "voice"}


def _optional(tracker: Tracker, slot: str) -> str | None:
    value = tracker.get_slot(slot)
    return None if value in (None, SKIPPED) else str(value)


def report_answers(tracker: Tracker) -> ReportAnswers:
    return ReportAnswers(
        incident_description=tracker.get_slot("incident_description"),
        incident_time=tracker.get_slot("incident_time"),
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
        name=tracker.get_slot("contact_name"),
        phone=tracker.get_slot("contact_phone"),
        email=tracker.get_slot("contact_email"),
        address=tracker.get_slot("contact_address"),
    )


async def conversation_flags(svc: Services, tracker: Tracker) -> TriageFlags:
    """The gateway's flags for this conversation, plus the resident's own answer: a hate
    incident is any incident the victim perceives as motivated by hostility."""
    raw = await svc.redis.get(svc.keys.conversation_flags(tracker.sender_id))
    flags = TriageFlags.model_validate_json(raw) if raw else TriageFlags()
    strand = tracker.get_slot("targeted_identity")
    if strand in HATE_STRAND_WORDS:
        flags = flags.model_copy(
            update={
                "hate_crime": True,
                "hate_strands": sorted({*flags.hate_strands, strand}),
                "evidence": [*flags.evidence, {"flag": "hate_crime", "cue": "resident_answer",
                                               "words": HATE_STRAND_WORDS[strand]}],
            }
        )  # fmt: skip
    return flags


def next_steps_text(reference: str, anonymous: bool, hate: bool, phone_line: str) -> str:
    lines = [f"Thank you. Your report has been sent. Your reference is {reference}."]
    if hate:
        lines.append(
            "It is being treated as a hate incident "
            "and the police will contact you within 24 hours."
        )
    if anonymous:
        lines.append(
            "Because you chose not to be contacted, nobody can reply to you or acknowledge "
            "your report. Keep your reference if you want to ask about it."
        )
    else:
        lines.append(
            "We'll acknowledge it in writing within 24 hours, with the name of the person "
            "dealing with it."
        )
    lines.append(f"If you need to talk to someone, call {phone_line}. In an emergency call 999.")
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
        line = svc.partnership.main_line()
        try:
            case = await svc.intake.submit(
                answers=report_answers(tracker),
                contact=contact,
                consent_to_share=tracker.get_slot("consent_share") == "yes",
                channel=channel if channel in _CHANNELS else "chat",
                flags=await conversation_flags(svc, tracker),
            )
        except NotDurableError as exc:
            log.error("case.not_durable", reason=str(exc))
            dispatcher.utter_message(
                text="Sorry, I couldn't save your report because of a problem on our side. "
                f"Please try again in a few minutes, or call {line.label} on {line.phone}. "
                "In an emergency call 999."
            )
            return []
        dispatcher.utter_message(
            text=next_steps_text(
                case.reference,
                case.anonymous,
                case.flags.hate_crime,
                f"{line.label} on {line.phone}",
            )
        )
        return [AllSlotsReset(), SlotSet("case_reference", case.reference)]
