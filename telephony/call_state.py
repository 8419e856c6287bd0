"""Where one call has got to, in Redis by CallSid: its conversation key (pseudonymous),
how many times in a row the caller gave no answer, and what was last said (sealed: it
may read back the caller's answers)."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from bot.conversation.idempotency import ANSWER_SECONDS
from bot.platform.redis_keys import Keys
from bot.privacy.crypto import Cipher, seal, unseal
from telephony.voice_turns import TurnOutcome

# Kept as long as the call's turns (idempotency records), from the call's first request:
# a replayed request of the call finds its state, not a fresh call.
CALL_SECONDS = ANSWER_SECONDS


@dataclass(frozen=True)
class CallState:
    conversation_key: str
    failures: int
    last: TurnOutcome | None
    next_step: int = 1


class Calls:
    def __init__(self, redis: Redis, keys: Keys, cipher: Cipher | None):
        self._redis = redis
        self._keys = keys
        self._cipher = cipher

    async def begin(
        self, call_sid: str, conversation_key: str, caller_key: str | None, ttl: int
    ) -> None:
        """Record the call; `caller_key` (the keyed hash of the caller's number) indexes
        its conversation for `ttl` seconds, as long as the conversation is kept."""
        key = self._keys.call(call_sid)
        async with self._redis.pipeline(transaction=True) as tx:
            tx.hsetnx(key, "conversation_key", conversation_key)
            tx.expire(key, CALL_SECONDS, nx=True)  # a repeated request does not extend it
            if caller_key is not None:
                index = self._keys.contact_calls(caller_key)
                tx.hset(index, conversation_key, call_sid)
                tx.expire(index, ttl)
            await tx.execute()

    async def get(self, call_sid: str) -> CallState | None:
        raw = await self._redis.hgetall(self._keys.call(call_sid))  # type: ignore[misc]
        if not raw or b"conversation_key" not in raw:
            return None
        last = raw.get(b"last")
        return CallState(
            conversation_key=raw[b"conversation_key"].decode(),
            failures=int(raw.get(b"failures", b"0")),
            last=TurnOutcome.from_json(unseal(self._cipher, last)) if last else None,
            next_step=int(raw.get(b"next_step", b"1")),
        )

    async def hold_unsure(self, call_sid: str, step: int, speech: str) -> int:
        """Keep an answer the recogniser was unsure of while the caller is asked whether
        it heard right; how many times this step has been checked."""
        key = self._keys.call(call_sid)
        async with self._redis.pipeline(transaction=True) as tx:
            tx.hset(key, mapping={"unsure": seal(self._cipher, speech), "unsure_step": step})
            tx.hincrby(key, f"checked:{step}", 1)
            _, checks = await tx.execute()
        return int(checks)

    async def take_unsure(self, call_sid: str, step: int) -> str | None:
        """The answer held for checking at `step` (and forget it), or None."""
        key = self._keys.call(call_sid)
        held, held_step = await self._redis.hmget(key, ["unsure", "unsure_step"])  # type: ignore[misc]
        if held is None or int(held_step or 0) != step:
            return None
        await self._redis.hdel(key, "unsure", "unsure_step")  # type: ignore[misc]
        return unseal(self._cipher, held)

    async def checks(self, call_sid: str, step: int) -> int:
        """How many answers at `step` have been read back for checking."""
        count = await self._redis.hget(self._keys.call(call_sid), f"checked:{step}")  # type: ignore[misc]
        return int(count or 0)

    async def failed(self, call_sid: str) -> int:
        """One more time without an answer; how many in a row now."""
        count = await self._redis.hincrby(self._keys.call(call_sid), "failures", 1)  # type: ignore[misc]
        return int(count)

    async def answered(
        self, call_sid: str, outcome: TurnOutcome | None = None, step: int | None = None
    ) -> None:
        key = self._keys.call(call_sid)
        if step is not None:
            current = int(await self._redis.hget(key, "next_step") or 1)  # type: ignore[misc]
            if current > step + 1:
                return  # a repeated request for an earlier step: the call has moved on
        fields = {"failures": "0"}
        if outcome is not None:
            fields["last"] = seal(self._cipher, outcome.to_json())
        if step is not None:
            fields["next_step"] = str(step + 1)
        await self._redis.hset(key, mapping=fields)  # type: ignore[misc]
