"""The job worker: `arq bot.jobs.worker.WorkerSettings`. Scale out by starting more."""

from __future__ import annotations

import time
from typing import Any, ClassVar

import structlog
from arq import cron
from redis.asyncio import Redis

from bot.cases.store import CaseStore
from bot.jobs.queue import QUEUE_NAME, JobQueue, redis_settings
from bot.redis_keys import Keys
from bot.settings import get_settings

log = structlog.get_logger("asb.worker")

# A case not announced this long after creation lost its job in a crash: queue it again.
_RECONCILE_AFTER_SECONDS = 60


async def startup(ctx: dict[str, Any]) -> None:
    settings = get_settings()
    redis: Redis = ctx["redis"]
    ctx["cases"] = CaseStore(redis, Keys(settings.key_prefix))
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
