"""Linked reports and hotspots through the real stack: three residents report one address
over web chat, each in their own words; the third case reaches the council naming the
first two, and the lead agency hears of the hotspot once."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.chat_driver import ChatResident, reference_in
from tests.partners.receivers import Received, Receivers
from tests.partners.test_live import noise_report
from tests.telephony.drivers import a_mobile_number

pytestmark = pytest.mark.rasa

# One place, as three residents put it.
WORDINGS = [
    "31 Swanswell Street CV1 5FW",
    "number 31 swanswell st, CV1 5FW",
    "outside 31 Swanswell Street",
]


@pytest.fixture
def http(live_gateway_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_gateway_url, timeout=30) as client:
        yield client


def report(http: httpx.Client, where: str) -> str:
    answers = {**noise_report(a_mobile_number()), "incident_location": where,
               "people_involved": "whoever is in the house, never seen them",
               "council_area": "Coventry"}  # fmt: skip
    resident = ChatResident(http)
    final = resident.complete(answers, f"Loud parties every night, {where}")
    reference = reference_in(final)
    assert reference, resident.dump()
    return reference


def of_type(received: list[Received], event_type: str) -> list[Received]:
    return [r for r in received if r.event is not None and r.event["type"] == event_type]


def test_a_third_report_about_one_address_is_a_hotspot(
    http: httpx.Client, partner_receivers: Receivers
) -> None:
    first, second, third = (report(http, where) for where in WORDINGS)
    partner_receivers.wait_for("council_asb", third)
    created = of_type(partner_receivers.for_agency("council_asb", third), "case.created")
    said = {k: created[0].data.get(k) for k in ("incident_location", "postcode", "partnership")}
    linked = {(link["reference"], link["reason"]) for link in created[0].data["linked_reports"]}
    assert {(first, "location"), (second, "location")} <= linked, (said, linked, first, second)
    assert created[0].data["hotspot"]["reports"] >= 3
    partner_receivers.wait_for("council_asb", third, count=2)  # and the hotspot event
    time.sleep(2)  # a second hotspot event, were one sent, would have arrived by now
    hotspot = of_type(partner_receivers.for_agency("council_asb", third), "case.hotspot")
    assert len(hotspot) == 1 and hotspot[0].verified and hotspot[0].schema_errors == []
    assert hotspot[0].data["hotspot"]["references"][-3:] == [first, second, third]
    for earlier in (first, second):
        assert of_type(partner_receivers.for_agency("council_asb", earlier), "case.hotspot") == []
