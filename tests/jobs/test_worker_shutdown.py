"""A worker told to stop (SIGTERM, as a deploy or `systemctl restart` does) while one job is
mid-way (a partner delivery waiting on its answer) and another is having its end written:
when the worker has closed, the cut-off job is back on the queue, and the next worker runs
it at once rather than two minutes later, when arq's "running" mark would lapse; the other
job's end is written, so it is not run again."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import uuid
from typing import Any, TypeVar

from arq.connections import ArqRedis, create_pool
from arq.worker import Worker, func

from bot.jobs.run import OutlastingWorker
from bot.platform.job_queue import redis_settings

RUNS = "shutdown-test:held-runs"
W = TypeVar("W", bound=OutlastingWorker)


async def held(ctx: dict[str, Any]) -> None:
    """Stands for a delivery whose partner has not answered yet."""
    await ctx["redis"].incr(RUNS)
    await asyncio.Event().wait()


async def quick(ctx: dict[str, Any]) -> str:
    return "done"


class SlowToWriteAnEnd(Worker):
    """arq's worker, with the write that ends `quick` taking a moment (a busy Redis)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ending = asyncio.Event()

    async def finish_job(self, *args: Any) -> None:
        if str(args[0]).startswith("quick"):
            self.ending.set()
            await asyncio.sleep(0.3)
        await super().finish_job(*args)


class OutlastingSlowWorker(OutlastingWorker, SlowToWriteAnEnd):
    """The service's worker, over arq's slow to write a job's end."""


def a_worker(url: str, queue: str, cls: type[W]) -> W:
    return cls(
        functions=[func(held, name="held"), func(quick, name="quick")],
        redis_settings=redis_settings(url), queue_name=queue, handle_signals=False,
        poll_delay=0.05,
    )  # fmt: skip


async def held_job_runs(pool: ArqRedis, expected: int) -> int:
    """How many times the held job has started, once it reaches `expected` or in 5 s."""
    for _ in range(100):
        if int(await pool.get(RUNS) or 0) >= expected:
            break
        await asyncio.sleep(0.05)
    return int(await pool.get(RUNS) or 0)


async def test_a_job_cut_off_by_a_shutdown_is_run_again_at_once(valkey_url: str) -> None:
    queue = f"shutdown-test:{uuid.uuid4().hex}"
    pool = await create_pool(redis_settings(valkey_url), default_queue_name=queue)
    await pool.delete(RUNS)
    await pool.enqueue_job("held", _job_id=f"held:{queue}")
    first = a_worker(valkey_url, queue, OutlastingSlowWorker)
    first.main_task = asyncio.create_task(first.main())
    assert await held_job_runs(pool, 1) == 1, "the first worker never started the held job"
    await pool.enqueue_job("quick", _job_id=f"quick:{queue}")
    await asyncio.wait_for(first.ending.wait(), 10)

    first.handle_sig(signal.SIGTERM)
    with contextlib.suppress(asyncio.CancelledError):
        await first.main_task
    await first.close()  # what `python -m bot.jobs.run` does before it exits

    assert not await pool.exists(f"arq:in-progress:held:{queue}"), "still marked as running"
    assert await pool.exists(f"arq:result:quick:{queue}"), "a finished job's end was lost"
    second = a_worker(valkey_url, queue, OutlastingWorker)
    second.main_task = asyncio.create_task(second.main())
    try:
        assert await held_job_runs(pool, 2) == 2, "the next worker did not run the cut-off job"
    finally:
        second.handle_sig(signal.SIGTERM)
        with contextlib.suppress(asyncio.CancelledError):
            await second.main_task
        await second.close()
        await pool.aclose()
