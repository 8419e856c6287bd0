"""A worker told to stop (SIGTERM, as a deploy or `systemctl restart` does) while one job is
mid-way (a partner delivery waiting on its answer) and another is having its end written:
when the worker has closed, the cut-off job is back on the queue, and the next worker runs
it at once rather than two minutes later, when arq's "running" mark would lapse."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import uuid
from typing import Any

from arq.connections import create_pool
from arq.worker import func

from bot.jobs.queue import redis_settings
from bot.jobs.run import OutlastingWorker

RUNS = "shutdown-test:held-runs"


async def held(ctx: dict[str, Any]) -> None:
    """Stands for a delivery whose partner has not answered yet."""
    await ctx["redis"].incr(RUNS)
    await asyncio.Event().wait()


async def quick(ctx: dict[str, Any]) -> str:
    return "done"


class SlowToWriteAnEnd(OutlastingWorker):
    """The worker, with the write that ends `quick` taking a moment (a busy Redis)."""

    ending: asyncio.Event

    async def finish_job(self, job_id: str, *args: Any) -> None:
        if job_id.startswith("quick"):
            self.ending.set()
            await asyncio.sleep(0.3)
        await super().finish_job(job_id, *args)


def a_worker(url: str, queue: str, cls: type[OutlastingWorker] = OutlastingWorker) -> Any:
    return cls(
        functions=[func(held, name="held"), func(quick, name="quick")],
        redis_settings=redis_settings(url), queue_name=queue, handle_signals=False,
        poll_delay=0.05,
    )  # fmt: skip


async def test_a_job_cut_off_by_a_shutdown_is_run_again_at_once(valkey_url: str) -> None:
    queue = f"shutdown-test:{uuid.uuid4().hex}"
    pool = await create_pool(redis_settings(valkey_url), default_queue_name=queue)
    await pool.delete(RUNS)
    await pool.enqueue_job("held", _job_id=f"held:{queue}")
    first = a_worker(valkey_url, queue, SlowToWriteAnEnd)
    first.ending = asyncio.Event()
    first.main_task = asyncio.create_task(first.main())
    for _ in range(200):
        if await pool.get(RUNS) == b"1":
            break
        await asyncio.sleep(0.05)
    assert await pool.get(RUNS) == b"1", "the first worker never started the held job"
    await pool.enqueue_job("quick", _job_id=f"quick:{queue}")
    await asyncio.wait_for(first.ending.wait(), 10)

    first.handle_sig(signal.SIGTERM)
    with contextlib.suppress(asyncio.CancelledError):
        await first.main_task
    await first.close()  # what `python -m bot.jobs.run` does before it exits

    assert not await pool.exists(f"arq:in-progress:held:{queue}"), "still marked as running"
    second = a_worker(valkey_url, queue)
    second.main_task = asyncio.create_task(second.main())
    try:
        for _ in range(100):
            if await pool.get(RUNS) == b"2":
                break
            await asyncio.sleep(0.05)
        assert await pool.get(RUNS) == b"2", "the next worker did not run the cut-off job"
    finally:
        second.handle_sig(signal.SIGTERM)
        with contextlib.suppress(asyncio.CancelledError):
            await second.main_task
        await second.close()
        await pool.aclose()
