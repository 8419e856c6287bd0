"""A request sent again is answered as the first was, and the work behind it runs once:
Twilio retries a webhook it got no answer to (the same MessageSid or call step), and the
chat page sends a message again when its answer did not arrive (the same message id).

The first request claims the id with SET NX for a short lease, which it renews while it
works (`holding`); a concurrent retry waits for the answer. A request whose process died
stops renewing, its claim lapses within seconds, and the retry waiting on it claims the
id and runs the work itself (Twilio's retry after a gateway crash gets an answer, not
silence). Answers repeat what the resident told the bot (a read-back of their report),
so they are sealed.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

from redis.asyncio import Redis

from bot.privacy.crypto import Cipher, seal, unseal

PENDING = b"\x00pending"
LEASE_SECONDS = 6  # a claim nobody renews lapses this soon
_RENEW_EVERY = 2.0
# Renew only a claim still pending: never shorten an answer stored meanwhile.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
ANSWER_SECONDS = 2 * 86_400


async def claim(redis: Redis, key: str) -> bool:
    return bool(await redis.set(key, PENDING, nx=True, ex=LEASE_SECONDS))


@contextlib.asynccontextmanager
async def holding(redis: Redis, key: str) -> AsyncIterator[None]:
    """Keep a claim alive while the work behind it runs."""

    async def renew() -> None:
        while True:
            await asyncio.sleep(_RENEW_EVERY)
            await redis.eval(_RENEW, 1, key, PENDING.decode(), str(LEASE_SECONDS))  # type: ignore[misc]

    renewing = asyncio.create_task(renew())
    try:
        yield
    finally:
        renewing.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await renewing


async def store_answer(redis: Redis, key: str, answer: str, cipher: Cipher | None) -> None:
    await redis.set(key, seal(cipher, answer), ex=ANSWER_SECONDS)


async def release(redis: Redis, key: str) -> None:
    await redis.delete(key)


async def wait_for_answer(
    redis: Redis, key: str, wait_seconds: float, cipher: Cipher | None
) -> str | None:
    """The stored answer, waiting up to `wait_seconds` while the first request runs; None
    when it is not there by then, or when the claim lapsed (its request died: claim it)."""
    deadline = time.monotonic() + wait_seconds
    while True:
        raw = await redis.get(key)
        if raw is not None and raw != PENDING:
            return unseal(cipher, raw)
        if raw is None or time.monotonic() >= deadline:
            return None
        await asyncio.sleep(0.05)
