"""Partner delivery through the real stack (Valkey, Rasa, the action server, both workers,
the gateway): a report over web chat reaches the right receivers, an emergency reaches the
police, a worker restarted mid-delivery loses nothing, and the partner API keeps each
agency to its own cases while its updates reach the resident."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
import redis

from bot.platform.stack import Stack
from tests.e2e.chat_driver import ChatResident, reference_in
from tests.partners.receivers import Answer, Receivers
from tests.telephony.drivers import SmsResident, a_mobile_number
from tests.telephony.fake_twilio import FakeTwilio

pytestmark = pytest.mark.rasa


def a_place() -> str:
    """An address no other test reports: reports of one place would be linked, and a
    third would send the lead agency a case.hotspot besides the events a test counts."""
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    inward = f"{random.randint(1, 9)}{random.choice(letters)}{random.choice(letters)}"
    return f"{random.randint(1, 400)} Far Gosford Street CV1 {inward}"


def noise_report(phone: str) -> dict[str, str]:
    return {
        "incident_description": "My neighbours play loud music every night until 3am",
        "incident_time": "every night this week",
        "incident_location": a_place(),
        "people_involved": "the flat above",
        "impact": "I can't sleep",
        "targeted_identity": "No",
        "vulnerability": "no",
        "previous_incidents": "yes, for a month",
        "landlord": "No, I own my home or rent privately",
        "contact_method": "Text message",
        "contact_name": "Sam Taylor",
        "contact_phone": phone,
        "consent_share": "Yes",
        "report_confirmed": "Yes, send it",
    }


@pytest.fixture
def http(live_gateway_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_gateway_url, timeout=30) as client:
        yield client


def report(http: httpx.Client, phone: str) -> str:
    resident = ChatResident(http)
    final = resident.complete(noise_report(phone), "I want to report noise from my neighbours")
    reference = reference_in(final)
    assert reference, resident.dump()
    return reference


def issue_key(stack: Stack, agency: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "bot.cli", "partners", "issue-key", agency],
        env=stack.settings_env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return out.stdout.strip()


def test_a_web_chat_report_reaches_the_right_receivers(
    http: httpx.Client, partner_receivers: Receivers, live_redis: redis.Redis, live_stack: Stack
) -> None:
    reference = report(http, a_mobile_number())
    for agency in ("environmental_health", "council_asb"):
        [got] = partner_receivers.wait_for(agency, reference)
        assert got.verified and got.schema_errors == [], got.schema_errors
        assert got.event is not None and got.event["type"] == "case.created"
        assert got.data["subtype"] == "noise"
    assert partner_receivers.for_agency("police", reference) == []
    assert "contact" not in partner_receivers.for_agency("environmental_health", reference)[0].data
    assert partner_receivers.for_agency("council_asb", reference)[0].data["contact"]["phone"]
    case = json.loads(live_redis.get(f"asb:case:{reference}") or b"{}")
    assert set(case["routed_to"]) == {"environmental_health", "council_asb"}
    shown = subprocess.run(
        [sys.executable, "-m", "bot.cli", "deliveries", "show", reference],
        env=live_stack.settings_env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "council_asb" in shown and "delivered" in shown


def test_the_schema_is_served(http: httpx.Client) -> None:
    response = http.get("/schemas/case.v1.json")
    assert response.status_code == 200
    assert response.json()["title"].startswith("ASB case")


def test_an_emergency_reaches_the_police_receiver(
    http: httpx.Client, partner_receivers: Receivers
) -> None:
    text = "theres a man with a knife outside my front door right now"
    started = time.time()
    messages = ChatResident(http).say(text)
    assert "999" in messages[0]["text"]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        got = [
            r for r in partner_receivers.for_agency("police")
            if r.at >= started and r.event and r.event["type"] == "case.emergency"
            and r.data.get("incident_description") == text
        ]  # fmt: skip
        if got:
            break
        time.sleep(0.1)
    assert got, "no case.emergency reached the police"
    assert got[0].verified and got[0].schema_errors == []
    assert got[0].data["emergency"] is True and got[0].data["emergency_id"].startswith("EM-")


def test_a_worker_restarted_mid_delivery_loses_nothing(
    http: httpx.Client, partner_receivers: Receivers, live_stack: Stack, live_redis: redis.Redis
) -> None:
    earlier = {(r.event or {}).get("subject") for r in partner_receivers.arriving}
    partner_receivers.script(
        "council_asb",
        Answer(204, hold_seconds=4, applies=lambda event: event.get("subject") not in earlier),
    )
    reference = report(http, a_mobile_number())
    deadline = time.monotonic() + 30
    while not [
        r for r in partner_receivers.arriving
        if r.agency == "council_asb" and (r.event or {}).get("subject") == reference
    ]:  # fmt: skip
        assert time.monotonic() < deadline, "the delivery never started"
        time.sleep(0.05)
    live_stack.stop_process("worker")  # SIGTERM mid-delivery: the request is held
    live_stack.start_process("worker")
    got = partner_receivers.wait_for("council_asb", reference, count=2, timeout=60)
    assert len({r.webhook_id for r in got}) == 1  # the same webhook-id
    assert all(r.verified for r in got)
    wid = got[0].webhook_id
    for _ in range(100):
        if live_redis.hget(f"asb:delivery:{wid}", "state") == b"delivered":
            break
        time.sleep(0.1)
    assert live_redis.hget(f"asb:delivery:{wid}", "state") == b"delivered"


def test_partner_api_keeps_each_agency_to_its_cases_and_relays_updates(
    http: httpx.Client, partner_receivers: Receivers, live_stack: Stack,
    live_redis: redis.Redis, fake_twilio: FakeTwilio,
) -> None:  # fmt: skip
    phone = a_mobile_number()
    reference = report(http, phone)
    partner_receivers.wait_for("council_asb", reference)
    council = {"Authorization": f"Bearer {issue_key(live_stack, 'council_asb')}"}
    fire = {"Authorization": f"Bearer {issue_key(live_stack, 'fire_service')}"}
    path = f"/partners/v1/cases/{reference}"
    # Authentication and scope.
    assert http.get(path).status_code == 401
    assert http.get(path, headers={"Authorization": "Bearer asbp_x_nope"}).status_code == 401
    assert http.get(path, headers=fire).status_code == 404
    denied = http.post(f"{path}/updates", headers=fire, json={"kind": "contacted"})
    assert denied.status_code == 404
    seen = http.get(path, headers=council)
    assert seen.status_code == 200 and seen.json()["case"]["reference"] == reference
    # Updates: SPOC, contacted (stops the first-contact clock), closed with an outcome.
    spoc = {"id": "u1", "kind": "spoc", "spoc": {"name": "PC Jo Bloggs", "phone": "024 7600 0000"}}
    assert http.post(f"{path}/updates", headers=council, json=spoc).status_code == 201
    assert http.post(f"{path}/updates", headers=council, json=spoc).status_code == 200  # repeat
    # An update without an id, named by an Idempotency-Key header: sent twice, applied once.
    keyed = {**council, "Idempotency-Key": "crm-contact-7"}
    for status in (201, 200):
        answer = http.post(f"{path}/updates", headers=keyed, json={"kind": "contacted"})
        assert answer.status_code == status and answer.json()["id"] == "crm-contact-7"
    assert http.post(f"{path}/updates", headers=keyed, json={"kind": "x"}).status_code == 422
    bad = http.post(f"{path}/updates", headers=council, json={"kind": "closed"})
    assert bad.status_code == 422  # an outcome is required
    closed = {"kind": "closed", "outcome": "A noise abatement notice was served."}
    assert http.post(f"{path}/updates", headers=council, json=closed).status_code == 201
    case = json.loads(live_redis.get(f"asb:case:{reference}") or b"{}")
    assert case["status"] == "closed" and case["spoc"]["name"] == "PC Jo Bloggs"
    first_contact = next(d for d in case["deadlines"] if d["clock"] == "first_contact")
    assert first_contact["met_at"] is not None
    # The other agency hears of it; the resident is told by text, then asked to rate.
    got = partner_receivers.wait_for("environmental_health", reference, count=4)
    types = [(r.event or {}).get("type") for r in got]
    assert sorted(types) == ["case.closed", "case.created", "case.updated", "case.updated"]
    done = got[types.index("case.closed")]
    assert done.schema_errors == [] and done.data["outcome"] == closed["outcome"]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        bodies = [r.form.get("Body", "") for r in fake_twilio.sent_to(phone)]
        if any("abatement" in b for b in bodies):
            break
        time.sleep(0.1)
    assert any("PC Jo Bloggs" in b for b in bodies), bodies
    assert any("abatement" in b and "1 (very unhappy)" in b for b in bodies), bodies
    for _ in range(50):
        if live_redis.exists("asb:satisfaction:" + sms_key(live_stack, phone)):
            break
        time.sleep(0.1)
    texts = SmsResident(http, number=phone).text("2 it took too long")
    assert any("complain" in t.lower() for t in texts), texts
    case = json.loads(live_redis.get(f"asb:case:{reference}") or b"{}")
    assert case["satisfaction"] == 2


def sms_key(stack: Stack, phone: str) -> str:
    from pathlib import Path

    from bot.privacy.contact import pseudonymous_key

    secret = (Path(stack.settings_env["ASB_DATA_DIR"]) / "pseudonym.key").read_text().strip()
    return pseudonymous_key(secret.encode(), "sms", phone)


def test_a_resident_asks_about_their_case(http: httpx.Client, live_stack: Stack) -> None:
    from pathlib import Path

    from bot.cases.pin import case_pin

    resident = ChatResident(http)
    final = resident.complete(noise_report(a_mobile_number()), "I want to report noise")
    reference = reference_in(final)
    assert reference
    same = " ".join(m["text"] for m in resident.say(f"what's happening with {reference}"))
    assert f"{reference} is open" in same, resident.dump()
    stranger = ChatResident(http)
    refused = " ".join(m["text"] for m in stranger.say(f"what's happening with {reference}"))
    assert "PIN" in refused and "is open" not in refused, stranger.dump()
    secret = (Path(live_stack.settings_env["ASB_DATA_DIR"]) / "pseudonym.key").read_text()
    pin = case_pin(secret.strip().encode(), reference)
    with_pin = " ".join(m["text"] for m in stranger.say(f"{reference} PIN {pin}"))
    assert f"{reference} is open" in with_pin, stranger.dump()
