"""Durable case storage in Redis.

A reference is only told to a resident once the case is on disk: the write is followed
by WAITAOF, which returns when the append-only file (and, in production, replicas) has
fsync'd it. A server without an append-only file cannot promise that, so we refuse.
"""

from __future__ import annotations

from collections.abc import Callable

from redis.asyncio import Redis
from redis.exceptions import ResponseError, WatchError

from bot.cases.model import Case, CasePersonal
from bot.redis_keys import Keys


class NotDurableError(RuntimeError):
    """The case could not be confirmed on disk; the resident must not be given its reference."""


class CaseStore:
    def __init__(self, redis: Redis, keys: Keys, replicas: int = 0, timeout_ms: int = 2000):
        self._redis = redis
        self._keys = keys
        self._replicas = replicas
        self._timeout_ms = timeout_ms

    async def reserve(self, reference: str) -> bool:
        """Claim a reference; False if it is already taken (a random collision)."""
        claimed = await self._redis.set(self._keys.case(reference), "{}", nx=True)
        return bool(claimed)

    async def save_new(self, case: Case, personal: CasePersonal) -> None:
        reference = case.reference
        async with self._redis.pipeline(transaction=True) as tx:
            tx.set(self._keys.case(reference), case.model_dump_json())
            tx.set(self._keys.case_personal(reference), personal.model_dump_json())
            tx.zadd(self._keys.case_index(), {reference: case.created_at.timestamp()})
            tx.zadd(self._keys.unannounced_cases(), {reference: case.created_at.timestamp()})
            await tx.execute()
        await self.wait_durable()

    async def wait_durable(self) -> None:
        try:
            local, replicas = await self._redis.execute_command(  # type: ignore[no-untyped-call]
                "WAITAOF", 1, self._replicas, self._timeout_ms
            )
        except ResponseError as exc:
            raise NotDurableError(f"the store cannot confirm writes on disk: {exc}") from exc
        if local < 1 or replicas < self._replicas:
            raise NotDurableError(
                f"write not confirmed on disk in time (local={local}, replicas={replicas})"
            )

    async def get(self, reference: str) -> Case | None:
        raw = await self._redis.get(self._keys.case(reference))
        if raw is None or raw in (b"{}", "{}"):
            return None
        return Case.model_validate_json(raw)

    async def update(self, reference: str, change: Callable[[Case], Case]) -> Case | None:
        """Apply `change` to the stored case atomically (optimistic lock: retried when another
        process wrote the case in between). None if there is no such case."""
        key = self._keys.case(reference)
        while True:
            async with self._redis.pipeline(transaction=True) as tx:
                try:
                    await tx.watch(key)
                    raw = await tx.get(key)
                    if raw is None or raw in (b"{}", "{}"):
                        return None
                    case = change(Case.model_validate_json(raw))
                    tx.multi()  # type: ignore[no-untyped-call]
                    tx.set(key, case.model_dump_json())
                    await tx.execute()
                    return case
                except WatchError:
                    continue

    async def get_personal(self, reference: str) -> CasePersonal | None:
        raw = await self._redis.get(self._keys.case_personal(reference))
        return None if raw is None else CasePersonal.model_validate_json(raw)

    async def mark_announced(self, reference: str) -> None:
        await self._redis.zrem(self._keys.unannounced_cases(), reference)

    async def unannounced_before(self, timestamp: float) -> list[str]:
        members = await self._redis.zrangebyscore(self._keys.unannounced_cases(), "-inf", timestamp)
        return [m.decode() if isinstance(m, bytes) else str(m) for m in members]
