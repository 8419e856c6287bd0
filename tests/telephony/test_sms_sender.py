"""The outbound sender against a local HTTP server serving Twilio's REST paths, on a real
Valkey: retries on 429 and 5xx, opt-out on 21610, invalid number on 21211, the outbox."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot.platform.redis_keys import Keys
from bot.platform.settings import Settings
from telephony.sms_sender import SmsSender
from tests.telephony.drivers import a_mobile_number
from tests.telephony.fake_twilio import FakeTwilio, start_fake_twilio
from tests.telephony.signing import ACCOUNT_SID, AUTH_TOKEN, LINE_NUMBER, telephony_env

SECRET = b"sender-test-secret"


@pytest.fixture(scope="module")
def twilio_api() -> Iterator[FakeTwilio]:
    fake = start_fake_twilio()
    yield fake
    fake.stop()


@pytest.fixture
async def redis(valkey_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(valkey_url)
    yield client
    await client.aclose()


@pytest.fixture
async def sender(twilio_api: FakeTwilio, redis: Redis, tmp_path: Path) -> AsyncIterator[SmsSender]:
    twilio_api.reset()
    settings = Settings(ASB_DATA_DIR=tmp_path, **telephony_env(twilio_api.base_url))  # type: ignore[arg-type]
    sms = SmsSender(settings, redis, Keys("sendertest"), SECRET, backoff_seconds=0.01)
    yield sms
    await sms.aclose()


async def test_sends_on_twilios_path_with_basic_auth_and_status_callback(
    sender: SmsSender, twilio_api: FakeTwilio
) -> None:
    number = a_mobile_number()
    result = await sender.send(number, "Your reference is ASB-K7MP-4QXW \u2013 thanks \U0001f44d")
    assert result.outcome == "sent" and result.sid and result.sid.startswith("SM")
    [request] = twilio_api.sent_to(number)
    assert request.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    user, _, password = base64.b64decode(request.authorization.split()[1]).decode().partition(":")
    assert (user, password) == (ACCOUNT_SID, AUTH_TOKEN)
    assert request.form["From"] == LINE_NUMBER
    assert request.form["Body"] == "Your reference is ASB-K7MP-4QXW - thanks"  # GSM-7 safe
    assert request.form["StatusCallback"] == "https://asb.example.org/twilio/status"
    record = await sender.delivery.status_of(result.sid)
    assert record["status"] == "queued" and record["contact_key"] == sender.contact_key(number)


async def test_429_and_5xx_are_retried_with_backoff(
    sender: SmsSender, twilio_api: FakeTwilio
) -> None:
    number = a_mobile_number()
    twilio_api.fail_next((429, 20429), (500, None), (503, None))
    result = await sender.send(number, "hello")
    assert result.outcome == "sent"
    assert len(twilio_api.sent_to(number)) == 4


async def test_gives_up_after_the_last_attempt(sender: SmsSender, twilio_api: FakeTwilio) -> None:
    number = a_mobile_number()
    twilio_api.fail_next(*[(500, None)] * 4)
    result = await sender.send(number, "hello")
    assert result.outcome == "failed"
    assert len(twilio_api.sent_to(number)) == 4


async def test_a_400_is_not_retried(sender: SmsSender, twilio_api: FakeTwilio) -> None:
    number = a_mobile_number()
    twilio_api.fail_next((400, 21602))
    result = await sender.send(number, "hello")
    assert (result.outcome, result.error_code) == ("failed", 21602)
    assert len(twilio_api.sent_to(number)) == 1


async def test_21610_marks_the_number_opted_out_and_nothing_more_is_sent(
    sender: SmsSender, twilio_api: FakeTwilio
) -> None:
    number = a_mobile_number()
    twilio_api.fail_next((400, 21610))
    assert (await sender.send(number, "hello")).outcome == "opted_out"
    assert await sender.opt_outs.is_opted_out(sender.contact_key(number))
    assert (await sender.send(number, "hello again")).outcome == "opted_out"
    assert len(twilio_api.sent_to(number)) == 1


async def test_21211_records_an_invalid_number_on_the_case(
    sender: SmsSender, twilio_api: FakeTwilio, redis: Redis
) -> None:
    number = a_mobile_number()
    twilio_api.fail_next((400, 21211))
    result = await sender.send(number, "hello", reference="ASB-K7MP-4QXW")
    assert result.outcome == "invalid_number"
    keys = Keys("sendertest")
    assert await redis.sismember(keys.sms_invalid(), sender.contact_key(number))  # type: ignore[misc]
    problems = await redis.hgetall(keys.case_contact_problems("ASB-K7MP-4QXW"))  # type: ignore[misc]
    assert problems == {b"sms": b"invalid_number"}


async def test_without_credentials_messages_go_to_the_outbox(
    redis: Redis, tmp_path: Path, twilio_api: FakeTwilio
) -> None:
    settings = Settings(ASB_DATA_DIR=tmp_path, TWILIO_API_BASE=twilio_api.base_url)  # type: ignore[arg-type]
    sender = SmsSender(settings, redis, Keys("sendertest"), SECRET)
    assert not sender.has_credentials
    number = a_mobile_number()
    result = await sender.send(number, "Your reference is ASB-K7MP-4QXW", reference="ASB-K7MP-4QXW")
    assert result.outcome == "outbox"
    lines = (tmp_path / "outbox" / "sms.jsonl").read_text().splitlines()
    record = json.loads(lines[-1])
    assert record["to"] == number and record["reference"] == "ASB-K7MP-4QXW"
    assert twilio_api.sent_to(number) == []
    await sender.aclose()
