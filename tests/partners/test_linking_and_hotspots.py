"""Linked reports and hotspots, on a real Valkey with real partner receivers: the third
report about one address within the window reaches partners naming the first two, and the
lead agency hears of the hotspot once per report that makes or grows it. (The whole path,
through web chat and the job worker, is tests/partners/test_live_hotspots.py.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.cases.intake import CaseIntake
from bot.cases.linking import Linker
from bot.cases.model import Case, ContactDetails, ReportAnswers
from bot.cases.repeat_victims import RepeatVictims
from bot.partners.payload import CASE_CREATED, CASE_HOTSPOT
from bot.platform.job_queue import JobQueue
from bot.safety.flags import TriageFlags
from tests.partners.conftest import DeliveryRig
from tests.partners.receivers import Received

SECRET = b"linking-test"
OTHER = "+447700900777"
NOISE = TriageFlags(category="nuisance", subtype="noise")


def event_type(received: Received) -> str:
    assert received.event is not None
    return str(received.event["type"])


def intake(rig: DeliveryRig) -> CaseIntake:
    return CaseIntake(
        rig.cases, JobQueue(rig.pool), SECRET, rig.partnerships,
        RepeatVictims(rig.redis, rig.keys, SECRET),
    )  # fmt: skip


async def report(
    rig: DeliveryRig,
    where: str,
    who: str | None = None,
    phone: str = "+447700900001",
    consent: bool = True,
) -> Case:
    answers = ReportAnswers(
        incident_description="music and shouting till 3am", incident_time="last night",
        incident_location=where, people_involved=who,
    )  # fmt: skip
    contact = ContactDetails(method="sms", phone=phone)
    case = await intake(rig).submit(
        answers=answers, contact=contact, consent_to_share=consent, channel="chat", flags=NOISE
    )
    # What the job worker does with a new case before partners hear of it.
    linked = await Linker(rig.cases, SECRET).link_stored(
        rig.partnerships.get("coventry"), case.reference
    )
    assert linked is not None and linked.linked_at is not None
    return linked


async def test_the_third_report_about_an_address_is_a_hotspot(rig: DeliveryRig) -> None:
    first = await report(rig, "14 Spon Street CV1 5FB", phone="+447700900001")
    second = await report(rig, "number 14 spon st", phone="+447700900002")
    third = await report(rig, "outside 14 Spon St, Coventry", phone="+447700900003")
    assert first.linked_reports == [] and first.hotspot is None
    assert [link.reference for link in second.linked_reports] == [first.reference]
    assert second.hotspot is None  # two reports are not yet a hotspot
    assert [(link.reference, link.reason) for link in third.linked_reports] == [
        (first.reference, "location"),
        (second.reference, "location"),
    ]
    assert third.hotspot is not None
    assert third.hotspot.kind == "location" and third.hotspot.reports == 3
    assert third.hotspot.references == [first.reference, second.reference, third.reference]
    stored = await rig.cases.get(third.reference)
    assert stored is not None and stored.hotspot == third.hotspot
    again = await Linker(rig.cases, SECRET).link_stored(
        rig.partnerships.get("coventry"), third.reference
    )
    assert again == stored  # linked once: a job run again changes nothing

    partners = rig.delivery()
    for case in (first, second, third):
        await partners.publish_case(case, CASE_CREATED, f"{case.reference}:created")
        await partners.publish_hotspot(case)
        await partners.publish_hotspot(case)  # a job run twice: still one event
    await rig.run_jobs(partners)
    created = [r for r in rig.receivers.received if r.data["reference"] == third.reference]
    created = [r for r in created if event_type(r) == CASE_CREATED and r.agency == "council_asb"]
    assert created, "the third case reached its agencies"
    assert {link["reference"] for link in created[0].data["linked_reports"]} == {
        first.reference,
        second.reference,
    }
    assert created[0].data["hotspot"]["reports"] == 3
    hotspot_events = [r for r in rig.receivers.received if event_type(r) == CASE_HOTSPOT]
    assert [(r.agency, r.data["reference"]) for r in hotspot_events] == [
        ("council_asb", third.reference)
    ]

    # A fourth report grows it: the same hotspot, one more event.
    fourth = await report(rig, "14 Spon Street", phone="+447700900004")
    assert fourth.hotspot is not None and fourth.hotspot.id == third.hotspot.id
    assert fourth.hotspot.reports == 4
    await partners.publish_hotspot(fourth)
    await rig.run_jobs(partners)
    grown = [r for r in rig.receivers.received if event_type(r) == CASE_HOTSPOT]
    assert [r.data["hotspot"]["reports"] for r in grown] == [3, 4]


async def test_reports_outside_the_window_or_elsewhere_are_not_linked(rig: DeliveryRig) -> None:
    coventry = rig.partnerships.get("coventry")
    old = await report(rig, "3 Elm Road CV2 1AA")
    # Moved back in time beyond the window: the index is what linking reads.
    stale = (datetime.now(UTC) - timedelta(days=coventry.linking.window_days + 1)).timestamp()
    await rig.redis.zadd(rig.keys.partnership_cases("coventry"), {old.reference: stale})
    elsewhere = await report(rig, "5 Elm Road CV2 1AB", phone="+447700900009")
    again = await report(rig, "3 Elm Road", phone="+447700900008")
    assert elsewhere.linked_reports == []
    assert again.linked_reports == []


async def test_links_by_perpetrator_and_victim(rig: DeliveryRig) -> None:
    one = await report(rig, "the park on Moat Street", who="Kyle Brennan and his mates")
    two = await report(rig, "outside the Spar, Moat Street", who="kyle brenan again", phone=OTHER)
    assert [(link.reference, link.reason) for link in two.linked_reports] == [
        (one.reference, "perpetrator")
    ]
    three = await report(rig, "8 Holly Lane", phone="+447700900001")  # one's resident
    reasons = {(link.reference, link.reason) for link in three.linked_reports}
    assert reasons == {(one.reference, "victim")}


@pytest.mark.parametrize("consent", [True, False])
async def test_links_about_people_need_consent(rig: DeliveryRig, consent: bool) -> None:
    await report(rig, "the garages on Fir Lane", who="Darren Pike")
    linked = await report(
        rig, "the garages on Fir Lane", who="darren pike", phone=OTHER, consent=consent
    )
    partners = rig.delivery()
    await partners.publish_case(linked, CASE_CREATED, f"{linked.reference}:created")
    await rig.run_jobs(partners)
    council = [
        r
        for r in rig.receivers.for_agency("council_asb")
        if r.data["reference"] == linked.reference
    ]
    reasons = sorted(link["reason"] for link in council[0].data["linked_reports"])
    assert reasons == (["location", "perpetrator"] if consent else ["location"])


async def test_a_place_is_known_by_every_key_its_reports_give_it(rig: DeliveryRig) -> None:
    first = await report(rig, "31 Swanswell Street CV1 5FW", phone="+447700900011")
    second = await report(rig, "CV1 5FW", phone="+447700900012")  # the postcode alone
    third = await report(rig, "outside 31 Swanswell St", phone="+447700900013")  # no postcode
    assert [link.reference for link in third.linked_reports] == [first.reference, second.reference]
    assert third.hotspot is not None and third.hotspot.reports == 3


async def test_a_case_is_compared_only_with_cases_made_before_it(rig: DeliveryRig) -> None:
    """A worker may link a case late (its job retried after a crash): reports made since
    are not its links, so every case's links are the same whichever order they ran in."""
    answers = ReportAnswers(
        incident_description="music till 3am", incident_time="last night",
        incident_location="9 Ash Grove CV2 1AA",
    )  # fmt: skip
    unlinked = await intake(rig).submit(
        answers=answers, contact=ContactDetails(method="sms", phone="+447700900021"),
        consent_to_share=True, channel="chat", flags=NOISE,
    )  # fmt: skip
    later = await report(rig, "9 Ash Grove CV2 1AA", phone="+447700900022")
    assert [link.reference for link in later.linked_reports] == [unlinked.reference]
    linked = await Linker(rig.cases, SECRET).link_stored(
        rig.partnerships.get("coventry"), unlinked.reference
    )
    assert linked is not None and linked.linked_at is not None
    assert linked.linked_reports == []
