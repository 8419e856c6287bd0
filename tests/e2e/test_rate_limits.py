"""Abuse: too many messages from one conversation or one address get a clear 429 that
still says how to get help, and stop costing the dialogue engine anything."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import redis

from bot.platform.stack import Stack
from tests.conftest import extra_gateway
from tests.telephony.drivers import a_mobile_number, message_sid
from tests.telephony.signing import ACCOUNT_SID, LINE_NUMBER, post_signed

pytestmark = pytest.mark.rasa


@pytest.fixture(scope="module")
def strict_gateway(live_stack: Stack) -> Iterator[str]:
    with extra_gateway(
        live_stack, ASB_RATE_LIMIT_PER_SENDER="3/minute", ASB_RATE_LIMIT_PER_SOURCE="8/minute"
    ) as url:
        yield url


def test_one_conversation_sending_too_fast_is_told_to_wait(
    strict_gateway: str, live_redis: redis.Redis
) -> None:
    with httpx.Client(base_url=strict_gateway, timeout=30) as http:
        first = http.post("/api/chat", json={"conversation_id": None, "text": "hello"}).json()
        conversation_id = first["conversation_id"]
        statuses = [
            http.post("/api/chat", json={"conversation_id": conversation_id, "text": "hi"})
            for _ in range(4)
        ]
    assert [r.status_code for r in statuses] == [200, 200, 200, 429]
    assert "999" in statuses[-1].json()["detail"]
    assert statuses[-1].headers["Retry-After"] == "60"
    # The limit's keys are keyed hashes, never the conversation id or an address.
    keys = [k.decode() for k in live_redis.scan_iter("asb:ratelimit:*")]
    assert keys and not any(conversation_id in k or "127.0.0.1" in k for k in keys)


def test_one_address_opening_many_conversations_is_limited(strict_gateway: str) -> None:
    with httpx.Client(base_url=strict_gateway, timeout=30) as http:
        codes = [
            http.post("/api/chat", json={"conversation_id": None, "text": "hi"}).status_code
            for _ in range(10)
        ]
    assert 429 in codes and codes.index(429) >= 3


def test_a_number_flooding_the_sms_line_gets_no_more_replies(strict_gateway: str) -> None:
    number = a_mobile_number()
    with httpx.Client(base_url=strict_gateway, timeout=30) as http:
        replies = []
        for _ in range(5):
            params = {"MessageSid": message_sid(), "AccountSid": ACCOUNT_SID, "From": number,
                      "To": LINE_NUMBER, "Body": "hello"}  # fmt: skip
            response = post_signed(http, "/twilio/sms", params)
            assert response.status_code == 200
            replies.append(response.text.count("<Message>"))
    assert replies[:3] == [1, 1, 1] and replies[3:] == [0, 0]
