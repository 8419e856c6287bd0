"""Hand-built cases for the dashboard's tests: every field a figure reads, set on purpose."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count

from bot.cases.model import (
    Case,
    CasePersonal,
    ContactDetails,
    Deadline,
    Hotspot,
    PerceptionAnswer,
    ReportAnswers,
    Risk,
    RiskLevel,
    SlaClock,
)
from bot.safety.flags import SafetyFlags

_serial = count(1)


def deadline(
    clock: SlaClock, due: datetime, met_at: datetime | None = None, promise: str = "24 hours"
) -> Deadline:
    return Deadline(clock=clock, due=due, at_risk=due - timedelta(hours=1), promise=promise,
                    met_at=met_at)  # fmt: skip


def case(
    created: datetime,
    *,
    partnership: str = "coventry",
    category: str = "nuisance",
    subtype: str = "noise",
    risk: RiskLevel = "standard",
    deadlines: list[Deadline] | None = None,
    satisfaction: int | None = None,
    perception: PerceptionAnswer | None = None,
    surveyed_at: datetime | None = None,
    hotspot: Hotspot | None = None,
    district: str | None = "CV1",
    reference: str | None = None,
) -> Case:
    closed = surveyed_at is not None
    return Case(
        reference=reference or f"ASB-TEST-{next(_serial):04d}",
        created_at=created, channel="chat", partnership=partnership, contact_key="k",
        contact_method="sms", anonymous=False, consent_to_share=True, happening_now=False,
        postcode_district=district,
        flags=SafetyFlags(category=category, subtype=subtype),
        risk=Risk(level=risk), deadlines=deadlines or [],
        status="closed" if closed else "open", closed_at=surveyed_at,
        outcome="resolved" if closed else None,
        satisfaction=satisfaction, perception=perception, surveyed_at=surveyed_at, hotspot=hotspot,
    )  # fmt: skip


def hotspot(
    hotspot_id: str, references: list[str], *, kind: str = "location", district: str = "CV1"
) -> Hotspot:
    return Hotspot.model_validate({
        "id": hotspot_id, "kind": kind, "reports": len(references), "threshold": 3,
        "window_days": 30, "references": references, "postcode_district": district,
    })  # fmt: skip


# What a resident told: must never reach the dashboard, its CSV or its logs.
SECRET_NAME = "Philippa Quartermaine"
SECRET_PHONE = "+447700900461"
SECRET_WORDS = "the man at number 14 keeps throwing bottles"


def personal() -> CasePersonal:
    return CasePersonal(
        answers=ReportAnswers(incident_description=SECRET_WORDS, incident_time="last night",
                              incident_location="14 Quarry Lane CV1 5FB"),
        contact=ContactDetails(method="sms", name=SECRET_NAME, phone=SECRET_PHONE),
        postcode="CV1 5FB",
    )  # fmt: skip
