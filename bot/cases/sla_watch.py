"""Raising case.sla_at_risk and case.sla_breached on time, and still after a crash.

Each check is scheduled twice: an arq job deferred to the moment (`_defer_until`, job id
`sla:<ref>:<clock>:<kind>`, so scheduling again is a no-op) and a member of a sorted set
of due checks (`asb:sla:due`) that a cron job reconciles every minute. Whichever runs
first raises the event; a per-case set of raised events (claimed with SADD) makes sure
it is raised once. A clock that has been met (`met_at`) raises nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import structlog
from arq.connections import ArqRedis
from redis.asyncio import Redis

from bot.cases.events import SLA_AT_RISK, SLA_BREACHED, CaseEvents
from bot.cases.model import Case
from bot.cases.store import CaseStore
from bot.platform.counters import Counters
from bot.platform.redis_keys import Keys

log = structlog.get_logger("asb.sla")

Kind = Literal["at_risk", "breached"]
_TYPES: dict[str, str] = {"at_risk": SLA_AT_RISK, "breached": SLA_BREACHED}


def _member(reference: str, clock: str, kind: str) -> str:
    return f"{reference}|{clock}|{kind}"


class SlaWatch:
    def __init__(self, redis: Redis, keys: Keys, cases: CaseStore, events: CaseEvents):
        self._redis = redis
        self._keys = keys
        self._cases = cases
        self._events = events

    async def schedule(self, case: Case, pool: ArqRedis) -> int:
        """Put every open clock's at-risk and breach checks in the set and on the queue."""
        scheduled = 0
        for deadline in case.deadlines:
            if deadline.met_at is not None:
                continue
            for kind, when in (("at_risk", deadline.at_risk), ("breached", deadline.due)):
                member = _member(case.reference, deadline.clock, kind)
                await self._redis.zadd(self._keys.sla_due(), {member: when.timestamp()})
                await pool.enqueue_job(
                    "check_sla", case.reference, deadline.clock, kind,
                    _job_id=f"sla:{member.replace('|', ':')}", _defer_until=when,
                )  # fmt: skip
                scheduled += 1
        return scheduled

    async def check(self, reference: str, clock: str, kind: str, now: datetime) -> str:
        """Raise the event if it is due, the clock is not met and it was not raised yet."""
        member = _member(reference, clock, kind)
        case = await self._cases.get(reference)
        deadline = case.deadline(clock) if case else None  # type: ignore[arg-type]
        if case is None or deadline is None or case.status == "closed":
            await self._redis.zrem(self._keys.sla_due(), member)
            return "gone"
        when = deadline.at_risk if kind == "at_risk" else deadline.due
        if deadline.met_at is not None and deadline.met_at <= when:
            await self._redis.zrem(self._keys.sla_due(), member)
            return "met"
        if now < when:
            return "not_yet"
        claimed = await self._redis.sadd(self._keys.sla_raised(reference), f"{clock}:{kind}")  # type: ignore[misc]
        if claimed:
            await self._events.record(
                reference, _TYPES[kind],
                {"clock": clock, "due": deadline.due.isoformat(), "promise": deadline.promise,
                 "partnership": case.partnership, "lead_agency": case.lead_agency},
                now=now,
            )  # fmt: skip
            log.info(_TYPES[kind], reference=reference, clock=clock)
            await Counters(self._redis, self._keys).add(
                "sla_at_risk" if kind == "at_risk" else "sla_breached"
            )
        await self._redis.zrem(self._keys.sla_due(), member)
        return "raised" if claimed else "already"

    async def reconcile(self, now: datetime | None = None) -> int:
        """Check everything due by `now`: catches checks whose deferred job was lost."""
        now = now or datetime.now(UTC)
        members = await self._redis.zrangebyscore(self._keys.sla_due(), "-inf", now.timestamp())
        raised = 0
        for raw in members:
            reference, clock, kind = (raw.decode() if isinstance(raw, bytes) else raw).split("|")
            raised += await self.check(reference, clock, kind, now) == "raised"
        return raised
