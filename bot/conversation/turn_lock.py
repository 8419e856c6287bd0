"""A conversation's turn lock, taken and released in the same round trip as the turn's
own reads and writes.

Under `appendfsync always` every Redis reply waits for Valkey to fsync whatever it wrote
in that pass, so each round trip of a turn costs about one disk flush, and more under
load. The lock is redis-py's (the same `SET NX PX` and its own compare-and-delete
script), only queued in the turn's pipelines: its first attempt goes with the turn's
reads, its release with the turn's last write. When a previous turn holds it, redis-py's
`Lock.acquire` waits, as it did before.
"""

from __future__ import annotations

import secrets

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.asyncio.lock import Lock


class TurnLock:
    def __init__(self, redis: Redis, name: str, expire_seconds: float, wait_seconds: float):
        self._name = name
        self._expire_ms = int(expire_seconds * 1000)
        self._token = secrets.token_hex(16)
        self._lock = redis.lock(
            name,
            timeout=expire_seconds,
            sleep=0.01,
            blocking_timeout=wait_seconds,
            thread_local=False,
        )

    def try_take(self, pipe: Pipeline) -> None:
        """Queue one attempt; its reply in the pipeline's results is truthy when taken."""
        pipe.set(self._name, self._token, nx=True, px=self._expire_ms)

    async def take(self) -> bool:
        """Wait for the holder to finish (False: waited as long as allowed)."""
        return bool(await self._lock.acquire(token=self._token))

    def release(self, pipe: Pipeline) -> None:
        """Queue the release; its reply is 0 when the lock had expired and gone to another.
        EVAL, not a registered script: redis-py checks a pipeline's scripts with SCRIPT
        EXISTS first, one more round trip (the server caches the compiled script)."""
        pipe.eval(Lock.LUA_RELEASE_SCRIPT, 1, self._name, self._token)
