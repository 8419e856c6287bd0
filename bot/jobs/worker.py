"""The job worker: `arq bot.jobs.worker.WorkerSettings`. Scale out by starting more."""

from __future__ import annotations

import time
from typing import Any, ClassVar

import structlog
from arq import cron
from redis.asyncio import Redis

from bot.cases.store import CaseStore
from bot.emergency import Emergency
from bot.jobs.queue import EMERGENCY_QUEUE_NAME, QUEUE_NAME, JobQueue, redis_settings
from bot.redis_keys import Keys
from bot.settings import get_settings

log = structlog.get_logger("asb.worker")

# A case not announced this long after creation lost its job in a crash: queue it again.
_RECONCILE_AFTER_SECONDS = 60


async def startup(ctx: dict[str, Any]) -> None:
    settings = get_settings()
    redis: Redis = ctx["redis"]
    ctx["keys"] = Keys(settings.key_prefix)
    ctx["cases"] = CaseStore(redis, ctx["keys"])
    ctx["jobs"] = JobQueue(ctx["redis"])


async def announce_case(ctx: dict[str, Any], reference: str) -> str:
    """Handle case.created. Partner delivery and acknowledgements hang off this event."""
    cases: CaseStore = ctx["cases"]
    case = await cases.get(reference)
    if case is None:
        log.warning("case.missing", reference=reference)
        return "missing"
    await cases.mark_announced(reference)
    log.info("case.created", reference=reference, channel=case.channel, risk=case.risk.level)
    return "announced"


async def dispatch_emergency(ctx: dict[str, Any], emergency_id: str) -> str:
    """Handle case.emergency (P1). Police delivery hangs off this event; here it is taken
    off the queue and recorded, so an operator can see every emergency was handled."""
    redis: Redis = ctx["redis"]
    keys: Keys = ctx["keys"]
    raw = await redis.get(keys.emergency(emergency_id))
    if raw is None:
        log.warning("emergency.missing", emergency=emergency_id)
        return "missing"
    emergency = Emergency.model_validate_json(raw)
    await redis.zadd(keys.emergencies_handled(), {emergency_id: time.time()})
    log.info(
        "case.emergency",
        emergency=emergency_id,
        revision=emergency.revision,
        channel=emergency.channel,
        has_location=emergency.location is not None,
    )
    return "dispatched"


async def requeue_unannounced(ctx: dict[str, Any]) -> int:
    cases: CaseStore = ctx["cases"]
    jobs: JobQueue = ctx["jobs"]
    stale = await cases.unannounced_before(time.time() - _RECONCILE_AFTER_SECONDS)
    for reference in stale:
        await jobs.case_created(reference)
    return len(stale)


class WorkerSettings:
    functions: ClassVar[list[Any]] = [announce_case]
    cron_jobs: ClassVar[list[Any]] = [cron(requeue_unannounced, second=30, run_at_startup=True)]
    on_startup = startup
    queue_name = QUEUE_NAME
    redis_settings = redis_settings(get_settings().require_redis_url())
    max_tries = 10
    keep_result = 3600


class EmergencyWorkerSettings:
    """P1 emergencies only: `arq bot.jobs.worker.EmergencyWorkerSettings`."""

    functions: ClassVar[list[Any]] = [dispatch_emergency]
    on_startup = startup
    queue_name = EMERGENCY_QUEUE_NAME
    redis_settings = WorkerSettings.redis_settings
    max_tries = 20
    keep_result = 3600
