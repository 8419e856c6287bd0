"""Routing from the partnership's rules and the published promises; the sharing cut."""

from __future__ import annotations

import jsonschema
import pytest

from bot.cases.model import Case
from bot.cases.routing import CaseFacts, Route, route
from bot.partners.payload import PERSONAL_FIELDS, schema, share
from bot.partnerships import Partnerships
from bot.safety.flags import SafetyFlags


def coventry(partnerships: Partnerships, **facts: object) -> Route:
    return route(partnerships.get("coventry"), CaseFacts(**facts))  # type: ignore[arg-type]


def test_noise_goes_to_environmental_health_and_the_council(partnerships: Partnerships) -> None:
    r = coventry(partnerships, category="nuisance", subtype="noise", consent_to_share=True)
    assert set(r.notify) == {"environmental_health", "council_asb"}
    assert r.lead == "council_asb" and not r.unroutable


def test_deliberate_fire_goes_to_the_fire_service_and_police(partnerships: Partnerships) -> None:
    r = coventry(partnerships, category="nuisance", subtype="arson", consent_to_share=True)
    assert {"fire_service", "police"} <= set(r.notify)


def test_emergency_and_hate_go_to_the_police_who_lead(partnerships: Partnerships) -> None:
    for facts in ({"emergency": True}, {"hate_crime": True, "category": "personal"}):
        r = coventry(partnerships, consent_to_share=False, **facts)
        assert "police" in r.notify and r.lead == "police"


def test_landlord_leads_a_tenants_case_only_with_consent(partnerships: Partnerships) -> None:
    r = coventry(partnerships, category="nuisance", subtype="drugs",
                 landlord="citizen_housing", consent_to_share=True)  # fmt: skip
    assert "citizen_housing" in r.notify and r.lead == "citizen_housing"
    r = coventry(partnerships, category="nuisance", subtype="drugs",
                 landlord="citizen_housing", consent_to_share=False)  # fmt: skip
    assert "citizen_housing" not in r.notify and r.lead == "council_asb"


def test_victim_support_only_with_consent(partnerships: Partnerships) -> None:
    with_consent = coventry(partnerships, category="personal", subtype="harassment",
                            consent_to_share=True)  # fmt: skip
    assert "victim_support" in with_consent.notify
    without = coventry(partnerships, category="personal", subtype="harassment")
    assert "victim_support" not in without.notify
    nuisance = coventry(partnerships, category="nuisance", subtype="litter", consent_to_share=True)
    assert "victim_support" not in nuisance.notify


def test_unroutable_goes_to_the_default_agency_flagged(partnerships: Partnerships) -> None:
    r = coventry(partnerships, category="none", subtype="none")
    assert r.notify == ("council_asb",) and r.unroutable and r.lead == "council_asb"


def _case(**flags: object) -> Case:
    from datetime import UTC, datetime

    return Case(
        reference="ASB-AAAA-AAAA", created_at=datetime.now(UTC), channel="chat",
        partnership="coventry", contact_key=None, contact_method="sms", anonymous=False,
        consent_to_share=bool(flags.pop("consent", True)), happening_now=False,
        flags=SafetyFlags(**flags),  # type: ignore[arg-type]
    )  # fmt: skip


FULL = {
    "reference": "ASB-AAAA-AAAA", "category": "nuisance", "subtype": "noise",
    "postcode_district": "CV1", "incident_description": "music", "incident_time": "night",
    "incident_location": "CV1 5FB", "impact": "no sleep", "postcode": "CV1 5FB",
    "contact": {"method": "sms", "phone": "+447700900123"}, "risk": {"level": "standard"},
}  # fmt: skip


def test_each_agency_gets_only_what_its_agreement_allows(partnerships: Partnerships) -> None:
    p = partnerships.get("coventry")
    case = _case(category="nuisance", subtype="noise")
    env = share(FULL, p.agency("environmental_health"), case)
    assert set(env) == {"agency", "reference", "category", "subtype", "postcode_district",
                        "incident_location", "incident_time", "incident_description"}  # fmt: skip
    vs = share(FULL, p.agency("victim_support"), case)
    assert set(vs) == {"agency", "reference", "contact"}
    council = share(FULL, p.agency("council_asb"), case)
    assert set(council) == set(FULL) | {"agency"}
    for data in (env, vs, council):
        jsonschema.validate(data, schema())


def test_no_consent_no_personal_fields_but_police_get_hate_crime(
    partnerships: Partnerships,
) -> None:
    p = partnerships.get("coventry")
    council = share(FULL, p.agency("council_asb"), _case(consent=False, subtype="noise"))
    assert not PERSONAL_FIELDS & set(council)
    police = share(FULL, p.agency("police"), _case(consent=False, hate_crime=True))
    assert police["contact"]["phone"] == "+447700900123" and police["impact"] == "no sleep"


@pytest.mark.parametrize("bad", [{"reference": "nope"}, {"reference": "ASB-A", "risk": {}}])
def test_the_schema_rejects_what_is_not_a_case(bad: dict[str, object]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema())
