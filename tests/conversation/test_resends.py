"""A web chat message sent again while its first copy is still being answered, after that
copy failed, or after its gateway died mid-turn. Real Valkey and the service's own
composition; a dialogue engine that answers when the test lets it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.conversation.resends import MessageInProgress, ResendClaim, message_digest
from bot.conversation.services import Services
from bot.conversation.turn_lock import TurnLock
from bot.platform.messages import BotMessage
from tests.composed_services import composed_services

QUESTION = BotMessage("When did it happen?")
WORDS = "loud music from next door every night"
TURN_WAIT = 0.5  # RASA_TIMEOUT_SECONDS: a resend waits this long; a claim lives 3x as long


@pytest.fixture
async def services(valkey_url: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Services]:
    async with composed_services(
        valkey_url, monkeypatch, RASA_TIMEOUT_SECONDS=str(TURN_WAIT)
    ) as svc:
        yield svc


class Engine:
    """Answers each message with the next question once `go` is set; can fail once."""

    def __init__(self, fail_first: bool = False) -> None:
        self.heard: list[str] = []
        self.heard_one = asyncio.Event()
        self.go = asyncio.Event()
        self.fail_first = fail_first

    async def send(
        self, sender: str, text: str, channel: str, metadata: dict[str, Any] | None = None
    ) -> list[BotMessage]:
        self.heard.append(text)
        self.heard_one.set()
        if self.fail_first and len(self.heard) == 1:
            raise RuntimeError("the turn broke")
        await self.go.wait()
        return [QUESTION]


def engine_for(services: Services, engine: Engine) -> Engine:
    services.conversations._dialogue = engine  # type: ignore[assignment]
    return engine


async def test_a_resend_waits_for_the_first_copys_answer(services: Services) -> None:
    engine = engine_for(services, Engine())
    _, key = await services.conversations.start_web_chat()
    turn = services.conversations.turn
    first = asyncio.create_task(turn(key, "chat", WORDS, message_id="m" * 16))
    await engine.heard_one.wait()
    again = asyncio.create_task(turn(key, "chat", WORDS, message_id="m" * 16))
    await asyncio.sleep(0.1)
    engine.go.set()
    one, two = await asyncio.gather(first, again)
    assert list(one.messages) == list(two.messages) == [QUESTION]
    assert two.repeated and not one.repeated
    assert engine.heard == [WORDS]


async def test_a_message_whose_turn_failed_is_taken_when_sent_again(services: Services) -> None:
    engine = engine_for(services, Engine(fail_first=True))
    engine.go.set()
    _, key = await services.conversations.start_web_chat()
    with pytest.raises(RuntimeError):
        await services.conversations.turn(key, "chat", WORDS, message_id="f" * 16)
    again = await services.conversations.turn(key, "chat", WORDS, message_id="f" * 16)
    assert list(again.messages) == [QUESTION] and not again.repeated
    assert engine.heard == [WORDS, WORDS]


async def test_a_resend_after_its_gateway_died_is_asked_to_wait_then_taken(
    services: Services,
) -> None:
    engine = engine_for(services, Engine())
    engine.go.set()
    _, key = await services.conversations.start_web_chat()
    # What a gateway killed mid-turn leaves: the turn lock and the message's claim.
    claim_seconds = 3 * TURN_WAIT
    keys, conversations = services.keys, services.conversations
    name = keys.conversation_message(key, message_digest(b"test-secret", "d" * 16, WORDS))
    async with services.redis.pipeline(transaction=False) as pipe:
        TurnLock(services.redis, keys.conversation_turn_lock(key), claim_seconds, 0).try_take(pipe)
        ResendClaim(name, claim_seconds, None).try_claim(pipe)
        await pipe.execute()

    with pytest.raises(MessageInProgress):
        await conversations.turn(key, "chat", WORDS, message_id="d" * 16)
    assert engine.heard == []  # not taken while the first copy may still be answered

    await asyncio.sleep(claim_seconds)
    again = await conversations.turn(key, "chat", WORDS, message_id="d" * 16)
    assert list(again.messages) == [QUESTION]
    assert engine.heard == [WORDS]
