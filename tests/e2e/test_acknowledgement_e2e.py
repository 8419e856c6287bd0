"""A report over web chat, end to end: the written acknowledgement reaches the (local)
Twilio REST server within seconds, with the reference and the first-contact date."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime

import httpx
import pytest
import redis

from bot.cases.sla import LONDON
from tests.e2e.chat_driver import ChatResident, reference_in
from tests.telephony.drivers import a_mobile_number
from tests.telephony.fake_twilio import FakeTwilio

pytestmark = pytest.mark.rasa


@pytest.fixture
def resident(live_gateway_url: str) -> Iterator[ChatResident]:
    with httpx.Client(base_url=live_gateway_url, timeout=30) as http:
        yield ChatResident(http)


def test_web_chat_report_is_acknowledged_by_text_within_seconds(
    resident: ChatResident, live_redis: redis.Redis, fake_twilio: FakeTwilio
) -> None:
    number = a_mobile_number()
    answers = {
        "incident_description": "People keep kicking footballs at my car and shouting",
        "incident_time": "yesterday evening",
        "incident_location": "cv15fb",
        "people_involved": "skip",
        "impact": "skip",
        "targeted_identity": "No",
        "vulnerability": "no",
        "previous_incidents": "no",
        "landlord": "No, I own my home or rent privately",
        "contact_method": "Text message",
        "contact_name": "Jo",
        "contact_phone": "0" + number[3:],
        "consent_share": "Yes",
        "report_confirmed": "Yes",
    }
    final = resident.complete(answers, "I want to report anti-social behaviour")
    told = time.monotonic()
    reference = reference_in(final)
    assert reference, resident.dump()
    said = " ".join(m["text"] for m in final)
    assert "contact you by" in said and "confirm it by text message by" in said, said
    while not fake_twilio.sent_to(number) and time.monotonic() - told < 15:
        time.sleep(0.1)
    [sms] = fake_twilio.sent_to(number)
    assert time.monotonic() - told < 15
    case = json.loads(live_redis.get(f"asb:case:{reference}") or b"{}")
    due = datetime.fromisoformat(
        next(d["due"] for d in case["deadlines"] if d["clock"] == "first_contact")
    ).astimezone(LONDON)
    body = sms.form["Body"]
    assert reference in body and f"{due:%a} {due.day} {due:%b}" in body and "999" in body
    for _ in range(50):
        case = json.loads(live_redis.get(f"asb:case:{reference}") or b"{}")
        if case["acknowledgement"] == "sent":
            break
        time.sleep(0.1)
    assert case["acknowledgement"] == "sent" and case["partnership"] == "coventry"
    assert case["area_resolution"] == "matched"
