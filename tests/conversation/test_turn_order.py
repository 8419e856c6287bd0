"""A conversation's turns run one at a time, in the order they arrive, even when two
gateways (here two `Conversations` with their own Redis connections) receive them at once;
different conversations do not wait for each other. Real Valkey, a dialogue engine that
takes its time."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator
from typing import Any, cast

import pytest
from redis.asyncio import Redis

from bot.conversation.dialogue import RasaClient
from bot.conversation.turn import Conversations, SenderTooFast, UnknownConversation
from bot.platform.messages import BotMessage
from bot.platform.redis_keys import Keys
from bot.safety.desk import EmergencyDesk
from bot.safety.verdict import Verdict

ENGINE_SECONDS = 0.3


class SlowEngine:
    """Records when each message was being handled, and in what order it arrived."""

    def __init__(self) -> None:
        self.handled: list[tuple[str, str, float, float]] = []

    async def send(
        self, sender: str, text: str, channel: str, metadata: dict[str, Any] | None = None
    ) -> list[BotMessage]:
        started = time.monotonic()
        await asyncio.sleep(ENGINE_SECONDS)
        self.handled.append((sender, text, started, time.monotonic()))
        return [BotMessage(f"got {text}")]


class RecordingEmergencies:
    """A police desk that notes when it was told; `fail` makes telling it raise."""

    def __init__(self, fail: bool = False) -> None:
        self.told_at: list[float] = []
        self.fail = fail

    def open_key(self, key: str) -> str:
        return KEYS.conversation_emergency(key)

    async def handle(
        self,
        open_id: bytes | None,
        key: str,
        channel: str,
        text: str,
        verdict: Verdict,
        contact: str | None,
    ) -> None:
        self.told_at.append(time.monotonic())
        if self.fail:
            raise ConnectionError("the emergency queue is unreachable")


Gateways = tuple[Conversations, Conversations, SlowEngine]
KEYS = Keys("turnorder")


def a_gateway(
    redis: Redis, engine: SlowEngine, wait: float = 5.0, emergencies: Any = None
) -> Conversations:
    """A gateway's conversation turns on `redis`, waiting `wait` s at most for the lock."""
    return Conversations(
        redis, KEYS, cast(RasaClient, engine), b"secret", 600, "sorry",
        cast(EmergencyDesk, emergencies or RecordingEmergencies()),
        turn_wait_seconds=wait, turn_lock_seconds=10,
    )  # fmt: skip


@pytest.fixture
async def gateways(valkey_url: str) -> AsyncIterator[Gateways]:
    engine = SlowEngine()
    clients = [Redis.from_url(valkey_url), Redis.from_url(valkey_url)]
    yield a_gateway(clients[0], engine), a_gateway(clients[1], engine), engine
    for client in clients:
        await client.aclose()


async def later(delay: float, coroutine: Any) -> Any:
    await asyncio.sleep(delay)
    return await coroutine


async def test_two_turns_of_one_conversation_run_one_after_the_other_in_arrival_order(
    gateways: Gateways,
) -> None:
    a, b, engine = gateways
    first, second = await asyncio.gather(
        a.turn("conv-1", "sms", "the first message"),
        later(0.005, b.turn("conv-1", "sms", "the second message")),
    )
    assert [m.text for m in first.messages] == ["got the first message"]
    assert [m.text for m in second.messages] == ["got the second message"]
    (_, text_1, _, ended_1), (_, text_2, started_2, _) = engine.handled
    assert (text_1, text_2) == ("the first message", "the second message")
    assert started_2 >= ended_1  # the engine never had both at once


async def test_many_turns_of_one_conversation_never_overlap(
    gateways: Gateways,
) -> None:
    a, b, engine = gateways
    ordinals = ("first", "second", "third", "fourth", "fifth")
    await asyncio.gather(
        *(
            later(0.002 * n, (a, b)[n % 2].turn("conv-2", "chat", f"the {word} message"))
            for n, word in enumerate(ordinals)
        )
    )
    spans = sorted((started, ended) for _, _, started, ended in engine.handled)
    assert len(spans) == 5
    assert all(later_start >= ended for (_, ended), (later_start, _) in itertools.pairwise(spans))


async def test_different_conversations_do_not_wait_for_each_other(
    gateways: Gateways,
) -> None:
    a, b, _ = gateways
    started = time.monotonic()
    await asyncio.gather(*(((a, b)[n % 2]).turn(f"conv-3-{n}", "chat", "hello") for n in range(6)))
    assert time.monotonic() - started < 3 * ENGINE_SECONDS


async def test_a_lock_left_by_a_dead_gateway_delays_the_turn_but_never_drops_it(
    valkey_url: str, gateways: Gateways
) -> None:
    _, _, engine = gateways
    async with Redis.from_url(valkey_url) as redis:
        # A gateway died holding the lock (its expiry is far off).
        await redis.set(KEYS.conversation_turn_lock("conv-4"), "dead-gateway", ex=60)
        impatient = a_gateway(redis, engine, wait=0.5)
        started = time.monotonic()
        result = await impatient.turn("conv-4", "chat", "hello again")
        assert 0.5 <= time.monotonic() - started < 0.5 + 3 * ENGINE_SECONDS
        assert [m.text for m in result.messages] == ["got hello again"]
        # The other gateway's token is left alone: only its owner or its expiry ends it.
        assert await redis.get(KEYS.conversation_turn_lock("conv-4")) == b"dead-gateway"


async def test_an_emergency_is_raised_at_once_while_the_previous_turn_still_runs(
    valkey_url: str, gateways: Gateways
) -> None:
    _, _, engine = gateways
    desk = RecordingEmergencies()
    async with Redis.from_url(valkey_url) as redis:
        await redis.set(KEYS.conversation_turn_lock("conv-5"), "busy-turn", ex=60)
        gateway = a_gateway(redis, engine, wait=1.0, emergencies=desk)
        started = time.monotonic()
        result = await gateway.turn("conv-5", "sms", "theres a man with a knife outside")
        assert desk.told_at and desk.told_at[0] - started < 0.2  # not after the 1 s wait
        assert time.monotonic() - started >= 1.0  # the turn itself did wait its turn
        assert result.verdict.emergency


async def test_a_failure_to_raise_an_emergency_is_not_swallowed_and_frees_the_lock(
    valkey_url: str, gateways: Gateways
) -> None:
    _, _, engine = gateways
    async with Redis.from_url(valkey_url) as redis:
        gateway = a_gateway(redis, engine, wait=1.0, emergencies=RecordingEmergencies(fail=True))
        with pytest.raises(ConnectionError):
            await gateway.turn("conv-6", "sms", "theres a man with a knife outside")
        assert await redis.get(KEYS.conversation_turn_lock("conv-6")) is None
        assert not any(
            text == "theres a man with a knife outside" for _, text, _, _ in engine.handled
        )


async def test_a_refused_message_is_not_acted_on_and_leaves_no_lock(
    valkey_url: str, gateways: Gateways
) -> None:
    """Rate limits and a web chat's id are checked in the turn's first round trip, with
    the lock taken alongside: a refusal must free the lock and tell no one."""
    _, _, engine = gateways
    desk = RecordingEmergencies()
    knife = "theres a man with a knife outside"

    async def too_fast() -> bool:
        return False

    async with Redis.from_url(valkey_url) as redis:
        gateway = a_gateway(redis, engine, emergencies=desk)
        await redis.set(KEYS.conversation("conv-7"), "chat", ex=60)
        with pytest.raises(SenderTooFast):
            await gateway.turn("conv-7", "chat", knife, known=True, admit=too_fast())
        with pytest.raises(UnknownConversation):
            await gateway.turn("never-started", "chat", knife, known=True)
        for conversation in ("conv-7", "never-started"):
            assert await redis.get(KEYS.conversation_turn_lock(conversation)) is None
        assert desk.told_at == [] and engine.handled == []
        # Admitted, the same message goes through, on the conversation's renewed expiry.
        result = await gateway.turn("conv-7", "chat", knife, known=True)
        assert desk.told_at and result.verdict.emergency
        assert await redis.ttl(KEYS.conversation("conv-7")) > 60
