"""With Redis unreachable the gateway still answers at once, on every channel, with
"please try again or call"; it never hangs past Twilio's limit or answers 500."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import httpx
import pytest

from bot.platform.stack import Stack
from tests.conftest import extra_gateway, free_port
from tests.telephony.drivers import SmsResident, call_sid
from tests.telephony.signing import ACCOUNT_SID, LINE_NUMBER, post_signed

pytestmark = pytest.mark.rasa

QUICK_SECONDS = 3.0


@pytest.fixture(scope="module")
def gateway_without_redis(live_stack: Stack) -> Iterator[str]:
    with extra_gateway(live_stack, REDIS_URL=f"redis://127.0.0.1:{free_port()}") as url:
        yield url


def timed_post(http: httpx.Client, path: str, **kwargs: object) -> httpx.Response:
    started = time.perf_counter()
    response = http.post(path, **kwargs)  # type: ignore[arg-type]
    assert time.perf_counter() - started < QUICK_SECONDS
    return response


def test_web_chat_answers_503_quickly(gateway_without_redis: str) -> None:
    with httpx.Client(base_url=gateway_without_redis, timeout=20) as http:
        response = timed_post(http, "/api/chat", json={"conversation_id": None, "text": "hi"})
    assert response.status_code == 503
    detail = response.json()["detail"]
    assert "try again" in detail and "024 7683 1999" in detail and "999" in detail


def test_sms_and_voice_are_told_to_try_again_quickly(gateway_without_redis: str) -> None:
    with httpx.Client(base_url=gateway_without_redis, timeout=20) as http:
        resident = SmsResident(http)
        started = time.perf_counter()
        texts = resident.text("Someone is shouting in the street")
        assert time.perf_counter() - started < QUICK_SECONDS
        assert "try again" in texts[0] and "999" in texts[0]
        params = {"CallSid": call_sid(), "AccountSid": ACCOUNT_SID,
                  "From": resident.number, "To": LINE_NUMBER, "CallStatus": "ringing"}  # fmt: skip
        started = time.perf_counter()
        response = post_signed(http, "/twilio/voice", params)
        assert time.perf_counter() - started < QUICK_SECONDS
    assert response.status_code == 200
    root = ET.fromstring(response.text)
    said = " ".join("".join(node.itertext()) for node in root.iter("Say"))
    assert "try again" in said and "999" in said
    assert root.find("Hangup") is not None


def test_healthz_says_redis_is_down(gateway_without_redis: str) -> None:
    started = time.perf_counter()
    response = httpx.get(f"{gateway_without_redis}/healthz", timeout=20)
    assert time.perf_counter() - started < QUICK_SECONDS
    assert response.status_code == 503
    assert response.json()["components"]["redis"] == "down"
    assert response.json()["status"] == "down"
