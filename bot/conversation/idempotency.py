"""A request sent again is answered as the first was, and the work behind it runs once:
Twilio retries a webhook it got no answer to (the same MessageSid or call step), and the
chat page sends a message again when its answer did not arrive (the same message id).

The first request claims the id with SET NX; a concurrent retry waits for the answer.
A claim left by a crashed request expires, so a later retry can run it again. Answers
repeat what the resident told the bot (a read-back of their report), so they are sealed.
"""

from __future__ import annotations

import asyncio
import time

from redis.asyncio import Redis

from bot.privacy.crypto import Cipher, seal, unseal

PENDING = b"\x00pending"
CLAIM_SECONDS = 60
ANSWER_SECONDS = 2 * 86_400


async def claim(redis: Redis, key: str) -> bool:
    return bool(await redis.set(key, PENDING, nx=True, ex=CLAIM_SECONDS))


async def store_answer(redis: Redis, key: str, answer: str, cipher: Cipher | None) -> None:
    await redis.set(key, seal(cipher, answer), ex=ANSWER_SECONDS)


async def release(redis: Redis, key: str) -> None:
    await redis.delete(key)


async def wait_for_answer(
    redis: Redis, key: str, wait_seconds: float, cipher: Cipher | None
) -> str | None:
    """The stored answer, waiting up to `wait_seconds` while the first request runs."""
    deadline = time.monotonic() + wait_seconds
    while True:
        raw = await redis.get(key)
        if raw is not None and raw != PENDING:
            return unseal(cipher, raw)
        if raw is None or time.monotonic() >= deadline:
            return None
        await asyncio.sleep(0.05)
