"""The chat page sends a message again, with the same id, when its answer did not arrive:
against the real Rasa server and Valkey, the resend gets the same answer and the report
goes on as if the message had been sent once."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from bot.conversation.idempotency import PENDING
from bot.conversation.resends import message_digest
from bot.platform.redis_keys import Keys
from bot.platform.stack import Stack
from tests.e2e.chat_driver import conversation_key, question_in

pytestmark = pytest.mark.rasa

OPENING = "I want to report anti-social behaviour"
WHAT_HAPPENED = "Loud music from the flat above, it goes on for hours"
WHEN = "last night about 11pm"


@pytest.fixture
def http(live_gateway_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_gateway_url, timeout=30) as client:
        yield client


def post(
    http: httpx.Client, conversation_id: str | None, text: str, message_id: str | None
) -> httpx.Response:
    body = {"conversation_id": conversation_id, "text": text, "message_id": message_id}
    return http.post("/api/chat", json=body)


def answered(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def last_question(body: dict[str, Any]) -> str | None:
    return next((q for m in reversed(body["messages"]) if (q := question_in(m["text"]))), None)


def test_a_resent_answer_is_answered_again_and_taken_once(http: httpx.Client) -> None:
    start = answered(post(http, None, OPENING, None))
    conversation = start["conversation_id"]
    assert last_question(start) == "incident_description"

    message_id = secrets.token_hex(16)
    first = answered(post(http, conversation, WHAT_HAPPENED, message_id))
    again = answered(post(http, conversation, WHAT_HAPPENED, message_id))
    assert again["messages"] == first["messages"]
    assert last_question(again) == "incident_time"
    assert "Server-Timing" not in post(http, conversation, WHAT_HAPPENED, message_id).headers

    # Taken once: the next answer is the time, and the bot moves on to the place.
    after = answered(post(http, conversation, WHEN, secrets.token_hex(16)))
    assert last_question(after) == "incident_location", after


def test_the_same_words_with_a_new_id_are_a_new_message(http: httpx.Client) -> None:
    conversation = answered(post(http, None, OPENING, None))["conversation_id"]
    answered(post(http, conversation, WHAT_HAPPENED, secrets.token_hex(16)))
    # The resident meant to say it twice: taken as the answer to the time question.
    second = answered(post(http, conversation, WHAT_HAPPENED, secrets.token_hex(16)))
    assert last_question(second) != "incident_time", second


def test_a_resent_first_message_goes_on_in_the_conversation_it_started(
    http: httpx.Client,
) -> None:
    message_id = secrets.token_hex(16)
    first = answered(post(http, None, OPENING, message_id))
    again = answered(post(http, None, OPENING, message_id))
    assert again["conversation_id"] == first["conversation_id"]
    assert again["messages"] == first["messages"]
    other = answered(post(http, None, OPENING, secrets.token_hex(16)))
    assert other["conversation_id"] != first["conversation_id"]


def test_a_resend_while_the_first_is_being_answered_gets_the_same_answer(
    http: httpx.Client,
) -> None:
    conversation = answered(post(http, None, OPENING, None))["conversation_id"]
    message_id = secrets.token_hex(16)
    with ThreadPoolExecutor(2) as pool:
        replies = list(
            pool.map(lambda _: post(http, conversation, WHAT_HAPPENED, message_id), range(2))
        )
    first, second = (answered(r) for r in replies)
    assert first["messages"] == second["messages"]
    after = answered(post(http, conversation, WHEN, secrets.token_hex(16)))
    assert last_question(after) == "incident_location", after


def test_a_resend_whose_first_copy_was_never_answered_is_asked_to_wait(
    http: httpx.Client, live_stack: Stack, live_redis: redis.Redis
) -> None:
    conversation = answered(post(http, None, OPENING, None))["conversation_id"]
    message_id = secrets.token_hex(16)
    # What a gateway killed during the first copy's turn leaves behind: its claim.
    secret = (Path(live_stack.settings_env["ASB_DATA_DIR"]) / "pseudonym.key").read_text()
    digest = message_digest(secret.strip().encode(), message_id, WHAT_HAPPENED)
    claim = Keys().conversation_message(conversation_key(live_stack, conversation), digest)
    live_redis.set(claim, PENDING, ex=60)

    response = post(http, conversation, WHAT_HAPPENED, message_id)
    assert response.status_code == 409
    assert response.headers["Retry-After"] == "5"
    assert "still answering that message" in response.json()["detail"]
    # Nothing was taken: the bot still waits for what happened.
    live_redis.delete(claim)
    retried = answered(post(http, conversation, WHAT_HAPPENED, message_id))
    assert last_question(retried) == "incident_time", retried


@pytest.mark.parametrize("message_id", ["short", "x" * 65, "has spaces in it, sixteen+", 42])
def test_a_bad_message_id_is_refused_clearly(http: httpx.Client, message_id: object) -> None:
    response = http.post(
        "/api/chat", json={"conversation_id": None, "text": OPENING, "message_id": message_id}
    )
    assert response.status_code == 422
    assert '"message_id" must be 16 to 64' in response.json()["detail"]
