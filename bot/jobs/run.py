"""Starts a job worker: `python -m bot.jobs.run worker` (or `emergency`, the P1 queue).

It is arq's worker with two differences. First, Redis or Valkey being away (a restart, a failover)
does not end it. Each command already retries for about 40 seconds (bot/platform/job_queue.py),
but arq claims a job inside a `WATCH`, where redis-py turns a lost connection into a
`WatchError` at once, and arq's poll loop lets that, or a command that ran out of retries,
end the worker. Here the poll loop logs it, waits and polls again, and a job that met the
outage is tried again later (its idempotency keys make a re-run harmless) rather than
recorded as failed.

Second, a shutdown (SIGTERM) puts back every job it cut off. arq cancels the running jobs and
waits for them with a plain `gather`, which gives up at the first job whose end it was still
writing; the process then exits before that end is written and before the others are put
back on the queue, and they stay marked as running for two minutes, a delivery cut off
mid-request with them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging.config
import sys
from typing import Any

import structlog
from arq.logs import default_log_config
from arq.worker import Function, Retry, Worker, get_kwargs
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.exceptions import WatchError

log = structlog.get_logger("asb.worker")

# A lost connection while watching a key comes back from redis-py as a WatchError.
REDIS_AWAY: tuple[type[BaseException], ...] = (
    RedisConnectionError,
    RedisTimeoutError,
    WatchError,
    OSError,
)
# How long the poll loop waits after Redis failed it, and a job before it is tried again.
POLL_PAUSE_SECONDS = 1.0
JOB_RETRY_SECONDS = 5.0
# How long a shutdown waits for the writes that end the jobs it cancelled (one pipeline each).
SHUTDOWN_WRITES_SECONDS = 5.0


def _retry_when_redis_away(function: Function) -> Function:
    """The job, with Redis being away made arq's Retry: queued again, counted as a try."""
    coroutine = function.coroutine

    @functools.wraps(coroutine)
    async def job(ctx: dict[Any, Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return await coroutine(ctx, *args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError, WatchError) as exc:
            log.warning("job.redis_unavailable", function=function.name, error=type(exc).__name__)
            raise Retry(defer=JOB_RETRY_SECONDS) from exc

    return dataclasses.replace(function, coroutine=job)


class OutlastingWorker(Worker):
    """arq's Worker, kept running through a Redis outage."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._end_writes: set[asyncio.Task[Any]] = set()
        for name, function in self.functions.items():
            if type(function) is Function:  # cron jobs run again on their schedule anyway
                self.functions[name] = _retry_when_redis_away(function)

    async def _poll_iteration(self) -> None:
        try:
            await super()._poll_iteration()
        except REDIS_AWAY as exc:
            log.warning("worker.redis_unavailable", error=type(exc).__name__, detail=str(exc))
            await asyncio.sleep(POLL_PAUSE_SECONDS)

    async def finish_job(self, *args: Any) -> None:
        # arq runs this shielded, in a task of its own that a shutdown may leave running.
        if (write := asyncio.current_task()) is not None:
            self._end_writes.add(write)
            write.add_done_callback(self._end_writes.discard)
        await super().finish_job(*args)

    async def close(self) -> None:
        jobs = list(self.tasks.values())
        self.tasks.clear()
        await asyncio.gather(*jobs, return_exceptions=True)
        if self._end_writes:
            await asyncio.wait(set(self._end_writes), timeout=SHUTDOWN_WRITES_SECONDS)
        await super().close()

    async def start_jobs(self, job_ids: list[bytes]) -> None:
        # arq counts a job as started before it claims it; a claim that fails on a lost
        # connection must give the count and the slot back, or the worker takes ever fewer.
        for job_id in job_ids:
            if self.job_counter >= self.max_jobs:
                return
            try:
                await super().start_jobs([job_id])
            except REDIS_AWAY:
                self.job_counter -= 1
                self.sem.release()
                raise


def make_worker(settings: type, **overrides: Any) -> OutlastingWorker:
    """A worker for one of bot.jobs.worker's settings classes, as `arq` would make it."""
    return OutlastingWorker(**{**get_kwargs(settings), **overrides})


def main(argv: list[str] | None = None) -> int:
    from bot.jobs.worker import EmergencyWorkerSettings, WorkerSettings

    kinds: dict[str, type] = {
        "worker": WorkerSettings,
        "emergency": EmergencyWorkerSettings,
    }
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] not in kinds:
        print("usage: python -m bot.jobs.run worker|emergency", file=sys.stderr)
        return 2
    logging.config.dictConfig(default_log_config(verbose=False))
    make_worker(kinds[args[0]]).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
