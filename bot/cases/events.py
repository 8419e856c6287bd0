"""The event log of each case, and the operators' alerts.

Every event is appended to the case's own stream (`asb:case:<ref>:events`) and to the
stream of all events (`asb:events`), which partner delivery consumes (a consumer group
gives each event to one deliverer at least once). Events carry references, clock names and
times only, never personal details.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis

from bot.platform.redis_keys import Keys

# Event types (CloudEvents `type` when delivered to partners).
SLA_AT_RISK = "case.sla_at_risk"
SLA_BREACHED = "case.sla_breached"
ACK_SENT = "case.acknowledged"
ACK_NOT_REQUIRED = "case.acknowledgement_not_required"
ACK_CALLBACK_OWED = "case.acknowledgement_callback_owed"
ACK_UNDELIVERABLE = "case.acknowledgement_undeliverable"
ACK_UNCERTAIN = "case.acknowledgement_uncertain"


@dataclass(frozen=True)
class CaseEvent:
    id: str  # the stream id: unique and ordered; a stable id for delivery
    type: str
    reference: str
    time: datetime
    data: dict[str, Any]


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _event(stream_id: bytes | str, fields: dict[Any, Any]) -> CaseEvent:
    f = {_text(k): _text(v) for k, v in fields.items()}
    return CaseEvent(
        id=_text(stream_id),
        type=f["type"],
        reference=f["reference"],
        time=datetime.fromisoformat(f["time"]),
        data=json.loads(f["data"]),
    )


class CaseEvents:
    def __init__(self, redis: Redis, keys: Keys):
        self._redis = redis
        self._keys = keys

    async def record(
        self,
        reference: str,
        event_type: str,
        data: dict[str, Any] | None = None,
        *,
        now: datetime | None = None,
    ) -> None:
        fields = {
            "type": event_type,
            "reference": reference,
            "time": (now or datetime.now(UTC)).isoformat(),
            "data": json.dumps(data or {}, default=str),
        }
        async with self._redis.pipeline(transaction=True) as tx:
            tx.xadd(self._keys.case_events(reference), fields)  # type: ignore[arg-type]
            tx.xadd(self._keys.events(), fields)  # type: ignore[arg-type]
            await tx.execute()

    async def for_case(self, reference: str) -> list[CaseEvent]:
        """The case's events, oldest first."""
        entries = await self._redis.xrange(self._keys.case_events(reference))
        return [_event(i, f) for i, f in entries]

    async def since(self, last_id: str = "0-0", count: int = 100) -> list[CaseEvent]:
        """Events of every case after `last_id` (exclusive), oldest first: what partner
        delivery reads (or read the `asb:events` stream with a consumer group)."""
        entries = await self._redis.xrange(self._keys.events(), f"({last_id}", "+", count=count)
        return [_event(i, f) for i, f in entries]

    async def alert(self, reference: str, problem: str, detail: str = "") -> None:
        """Something a person must look at, e.g. an acknowledgement that cannot be delivered."""
        await self._redis.xadd(
            self._keys.operator_alerts(),
            {"reference": reference, "problem": problem, "detail": detail,
             "time": datetime.now(UTC).isoformat()},
        )  # fmt: skip
