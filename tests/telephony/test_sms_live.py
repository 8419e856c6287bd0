"""SMS against the real stack: Rasa with the trained model, the action server and Valkey.
Requests are signed as Twilio signs them; replies are TwiML."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

import httpx
import pytest
import redis
from redis.asyncio import Redis

from bot.cases.reference import normalise_reference
from bot.conversation import idempotency
from bot.platform.redis_keys import Keys
from bot.platform.settings import Settings
from bot.platform.stack import Stack
from bot.privacy.contact import pseudonymous_key
from telephony.sms_format import MAX_CHARS, gsm_length, is_gsm
from telephony.sms_sender import SmsSender
from tests.e2e.chat_driver import reference_in
from tests.records import plain, tracker_events
from tests.telephony.drivers import SmsResident, message_sid, question_of, sms_texts
from tests.telephony.fake_twilio import FakeTwilio
from tests.telephony.signing import post_signed, signature

pytestmark = pytest.mark.rasa

ANSWERS = {
    "incident_description": "Lads on motorbikes racing up and down the street every night",
    "incident_time": "last night about 10pm",
    "incident_location": "CV1 5FB",
    "people_involved": "four or five lads, I don't know them",
    "impact": "I can't sleep and my kids are scared",
    "targeted_identity": "1",  # No
    "vulnerability": "no",
    "previous_incidents": "1",  # Yes
    # All three risk questions at once, while whether it happened before is open.
    "risk_questions_with_previous": "no, but it's happened before",
    "landlord": "2",  # No, I own my home or rent privately
    "contact_method": "2",  # Text message
    "contact_name": "Alex Smith",
    "contact_phone": "07911 123456",
    "consent_share": "1",  # Yes
    "report_confirmed": "Yes",
}


@pytest.fixture
def http(live_gateway_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_gateway_url, timeout=60) as client:
        yield client


@pytest.fixture
def resident(http: httpx.Client) -> SmsResident:
    return SmsResident(http)


@asynccontextmanager
async def live_sender(live_stack: Stack) -> AsyncIterator[SmsSender]:
    """The outbound sender, configured as the live gateway's is, on the same Valkey."""
    settings = Settings(**live_stack.settings_env)  # type: ignore[arg-type]
    client = Redis.from_url(live_stack.settings_env["REDIS_URL"])
    sender = SmsSender(settings, client, Keys("asb"), settings.secret_key())
    try:
        yield sender
    finally:
        await sender.aclose()
        await client.aclose()


def conversation_key(live_stack: Stack, number: str) -> str:
    settings = Settings(ASB_DATA_DIR=live_stack.settings_env["ASB_DATA_DIR"])
    return pseudonymous_key(settings.secret_key(), "sms", number)


def tracker_user_texts(live_redis: redis.Redis, key: str) -> list[str]:
    raw = live_redis.get(f"asb:tracker:{key}")
    assert raw is not None, "no Rasa tracker for the conversation"
    events = tracker_events(raw)
    return [e.get("text") for e in events if e["event"] == "user"]


def test_full_report_by_sms_with_numbered_replies(
    resident: SmsResident, live_redis: redis.Redis
) -> None:
    final = resident.complete(ANSWERS, "I want to report anti-social behaviour")
    reference = reference_in([{"text": t} for t in final])
    assert reference, resident.dump()
    assert normalise_reference(reference) == reference
    case = json.loads(live_redis.get(f"asb:case:{reference}") or b"null")
    personal = json.loads(plain(live_redis.get(f"asb:case:{reference}:personal")) or b"null")
    assert case["channel"] == "sms", case
    assert case["contact_method"] == "sms", case  # "2" meant the 2nd choice offered
    assert case["flags"]["hate_crime"] is False
    assert personal["answers"]["previous_incidents"].lower().startswith("yes"), personal
    # Never asked for the number they text from: it is the one used.
    assert personal["contact"]["phone"] == resident.number
    assert "what phone number" not in resident.dump().lower()
    # Every reply was GSM-7 and at most two segments.
    for who, text in resident.transcript:
        if who == "bot":
            assert is_gsm(text), text
            assert gsm_length(text) <= MAX_CHARS, text
    assert "Reply 1 for" in resident.dump()


def test_a_texting_resident_can_give_another_number_at_the_read_back(
    resident: SmsResident, live_redis: redis.Redis
) -> None:
    answers = dict(ANSWERS, report_confirmed=["my number is 07911 123456", "Yes"])
    final = resident.complete(answers, "I want to report anti-social behaviour")
    assert "+447400" in resident.dump()  # the number texted from, in the read-back
    reference = reference_in([{"text": t} for t in final])
    assert reference, resident.dump()
    personal = json.loads(plain(live_redis.get(f"asb:case:{reference}:personal")) or b"null")
    assert personal["contact"]["phone"] == "+447911123456"


def test_forged_and_unsigned_requests_are_refused_and_change_nothing(
    http: httpx.Client, live_redis: redis.Redis, live_stack: Stack
) -> None:
    resident = SmsResident(http)
    params = resident.params("I want to report anti-social behaviour")
    sid = params["MessageSid"]
    unsigned = http.post("/twilio/sms", data=params)
    forged = http.post(
        "/twilio/sms",
        data=params,
        headers={"X-Twilio-Signature": signature("/twilio/sms", params, "wrong")},
    )
    tampered_params = dict(params, Body="something else")
    tampered = http.post(
        "/twilio/sms",
        data=tampered_params,
        headers={"X-Twilio-Signature": signature("/twilio/sms", params)},
    )
    wrong_url = http.post(
        "/twilio/sms",
        data=params,
        headers={"X-Twilio-Signature": signature("/twilio/voice", params)},
    )
    for response in (unsigned, forged, tampered, wrong_url):
        assert response.status_code == 403, response.text
    key = conversation_key(live_stack, resident.number)
    assert live_redis.exists(f"asb:twilio:in:{sid}") == 0
    assert live_redis.exists(f"asb:conv:{key}") == 0
    assert live_redis.exists(f"asb:tracker:{key}") == 0
    for path in ("/twilio/voice", "/twilio/status", "/twilio/voice/answer?step=1"):
        assert http.post(path, data={"CallSid": "CA" + "0" * 32}).status_code == 403


def test_a_retried_message_sid_is_answered_the_same_and_runs_once(
    resident: SmsResident, live_redis: redis.Redis, live_stack: Stack
) -> None:
    resident.text("I want to report anti-social behaviour")
    sid = message_sid()
    params = resident.params("Someone keeps dumping rubbish behind the shops", sid)
    first = post_signed(resident.http, "/twilio/sms", params)
    again = post_signed(resident.http, "/twilio/sms", params)
    assert first.status_code == again.status_code == 200
    assert first.text == again.text and "<Message>" in first.text
    # The first ran a turn (the engine's share of its time is given); the retry, none.
    assert first.headers["Server-Timing"].startswith("engine;dur=")
    assert "Server-Timing" not in again.headers
    # Concurrent retries of another message: one runs, all get the same answer.
    sid2 = message_sid()
    params2 = resident.params("last night", sid2)
    with ThreadPoolExecutor(4) as pool:
        answers = list(
            pool.map(lambda _: post_signed(resident.http, "/twilio/sms", params2), range(4))
        )
    assert len({a.text for a in answers}) == 1, [a.text for a in answers]
    texts = tracker_user_texts(live_redis, conversation_key(live_stack, resident.number))
    assert texts.count("Someone keeps dumping rubbish behind the shops") == 1, texts
    assert texts.count("last night") == 1, texts


def test_a_retry_after_its_first_request_died_mid_turn_is_answered(
    resident: SmsResident, live_redis: redis.Redis, live_stack: Stack
) -> None:
    """A gateway killed mid-turn leaves its claim on the MessageSid, no longer renewed:
    Twilio's retry takes the message over once the claim lapses and gets the bot's
    answer, not an empty reply."""
    resident.text("I want to report anti-social behaviour")
    sid = message_sid()
    live_redis.set(f"asb:twilio:in:{sid}", idempotency.PENDING, ex=idempotency.LEASE_SECONDS)
    said = "Someone keeps dumping rubbish behind the shops"
    response = post_signed(resident.http, "/twilio/sms", resident.params(said, sid))
    assert response.status_code == 200
    assert question_of(sms_texts(response)) is not None, response.text  # the report goes on
    texts = tracker_user_texts(live_redis, conversation_key(live_stack, resident.number))
    assert texts.count(said) == 1, texts


def test_help_gives_the_line_and_999(resident: SmsResident) -> None:
    texts = resident.text("HELP")
    assert len(texts) == 1
    assert "999" in texts[0] and "anti-social behaviour" in texts[0]
    assert "STOP" in texts[0]


async def test_stop_then_start(
    resident: SmsResident, live_redis: redis.Redis, live_stack: Stack, fake_twilio: FakeTwilio
) -> None:
    resident.text("I want to report anti-social behaviour")
    assert resident.text("STOP") == []
    key = conversation_key(live_stack, resident.number)
    assert live_redis.sismember("asb:sms:opted-out", key)
    # While opted out nothing is sent: no reply, no HELP, nothing from the outbound sender.
    assert resident.text("hello is anyone there") == []
    assert resident.text("HELP") == []
    async with live_sender(live_stack) as sender:
        result = await sender.send(resident.number, "Your case has been updated.")
        assert result.outcome == "opted_out"
        assert fake_twilio.sent_to(resident.number) == []
        texts = resident.text("START")
        assert len(texts) == 1 and "again" in texts[0] and "999" in texts[0]
        assert not live_redis.sismember("asb:sms:opted-out", key)
        result = await sender.send(resident.number, "Your case has been updated.")
        assert result.outcome == "sent"
        assert len(fake_twilio.sent_to(resident.number)) == 1
    # Once opted back in, "yes" is an answer again, not a keyword.
    assert resident.text("HELP")


def test_photos_texted_during_a_report_go_with_its_case_and_not_the_next(
    resident: SmsResident, live_redis: redis.Redis, live_stack: Stack
) -> None:
    urls = [
        f"https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM{i}/Media/ME{i}"
        for i in range(2)
    ]
    resident.text("I want to report anti-social behaviour")
    texts = resident.text(
        "", NumMedia="2", MediaUrl0=urls[0], MediaContentType0="image/jpeg",
        MediaUrl1=urls[1], MediaContentType1="video/mp4",
    )  # fmt: skip
    assert texts and "kept that with your report" in texts[0]
    key = conversation_key(live_stack, resident.number)
    kept = live_redis.lrange(f"asb:conv:{key}:media", 0, -1)
    assert len(kept) == 2 and not any(b"api.twilio.com" in k for k in kept)  # sealed
    # The report goes on: the photos came instead of an answer to "What happened?".
    first = reference_in(
        [{"text": t} for t in resident.complete(ANSWERS, ANSWERS["incident_description"])]
    )
    again = {**ANSWERS, "incident_description": "The same lads were back racing tonight"}
    second = reference_in(
        [{"text": t} for t in resident.complete(again, "I want to report anti-social behaviour")]
    )
    assert first and second and first != second, resident.dump()
    media = [
        json.loads(plain(live_redis.get(f"asb:case:{ref}:personal")) or b"{}").get("media")
        for ref in (first, second)
    ]
    assert media == [urls, []]


def test_status_callbacks_record_delivery_states(
    http: httpx.Client, live_redis: redis.Redis
) -> None:
    sid = message_sid()
    for status in ("queued", "sent", "delivered"):
        params = {
            "MessageSid": sid,
            "MessageStatus": status,
            "AccountSid": "AC",
            "To": "+447911000001",
        }
        response = post_signed(http, "/twilio/status", params)
        assert response.status_code == 204
    late = {"MessageSid": sid, "MessageStatus": "sent", "AccountSid": "AC"}
    assert post_signed(http, "/twilio/status", late).status_code == 204
    record = {k.decode(): v.decode() for k, v in live_redis.hgetall(f"asb:sms:out:{sid}").items()}
    assert record["status"] == "delivered"  # a late "sent" does not move it back
    assert {"at:queued", "at:sent", "at:delivered"} <= record.keys()
    # A replayed callback (the same signed request) changes nothing, its time included.
    assert post_signed(http, "/twilio/status", params).status_code == 204
    assert live_redis.hgetall(f"asb:sms:out:{sid}") == {
        k.encode(): v.encode() for k, v in record.items()
    }
    call = {"CallSid": "CA" + "1" * 32, "CallStatus": "completed", "CallDuration": "42"}
    assert post_signed(http, "/twilio/status", call).status_code == 204
    assert live_redis.hget(f"asb:call:{call['CallSid']}:status", "status") == b"completed"


def test_an_emergency_by_text_gets_999_and_reaches_the_police_with_the_number(
    resident: SmsResident, live_redis: redis.Redis, live_stack: Stack
) -> None:
    texts = resident.text("HELP THERES A MAN WIV A KNIFE OUTSIDE MY HOUSE RN")
    assert "call 999 now" in texts[0] and "press 55" in texts[0]
    assert all(is_gsm(t) and gsm_length(t) <= MAX_CHARS for t in texts)
    key = conversation_key(live_stack, resident.number)
    emergency_id = live_redis.get(f"asb:conv:{key}:emergency")
    assert emergency_id is not None
    emergency = json.loads(plain(live_redis.get(f"asb:emergency:{emergency_id.decode()}")))  # type: ignore[arg-type]
    assert emergency["channel"] == "sms" and emergency["contact"] == resident.number


def test_help_halfway_answers_and_asks_the_question_again(resident: SmsResident) -> None:
    resident.text("I want to report anti-social behaviour")
    texts = resident.not_in_danger(resident.text("Someone keeps dumping rubbish in our alley"))
    assert question_of(texts) == "incident_time", resident.dump()
    texts = resident.text("help")
    assert "999" in texts[0]  # the line's HELP answer
    assert question_of(texts) == "incident_time", resident.dump()  # and the question again
    texts = resident.text("last night")
    assert question_of(texts) == "incident_location", resident.dump()
