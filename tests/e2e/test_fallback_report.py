"""With the dialogue engine unreachable, the gateway takes the report by a short script
(what, where, how to contact you) and creates a real case; an emergency still comes first."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import redis

from bot.platform.stack import Stack
from bot.privacy.crypto import Cipher
from tests.e2e.chat_driver import REFERENCE, conversation_key, question_in
from tests.records import plain
from tests.telephony.drivers import SmsResident

pytestmark = pytest.mark.rasa

OUTAGE = "part of our system isn't answering"


@pytest.fixture
def no_rasa(gateway_without_rasa: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=gateway_without_rasa, timeout=30) as client:
        yield client


def say(http: httpx.Client, conversation_id: str | None, text: str) -> tuple[str, list[str]]:
    response = http.post("/api/chat", json={"conversation_id": conversation_id, "text": text})
    assert response.status_code == 200, response.text
    body = response.json()
    return body["conversation_id"], [m["text"] for m in body["messages"]]


def test_full_fallback_report_on_web_chat_creates_a_case(
    no_rasa: httpx.Client, live_redis: redis.Redis, live_stack: Stack
) -> None:
    conversation_id, texts = say(no_rasa, None, "hello")
    assert OUTAGE in texts[-1] and "024 7683 1999" in texts[-1] and "999" in texts[-1]
    assert texts[-1].endswith("What happened?")
    _, texts = say(no_rasa, conversation_id, "Kids throwing stones at cars every night")
    assert "Where did it happen?" in texts[-1]
    _, texts = say(no_rasa, conversation_id, "Far Gosford Street, CV1 5DY")
    assert "How can we contact you" in texts[-1]
    _, texts = say(no_rasa, conversation_id, "my phone is 0770")  # not a number
    assert "couldn't read that" in texts[-1]
    # The answers so far are kept for the next message, encrypted: none in the clear.
    key = conversation_key(live_stack, conversation_id)
    kept = live_redis.hgetall(f"asb:conv:{key}:fallback")
    assert list(kept) == [b"sealed"] and Cipher.is_token(kept[b"sealed"])
    assert b"Kids throwing" in (plain(kept[b"sealed"]) or b"")
    for words in (b"stones", b"Gosford", b"CV1 5DY"):
        assert words not in kept[b"sealed"], words
    _, texts = say(no_rasa, conversation_id, "resident@example.org")
    match = REFERENCE.search(texts[-1])
    assert match, texts
    assert "Someone will be in touch" in texts[-1]
    assert live_redis.exists(f"asb:case:{match.group(0)}")
    # Nothing of the scripted report is left to be replayed into the engine later.
    assert not live_redis.exists(f"asb:conv:{key}:fallback")
    assert not live_redis.exists(f"asb:conv:{key}:pending")


def test_emergency_during_fallback_gets_999_first(no_rasa: httpx.Client) -> None:
    conversation_id, texts = say(no_rasa, None, "I want to report something")
    assert texts[-1].endswith("What happened?")
    response = no_rasa.post(
        "/api/chat",
        json={
            "conversation_id": conversation_id,
            "text": "they are kicking my door in right now and have a knife",
        },
    ).json()
    first, last = response["messages"][0], response["messages"][-1]
    assert first.get("urgent") and "999" in first["text"]
    assert "Where did it happen?" in last["text"]


def test_fallback_is_finished_when_the_engine_returns_then_rasa_takes_new_conversations(
    no_rasa: httpx.Client, live_gateway_url: str, live_redis: redis.Redis
) -> None:
    # The first message already says what happened, so the script goes straight to "where".
    conversation_id, texts = say(no_rasa, None, "Lads dealing drugs by the garages")
    assert OUTAGE in texts[-1] and "Where did it happen?" in texts[-1]
    with httpx.Client(base_url=live_gateway_url, timeout=30) as healthy:
        _, texts = say(healthy, conversation_id, "the garages behind Cope Street")
        if question_in(texts[-1]) == "danger_question":  # asked when the model is unsure
            _, texts = say(healthy, conversation_id, "no")
        assert "How can we contact you" in texts[-1]
        _, texts = say(healthy, conversation_id, "none")
        match = REFERENCE.search(texts[-1])
        assert match and "anonymous" in texts[-1], texts
        assert live_redis.exists(f"asb:case:{match.group(0)}")
        _, texts = say(healthy, None, "I want to report anti-social behaviour")
        assert not any(OUTAGE in text for text in texts)


def test_fallback_report_by_sms(gateway_without_rasa: str, live_redis: redis.Redis) -> None:
    with httpx.Client(base_url=gateway_without_rasa, timeout=30) as http:
        resident = SmsResident(http)
        texts = resident.text("Hi")
        assert OUTAGE in " ".join(texts) and texts[-1].endswith("What happened?")
        texts = resident.not_in_danger(
            resident.text("Someone keeps setting fire to the bins on our road")
        )
        assert "Where did it happen" in texts[-1]
        texts = resident.not_in_danger(resident.text("Bins behind Spon End, CV1 3HF"))
        assert "How can we contact you" in texts[-1]
        final = " ".join(resident.text("this number"))
        match = REFERENCE.search(final)
        assert match, final
        assert live_redis.exists(f"asb:case:{match.group(0)}")
