"""Whether the dialogue engine answers, known to every gateway process at once.

A turn that finds Rasa not answering marks it down in Redis, with the time it was first
seen down. While the mark is there, a turn asks Rasa's status (a short timeout) before
sending: Rasa loading its model after a crash (about 20 s) accepts connections but
answers nothing, and a resident must not wait out a turn's whole timeout for the script
to take over. The first status that answers clears the mark. Each process reads the mark
at most twice a second, so a turn seldom pays a Redis read for it.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.conversation.dialogue import DialogueUnavailable, RasaClient
from bot.platform.messages import BotMessage
from bot.platform.redis_keys import Keys

PROBE_SECONDS = 1.0
REREAD_SECONDS = 0.5


class DialogueWatch:
    """A `RasaClient` that skips a dialogue engine known to be down."""

    def __init__(self, client: RasaClient, redis: Redis, keys: Keys):
        self._client = client
        self._redis = redis
        self._key = keys.dialogue_down_since()
        self._read_at = float("-inf")
        self._down_since: float | None = None

    async def send(
        self, sender: str, text: str, channel: str, metadata: dict[str, Any] | None = None
    ) -> list[BotMessage]:
        if await self.down_since() is not None:
            if not await self._client.is_up(timeout_seconds=PROBE_SECONDS):
                raise DialogueUnavailable("down (its status does not answer)")
            await self._clear()
        try:
            return await self._client.send(sender, text, channel, metadata)
        except DialogueUnavailable:
            await self._mark()
            raise

    async def is_up(self) -> bool:
        """Whether Rasa's status answers now; the mark follows (when Redis can keep it)."""
        up = await self._client.is_up(timeout_seconds=PROBE_SECONDS)
        with contextlib.suppress(RedisError, OSError):
            await (self._clear() if up else self._mark())
        return up

    async def down_since(self) -> float | None:
        """When the engine was first found down (epoch seconds), or None while it answers."""
        now = time.monotonic()
        if now - self._read_at >= REREAD_SECONDS:
            since = await self._redis.get(self._key)
            self._down_since = float(since) if since else None
            self._read_at = now
        return self._down_since

    async def _mark(self) -> None:
        await self._redis.set(self._key, f"{time.time():.3f}", nx=True)
        self._read_at = float("-inf")  # read back the first process's time

    async def _clear(self) -> None:
        await self._redis.delete(self._key)
        self._down_since, self._read_at = None, time.monotonic()

    async def aclose(self) -> None:
        await self._client.aclose()
