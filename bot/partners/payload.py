"""What partners receive: a CloudEvents 1.0 structured JSON event whose `data` follows
schemas/case.v1.json, cut down to what each agency's sharing agreement allows."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from bot.cases.model import Case, CasePersonal
from bot.partnerships.schema import Agency
from bot.safety.desk import Emergency
from bot.safety.verdict import Evidence

SCHEMA_PATH = Path(__file__).resolve().parent.parent.parent / "schemas" / "case.v1.json"
SCHEMA_ROUTE = "/schemas/case.v1.json"
CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"

CASE_CREATED = "case.created"
CASE_EMERGENCY = "case.emergency"
CASE_UPDATED = "case.updated"
CASE_SLA_AT_RISK = "case.sla_at_risk"
CASE_SLA_BREACHED = "case.sla_breached"
CASE_CLOSED = "case.closed"
CASE_HOTSPOT = "case.hotspot"
EVENT_TYPES = (
    CASE_CREATED, CASE_EMERGENCY, CASE_UPDATED, CASE_SLA_AT_RISK, CASE_SLA_BREACHED, CASE_CLOSED,
    CASE_HOTSPOT,
)  # fmt: skip

# Fields that identify or could identify somebody: shared only under an agreement that
# names them and, except for the police in an emergency or hate case, with consent.
PERSONAL_FIELDS = frozenset(
    {
        "incident_description", "incident_time", "incident_when", "incident_location",
        "people_involved",
        "impact", "targeted_identity", "vulnerability", "previous_incidents", "postcode",
        "contact", "media", "evidence",
    }
)  # fmt: skip
# Always present: which case, and for which agency. `sla`, `update` and `outcome` are
# about the handling of the case, not about people, and go to every agency notified.
# Fields an agreement covers by naming another: the calendar reading of when goes with when.
_GOES_WITH = {"incident_when": "incident_time"}
ALWAYS = frozenset({"reference", "emergency_id", "revision", "agency", "sla", "update", "outcome"})
# A link by alleged perpetrator or by victim says something about a person (that two
# reports name the same one), so it goes only where personal fields may.
_PERSONAL_LINKS = frozenset({"perpetrator", "victim"})


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def case_data(case: Case, personal: CasePersonal | None) -> dict[str, Any]:
    """Everything about a case that any agency may be sent (before the sharing cut)."""
    data: dict[str, Any] = {
        "reference": case.reference,
        "partnership": case.partnership,
        "created_at": case.created_at.isoformat(),
        "channel": case.channel,
        "status": case.status,
        "category": case.flags.category,
        "subtype": case.flags.subtype,
        "emergency": case.flags.emergency,
        "hate_crime": case.flags.hate_crime,
        "hate_strands": list(case.flags.hate_strands),
        "danger_question": case.flags.danger_question,
        "danger_unconfirmed": case.flags.danger_unconfirmed,
        "risk": case.risk.model_dump(),
        "repeat_victim": case.repeat_victim,
        "happening_now": case.happening_now,
        "postcode_district": case.postcode_district,
        "lead_agency": case.lead_agency,
        "routed_to": list(case.routed_to),
        "unroutable": case.unroutable,
        "landlord": case.landlord,
        "anonymous": case.anonymous,
        "consent_to_share": case.consent_to_share,
        "linked_reports": [link.model_dump(mode="json") for link in case.linked_reports],
        "hotspot": case.hotspot.model_dump(mode="json") if case.hotspot else None,
        "deadlines": [
            {
                "clock": d.clock,
                "due": d.due.isoformat(),
                "promise": d.promise,
                "met_at": _iso(d.met_at),
            }
            for d in case.deadlines
        ],
    }
    if personal is not None:
        data.update(personal.answers.model_dump())
        data["postcode"] = personal.postcode
        data["contact"] = personal.contact.model_dump()
        if personal.media:
            data["media"] = list(personal.media)
        if personal.evidence:
            data["evidence"] = [Evidence(**e).line() for e in personal.evidence]
    return data


def emergency_data(emergency: Emergency, reference: str | None = None) -> dict[str, Any]:
    """An emergency raised in a conversation: the police get all of it."""
    return {
        "reference": reference,
        "emergency_id": emergency.id,
        "revision": emergency.revision,
        "created_at": emergency.raised_at.isoformat(),
        "channel": emergency.channel,
        "status": "open",
        "emergency": True,
        "cues": list(emergency.cues),
        "evidence": list(emergency.evidence),
        "incident_description": emergency.text,
        "incident_location": emergency.location,
        "happening_now": True,
        "contact": {"method": "phone" if emergency.contact else "none",
                    "phone": emergency.contact},
    }  # fmt: skip


def share(data: dict[str, Any], agency: Agency, case: Case | None) -> dict[str, Any]:
    """The part of `data` the agency's sharing agreement allows.

    The police get everything for emergencies and hate crime. Otherwise an agency gets
    the fields its agreement names (`all`: every field), personal fields only with the
    resident's consent."""
    police_case = case is None or case.flags.emergency or case.flags.hate_crime
    if agency.kind == "police" and police_case:
        allowed: set[str] | None = None
    else:
        fields = set(agency.sharing.fields)
        allowed = None if "all" in fields else fields
    consent = case is None or case.consent_to_share or (agency.kind == "police" and police_case)
    out: dict[str, Any] = {"agency": agency.id}
    for name, value in data.items():
        agreed_as = _GOES_WITH.get(name, name)
        if name not in ALWAYS and allowed is not None and agreed_as not in allowed:
            continue
        if name in PERSONAL_FIELDS and not consent:
            continue
        if name == "linked_reports" and not consent:
            value = [link for link in value if link["reason"] not in _PERSONAL_LINKS]
        if name == "hotspot" and value and value["kind"] in _PERSONAL_LINKS and not consent:
            continue
        out[name] = value
    return out


def cloud_event(
    *, event_id: str, event_type: str, source: str, time: datetime, data: dict[str, Any],
    base_url: str, subject: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    event: dict[str, Any] = {
        "specversion": "1.0",
        "id": event_id,
        "source": source,
        "type": event_type,
        "time": time.isoformat(),
        "datacontenttype": "application/json",
        "dataschema": base_url.rstrip("/") + SCHEMA_ROUTE,
        "data": data,
    }
    if subject:
        event["subject"] = subject
    return event
