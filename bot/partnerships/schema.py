"""The schema of a partnership file: its published standards of response as data.

One YAML file per partnership under partnerships/ (see docs/partnerships.md). Every field
is checked at start-up; a wrong file fails naming the file, the field and the reason.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Literal, Self
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
AgencyKind = Literal[
    "police", "council", "environmental_health", "fire", "housing", "victim_support",
    "health", "probation", "other",
]  # fmt: skip
UpdateChannel = Literal["phone", "sms", "email", "letter", "in_person"]
AGENCY_ID = r"^[a-z][a-z0-9_]*$"
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
REQUIRED_AGENCIES = ("police", "council_asb")


class _Strict(BaseModel):
    """Unknown keys are errors: a misspelt field must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class OpeningHours(_Strict):
    days: list[Weekday]
    open: time
    close: time  # "24:00" is not a time: use "23:59:59" for midnight

    def covers(self, local: datetime) -> bool:
        return _WEEKDAYS[local.weekday()] in self.days and self.open <= local.time() < self.close


def is_open(slots: list[OpeningHours], now: datetime, timezone: str = "Europe/London") -> bool:
    """Whether any slot covers `now` (an aware datetime) in England local time."""
    local = now.astimezone(ZoneInfo(timezone))
    return any(slot.covers(local) for slot in slots)


class PhoneContact(_Strict):
    label: str
    phone: str
    hours: str | None = None  # as told to residents, e.g. "Monday to Friday, 9am to 5pm"


class Transfer(_Strict):
    """Where a caller who asks to speak to someone is put through, and when."""

    phone: str  # E.164, as <Dial> needs it
    label: str | None = None
    timezone: str = "Europe/London"
    opening_hours: list[OpeningHours] = []

    def is_open(self, now: datetime) -> bool:
        """Whether a call can be put through at `now` (an aware datetime)."""
        return is_open(self.opening_hours, now, self.timezone)


class Duration(_Strict):
    """A promise's length: elapsed hours, or whole working days (see bot/sla)."""

    hours: int | None = Field(default=None, gt=0)
    working_days: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.hours is None) == (self.working_days is None):
            raise ValueError("give exactly one of hours or working_days")
        return self

    def describe(self) -> str:
        if self.hours is not None:
            return f"{self.hours} hour" + ("s" if self.hours != 1 else "")
        days = self.working_days or 0
        return f"{days} working day" + ("s" if days != 1 else "")


class SlaClocks(_Strict):
    """The partnership's published response times. A missing optional clock is a promise
    the partnership does not make (e.g. no meeting promised)."""

    acknowledgement: Duration
    first_contact: Duration
    first_contact_hate_crime: Duration | None = None
    first_contact_high_risk: Duration | None = None
    meeting: Duration | None = None
    update_every: Duration | None = None
    # case.sla_at_risk is raised when this fraction of a clock's time has gone.
    at_risk_fraction: float = Field(default=0.75, gt=0, lt=1)
    # A working-day deadline falls at this local time on its last working day.
    working_day_ends: time = time(17, 0)
    # Days the partnership's offices are closed besides weekends and bank holidays.
    closure_days: list[date] = []


class SharingAgreement(_Strict):
    """What the agency may receive under its information-sharing agreement (used by partner
    delivery): case fields by name; `all` for everything."""

    fields: list[str] = []
    requires_consent: bool = False


class Agency(_Strict):
    id: str = Field(pattern=AGENCY_ID)  # stable: partner webhooks are keyed by it
    name: str
    kind: AgencyKind
    phone: str | None = None
    email: str | None = None
    hours: str | None = None
    opening_hours: list[OpeningHours] = []
    # Can be the lead agency whose named officer (SPOC) the resident is given.
    can_lead: bool = False
    sharing: SharingAgreement = SharingAgreement()

    def contact_line(self) -> str:
        how = [self.phone] if self.phone else []
        if self.email:
            how.append(self.email)
        text = self.name + (f" on {' or '.join(how)}" if how else "")
        return text + (f" ({self.hours})" if self.hours else "")


class RouteMatch(_Strict):
    """Which cases a routing rule applies to; an absent field matches anything."""

    category: str | None = None
    subtype: str | None = None
    risk: Literal["high", "medium", "standard"] | None = None
    emergency: bool | None = None
    hate_crime: bool | None = None
    landlord: str | None = None  # a housing agency id

    def matches(self, facts: dict[str, object]) -> bool:
        """Whether every field given here equals the case's fact of the same name."""
        wanted = self.model_dump(exclude_none=True)
        return all(facts.get(name) == value for name, value in wanted.items())


class RouteRule(_Strict):
    when: RouteMatch
    notify: list[str]
    lead: str | None = None


class Routing(_Strict):
    """Which agencies hear of a case and which leads. The default lead gives the SPOC named
    in the acknowledgement; the rules are applied by partner delivery."""

    lead_agency: str
    default_agency: str
    rules: list[RouteRule] = []

    def lead_for(self, facts: dict[str, object]) -> str:
        """The lead agency: the first matching rule that names one, else the default lead.
        (Which agencies are notified is partner delivery's job.)"""
        for rule in self.rules:
            if rule.lead and rule.when.matches(facts):
                return rule.lead
        return self.lead_agency


class Area(_Strict):
    """Postcode districts served. A shared district is also served by another council
    (ours or not): the resident is asked which council area the incident is in. Places:
    the towns, villages and neighbourhoods residents name instead of a postcode ("the
    park on Bucknell Road, Bicester")."""

    districts: list[str]
    shared_districts: list[str] = []
    places: list[str] = []

    @field_validator("districts", "shared_districts")
    @classmethod
    def _districts(cls, values: list[str]) -> list[str]:
        out = [v.strip().upper() for v in values]
        for value in out:
            if not _DISTRICT.match(value):
                raise ValueError(f"{value!r} is not a postcode district (like CV1 or OX16)")
        return out


SignpostTopic = Literal[
    "noise", "housing", "victim_support", "non_emergency", "environmental", "mental_health",
    "domestic_abuse", "council",
]  # fmt: skip


class Signpost(_Strict):
    """A number to give for a topic. With opening hours it is only given when open; the
    first entry of a topic open at the time asked wins, in file order."""

    topic: SignpostTopic
    label: str
    phone: str | None = None
    web: str | None = None
    hours: str | None = None
    opening_hours: list[OpeningHours] = []
    note: str | None = None


class ComplaintStep(_Strict):
    kind: Literal[
        "agency", "council_policy", "councillor", "csp_chair", "councillor_call_for_action",
        "ombudsman", "police_professional_standards",
    ]  # fmt: skip
    text: str
    contact: str | None = None


class CaseReview(_Strict):
    """The ASB Case Review (Community Trigger)."""

    threshold_reports: int = Field(default=3, gt=0)
    window_days: int = Field(default=183, gt=0)  # six months
    how_to_ask: str


class Linking(_Strict):
    """Linked reports and hotspots (docs/partnerships.md): a new case is compared with the
    partnership's cases of the last `window_days`; a location or an alleged perpetrator
    named in `hotspot_reports` of them (this one included) is a hotspot."""

    window_days: int = Field(default=30, gt=0, le=366)
    hotspot_reports: int = Field(default=3, ge=2)


class Perception(_Strict):
    """A published perception target: the share of residents answering that anti-social
    behaviour is a very or fairly big problem in their area (Place Survey question)."""

    baseline_percent: float = Field(ge=0, le=100)
    target_percent: float = Field(ge=0, le=100)
    by: date


class Targets(_Strict):
    """The partnership's published targets that the dashboard measures against."""

    # Share of closing satisfaction scores of 4 or 5 out of 5.
    satisfaction_percent: float = Field(default=80, ge=0, le=100)
    perception: Perception | None = None
    # Cut in calls for service (reports) per year against the year before, e.g. 5.
    calls_for_service_cut_percent_per_year: float | None = Field(default=None, ge=0, le=100)


class Community(_Strict):
    """The public neighbourhood summaries: counts below `suppress_below` are shown as
    "fewer than N", so a handful of reports cannot point at a household."""

    suppress_below: int = Field(default=5, ge=2)


class Partnership(_Strict):
    id: str = Field(pattern=AGENCY_ID)
    name: str
    council: str
    # Where the published standards come from, as titles (deployments confirm the details).
    sources: list[str] = []
    contacts: list[PhoneContact]
    # Optional, for the phone line: the police control room a caller in an emergency may be
    # put through to, and the transfer for "speak to someone".
    control_room_phone: str | None = None
    transfer: Transfer | None = None
    area: Area
    agencies: list[Agency]
    routing: Routing
    sla: SlaClocks
    # One named contact (SPOC) in the lead agency is promised to the resident.
    named_contact: bool = False
    update_channels: list[UpdateChannel]
    signposting: list[Signpost] = []
    complaints: list[ComplaintStep]
    case_review: CaseReview
    linking: Linking = Linking()
    targets: Targets = Targets()
    community: Community = Community()

    @model_validator(mode="after")
    def _references(self) -> Self:
        ids = [a.id for a in self.agencies]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"agencies: duplicate id(s) {', '.join(duplicates)}")
        missing = [i for i in REQUIRED_AGENCIES if i not in ids]
        if missing:
            raise ValueError(f"agencies: must include {', '.join(missing)}")
        known = set(ids)
        named = [("routing.lead_agency", self.routing.lead_agency),
                 ("routing.default_agency", self.routing.default_agency)]  # fmt: skip
        for n, rule in enumerate(self.routing.rules):
            named += [(f"routing.rules.{n}.notify", a) for a in rule.notify]
            if rule.lead:
                named.append((f"routing.rules.{n}.lead", rule.lead))
            if rule.when.landlord:
                named.append((f"routing.rules.{n}.when.landlord", rule.when.landlord))
        for where, agency_id in named:
            if agency_id not in known:
                raise ValueError(f"{where}: no agency with id {agency_id!r}")
        if not self.agency(self.routing.lead_agency).can_lead:
            raise ValueError("routing.lead_agency: that agency does not have can_lead: true")
        if not any(step.kind == "councillor_call_for_action" for step in self.complaints):
            raise ValueError("complaints: must include a councillor_call_for_action step")
        return self

    def handoff_text(self) -> str:
        """Who a resident can speak to, as plain text."""
        lines = [
            f"- {c.label}: {c.phone}" + (f" ({c.hours})" if c.hours else "") for c in self.contacts
        ]
        return "\n".join(lines)

    def main_line(self) -> PhoneContact:
        return self.contacts[0]

    def agency(self, agency_id: str) -> Agency:
        for agency in self.agencies:
            if agency.id == agency_id:
                return agency
        raise KeyError(agency_id)

    def lead_agency(self) -> Agency:
        return self.agency(self.routing.lead_agency)

    def meeting_promised(self) -> bool:
        return self.sla.meeting is not None

    def housing_providers(self) -> list[Agency]:
        return [a for a in self.agencies if a.kind == "housing"]

    def complaint_text(self) -> str:
        """The complaint route in one plain sentence per step."""
        return " ".join(step.text for step in self.complaints)
