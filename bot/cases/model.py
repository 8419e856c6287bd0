"""What a case holds. Personal details live in their own record so they can be
encrypted, expired or erased without touching the rest of the case."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from bot.platform.messages import Channel
from bot.safety.flags import SafetyFlags

ContactMethod = Literal["phone", "sms", "email", "letter", "none"]
RiskLevel = Literal["high", "medium", "standard"]
SlaClock = Literal["acknowledgement", "first_contact", "meeting", "update"]
# Where the written acknowledgement has got to (docs/acknowledgements.md).
AckStatus = Literal[
    "pending",
    "sent",
    "outbox",
    "callback_owed",
    "not_sent_anonymous",
    "undeliverable",
    "uncertain",
]


class Risk(BaseModel):
    level: RiskLevel = "standard"
    score: int = 0
    reasons: list[str] = Field(default_factory=list)


class IncidentWhen(BaseModel):
    """The calendar reading of when it happened; None where the words do not say
    (bot/conversation/when.py reads it from the resident's words)."""

    date: str | None = None  # ISO date of the latest occurrence, or the start ("since March")
    time: str | None = None  # "23:00", local time
    recurring: bool = False
    ongoing: bool = False


class ReportAnswers(BaseModel):
    """The resident's own words, one field per question of the report form."""

    incident_description: str
    incident_time: str
    incident_when: IncidentWhen | None = None  # what incident_time means on the calendar
    incident_location: str
    people_involved: str | None = None
    impact: str | None = None
    targeted_identity: str | None = None
    vulnerability: str | None = None
    previous_incidents: str | None = None


class ContactDetails(BaseModel):
    method: ContactMethod
    name: str | None = None
    phone: str | None = None  # E.164
    email: str | None = None
    address: str | None = None


class CasePersonal(BaseModel):
    """Everything that identifies or could identify somebody."""

    answers: ReportAnswers
    contact: ContactDetails
    postcode: str | None = None
    # Why each flag was raised; holds the resident's words, so it is personal.
    evidence: list[dict[str, str]] = Field(default_factory=list)
    # Links to the photos and videos the resident texted (MMS) while making the report.
    media: list[str] = Field(default_factory=list)
    # The resident's comment with their satisfaction score after closure.
    satisfaction_comment: str | None = None


class Deadline(BaseModel):
    """One of the partnership's promises for this case and when it falls due (UTC)."""

    clock: SlaClock
    due: datetime
    at_risk: datetime
    promise: str  # as published, e.g. "5 working days"
    met_at: datetime | None = None


class Spoc(BaseModel):
    """The named officer (single point of contact) in the lead agency, as a partner gave it."""

    name: str
    phone: str | None = None
    email: str | None = None


LinkReason = Literal["location", "perpetrator", "victim"]
# The Place Survey's perception question: "How much of a problem is anti-social behaviour
# in your area?"
PerceptionAnswer = Literal["very_big", "fairly_big", "not_very_big", "not_a_problem"]


class LinkedReport(BaseModel):
    """An earlier case of the same partnership about the same place, alleged perpetrator
    or victim (bot/cases/linking.py)."""

    reference: str
    reason: LinkReason
    created_at: datetime


class Hotspot(BaseModel):
    """A place or an alleged perpetrator named in the partnership's threshold of reports
    within its window. `id` is pseudonymous: it names the hotspot, not what it is about."""

    id: str
    kind: Literal["location", "perpetrator"]
    reports: int  # within the window, this case included
    threshold: int
    window_days: int
    references: list[str]  # oldest first, this case last
    postcode_district: str | None = None


class Case(BaseModel):
    """The non-personal part of a case: safe to index, count and route on."""

    reference: str
    created_at: datetime
    channel: Channel
    partnership: str
    contact_key: str | None  # keyed hash of phone or email; None when anonymous
    contact_method: ContactMethod
    anonymous: bool
    consent_to_share: bool
    happening_now: bool
    postcode_district: str | None = None
    flags: SafetyFlags = Field(default_factory=SafetyFlags)
    risk: Risk = Field(default_factory=Risk)
    status: Literal["open", "closed"] = "open"
    # How the partnership was chosen: matched from the postcode district, asked of the
    # resident (shared or unknown district), or the deployment's default (no postcode).
    area_resolution: Literal["matched", "asked", "default"] = "default"
    lead_agency: str | None = None
    deadlines: list[Deadline] = Field(default_factory=list)
    acknowledgement: AckStatus | None = None
    # Partner delivery and the case's life after it (docs/partners.md).
    landlord: str | None = None  # a housing agency id, when the resident's landlord is known
    routed_to: list[str] = Field(default_factory=list)
    unroutable: bool = False  # no routing rule matched: sent to the default agency
    repeat_victim: bool = False
    prior_reports: int = 0  # earlier reports from the same contact or address in the window
    spoc: Spoc | None = None
    closed_at: datetime | None = None
    outcome: str | None = None
    satisfaction: int | None = None  # 1-5, asked after closure
    perception: PerceptionAnswer | None = None  # asked after the satisfaction question
    surveyed_at: datetime | None = None  # when the satisfaction answer came
    linked_reports: list[LinkedReport] = Field(default_factory=list)
    hotspot: Hotspot | None = None
    linked_at: datetime | None = None  # when the job worker linked it (bot/cases/linking.py)
    last_update: str | None = None  # the latest partner update's kind
    last_update_at: datetime | None = None
    # The pseudonymous key of the conversation the report was taken in (its Rasa tracker
    # is `asb:tracker:<key>`), so the conversation can be expired or erased with the case.
    conversation_key: str | None = None

    def deadline(self, clock: SlaClock) -> Deadline | None:
        return next((d for d in self.deadlines if d.clock == clock), None)
