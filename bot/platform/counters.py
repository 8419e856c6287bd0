"""Counts of things done in other processes (the action server, the workers), kept in one
Redis hash so the gateway's /metrics can report them for the whole deployment.

Counting never gets in the way of the work: a count that cannot be written is logged and
dropped (a case is already stored by the time it is counted, and a failure here must not
stop the resident being told their reference).
"""

from __future__ import annotations

from typing import Literal

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.platform.redis_keys import Keys

log = structlog.get_logger("asb.counters")

Name = Literal[
    "cases",
    "acknowledgements",
    "deliveries",
    "delivery_retries",
    "dead_letters",
    "sla_at_risk",
    "sla_breached",
]
NAMES: tuple[Name, ...] = (
    "cases", "acknowledgements", "deliveries", "delivery_retries", "dead_letters",
    "sla_at_risk", "sla_breached",
)  # fmt: skip


class Counters:
    def __init__(self, redis: Redis, keys: Keys):
        self._redis = redis
        self._keys = keys

    async def add(self, name: Name, amount: int = 1) -> None:
        try:
            await self._redis.hincrby(self._keys.counters(), name, amount)  # type: ignore[misc]
        except RedisError as exc:
            log.warning("counter.lost", counter=name, reason=type(exc).__name__)

    async def read(self) -> dict[str, int]:
        raw = await self._redis.hgetall(self._keys.counters())  # type: ignore[misc]
        values = {_str(k): int(v) for k, v in raw.items()}
        return {name: values.get(name, 0) for name in NAMES}


def _str(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
