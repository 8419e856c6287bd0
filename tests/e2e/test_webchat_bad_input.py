"""Bad input to POST /api/chat gets a clear 4xx and stores nothing; with the dialogue
engine unreachable the resident gets a plain apology and their words are kept."""

from __future__ import annotations

import httpx
import pytest
import redis

from bot.platform.stack import Stack
from tests.e2e.chat_driver import conversation_key

pytestmark = pytest.mark.rasa


def conversation_keys(live_redis: redis.Redis) -> set[bytes]:
    return set(live_redis.scan_iter("asb:conv:*"))


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (b'{"conversation_id": null, "text": "   "}', 422, "type a message"),
        (b'{"conversation_id": null, "text": "' + b"a" * 2001 + b'"}', 422, "2,000 characters"),
        (b'{"conversation_id": null, "text": ', 400, "must be JSON"),
        (b'{"conversation_id": null, "text": "caf\xe9"}', 400, "UTF-8"),
        (b'["not", "an", "object"]', 422, '"text"'),
        (b'{"conversation_id": null, "text": 42}', 422, '"text"'),
        (b'{"conversation_id": "no-such-conversation-here", "text": "hi"}', 404, "not found"),
        (b'{"conversation_id": "x", "text": "hi"}', 404, "not found"),
    ],
    ids=["empty", "too-long", "invalid-json", "not-utf8", "not-object", "text-not-string",
         "unknown-id", "short-id"],
)  # fmt: skip
def test_bad_input_is_refused_clearly_and_stores_nothing(
    live_gateway_url: str, live_redis: redis.Redis, body: bytes, status: int, words: str
) -> None:
    before = conversation_keys(live_redis)
    response = httpx.post(
        f"{live_gateway_url}/api/chat", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == status
    detail = response.json()["detail"]
    assert isinstance(detail, str) and words in detail
    assert conversation_keys(live_redis) == before


def test_two_thousand_characters_is_accepted(live_gateway_url: str) -> None:
    response = httpx.post(
        f"{live_gateway_url}/api/chat",
        json={"conversation_id": None, "text": "noise " * 333 + "xx"},
        timeout=30,
    )
    assert response.status_code == 200


def test_new_conversations_get_distinct_unguessable_ids(live_gateway_url: str) -> None:
    ids = set()
    for _ in range(3):
        response = httpx.post(
            f"{live_gateway_url}/api/chat",
            json={"conversation_id": None, "text": "hello"},
            timeout=30,
        )
        ids.add(response.json()["conversation_id"])
    assert len(ids) == 3
    assert all(len(i) >= 32 for i in ids)


def test_rasa_unreachable_gives_apology_and_keeps_text(
    gateway_without_rasa: str, live_gateway_url: str, live_redis: redis.Redis, live_stack: Stack
) -> None:
    # Start on the healthy gateway, then the engine "goes away" for this conversation.
    first = httpx.post(
        f"{live_gateway_url}/api/chat",
        json={"conversation_id": None, "text": "I want to report anti-social behaviour"},
        timeout=30,
    ).json()
    conversation_id = first["conversation_id"]
    response = httpx.post(
        f"{gateway_without_rasa}/api/chat",
        json={"conversation_id": conversation_id, "text": "Lads dealing drugs by the garages"},
        timeout=30,
    )
    assert response.status_code == 200
    text = response.json()["messages"][0]["text"]
    assert "Sorry" in text and "024 7683 1999" in text and "999" in text
    assert "Traceback" not in text and "Error" not in text
    health = httpx.get(f"{gateway_without_rasa}/healthz").json()
    assert health["components"]["rasa"] == "down"

    # The scripted fallback report starts; abandoned, it expires, and back on a gateway
    # whose engine answers, the kept words reach the report form.
    key = conversation_key(live_stack, conversation_id)
    assert live_redis.exists(f"asb:conv:{key}:fallback")
    live_redis.delete(f"asb:conv:{key}:fallback")
    answer = httpx.post(
        f"{live_gateway_url}/api/chat",
        json={"conversation_id": conversation_id, "text": "yesterday evening"},
        timeout=30,
    ).json()
    assert "where did it happen" in answer["messages"][-1]["text"].lower()
    assert not live_redis.exists(f"asb:conv:{key}:pending")
