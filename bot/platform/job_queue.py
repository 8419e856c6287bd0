"""Enqueueing jobs. Job ids are derived from what the job is about, so enqueueing the
same event twice (a retry, a crash between steps) never runs it twice."""

from __future__ import annotations

from arq.connections import ArqRedis, RedisSettings, create_pool
from redis.asyncio import ConnectionPool
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

QUEUE_NAME = "asb:jobs"
EMERGENCY_QUEUE_NAME = "asb:jobs:emergency"


def outage_retry() -> Retry:
    """Backoff of 0.1 s doubling to 2 s, 25 times: about 43 s in all."""
    return Retry(ExponentialBackoff(cap=2.0, base=0.1), retries=25)


def redis_settings(redis_url: str) -> RedisSettings:
    """The workers' connection: each command retries through a Redis restart or failover of
    up to about 40 seconds. What still fails after that, or a connection lost inside a
    `WATCH`, the worker's poll loop rides out (bot/jobs/run.py)."""
    settings = RedisSettings.from_dsn(redis_url)
    settings.retry = outage_retry()
    # OSError: a refused connect (the server not yet back) is not redis-py's own error.
    settings.retry_on_error = [RedisConnectionError, RedisTimeoutError, OSError]
    return settings


async def connect(redis_url: str) -> ArqRedis:
    return await create_pool(redis_settings(redis_url), default_queue_name=QUEUE_NAME)


def connect_lazily(redis_url: str) -> ArqRedis:
    """A pool that connects on first use. The gateway must start, and answer "try again
    later", while Redis is briefly away; create_pool would retry and then fail start-up."""
    pool = ConnectionPool.from_url(redis_url, socket_timeout=5, socket_connect_timeout=2)
    return ArqRedis(pool, default_queue_name=QUEUE_NAME)


def announce_job_id(reference: str) -> str:
    return f"case.created:{reference}"


def publish_job_id(reference: str) -> str:
    return f"publish:{reference}"


class JobQueue:
    def __init__(self, pool: ArqRedis):
        self._pool = pool

    async def case_emergency(self, emergency_id: str, revision: int) -> None:
        """P1: its own queue and its own workers, so no backlog of ordinary work delays it."""
        await self._pool.enqueue_job(
            "dispatch_emergency",
            emergency_id,
            _job_id=f"case.emergency:{emergency_id}:{revision}",
            _queue_name=EMERGENCY_QUEUE_NAME,
        )

    async def case_created(self, reference: str) -> None:
        await self._pool.enqueue_job(
            "announce_case", reference, _job_id=announce_job_id(reference), _queue_name=QUEUE_NAME
        )

    async def publish_case(self, reference: str) -> None:
        """Linking and the partners' case.created, after the acknowledgement has started."""
        await self._pool.enqueue_job(
            "publish_case", reference, _job_id=publish_job_id(reference), _queue_name=QUEUE_NAME
        )
