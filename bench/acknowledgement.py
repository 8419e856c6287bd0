"""Time from case creation to the written acknowledgement handed to the mail server.

    .venv/bin/python bench/acknowledgement.py [--cases 500] [--rate 0]

An embedded Valkey (append-only, fsync always, as `make run`), a real SMTP server
(aiosmtpd) and ONE arq worker process (`python -m bot.jobs.run worker`, as the
Procfile runs it). Cases are created through the real intake (CaseIntake.submit: durable
write with WAITAOF, case.created queued), all at once (--rate 0, the worst case: a burst)
or at --rate cases a second. The latency of a case is from its `created_at` to the moment
the SMTP server has the whole message (before it answers 250).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from email import message_from_bytes
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller
from arq.connections import create_pool
from redis.asyncio import Redis

from bench.common import free_port, machine, percentile
from bot.cases.intake import CaseIntake
from bot.cases.model import ContactDetails, ReportAnswers
from bot.cases.store import CaseStore
from bot.partnerships import load_partnerships
from bot.platform.job_queue import QUEUE_NAME, JobQueue, redis_settings
from bot.platform.redis_keys import Keys
from bot.platform.settings import PROJECT_ROOT
from bot.platform.valkey import start_embedded_valkey
from bot.privacy.crypto import new_key
from bot.safety.flags import TriageFlags


class Receiver:
    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        now = time.time()
        reference = message_from_bytes(envelope.original_content)["X-ASB-Reference"]
        self.arrived.setdefault(str(reference), now)
        return "250 OK"


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """One worker, as the Procfile runs it."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot.jobs.run", "worker"],
        cwd=PROJECT_ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip


async def run(cases: int, rate: float) -> dict[str, float]:
    data = Path(tempfile.mkdtemp(prefix="asb-bench-ack-"))
    valkey = start_embedded_valkey(data / "valkey", free_port())
    receiver = Receiver()
    smtp = Controller(receiver, hostname="127.0.0.1", port=free_port())
    smtp.start()
    env = {**os.environ, "REDIS_URL": valkey.connection_url, "ASB_DATA_DIR": str(data),
           "SMTP_URL": f"smtp://127.0.0.1:{smtp.port}", "ASB_PSEUDONYM_KEY": "bench",
           "ASB_ENCRYPTION_KEYS": new_key()}  # fmt: skip
    worker = start_worker(env, data / "worker.log")
    redis = Redis.from_url(valkey.connection_url)
    pool = await create_pool(redis_settings(valkey.connection_url), default_queue_name=QUEUE_NAME)
    partnerships = load_partnerships(PROJECT_ROOT / "partnerships", "coventry")
    intake = CaseIntake(CaseStore(redis, Keys()), JobQueue(pool), b"bench", partnerships)
    created: dict[str, float] = {}
    try:
        await asyncio.sleep(2)  # the worker starts
        started = time.monotonic()
        for n in range(cases):
            case = await intake.submit(
                answers=ReportAnswers(incident_description="loud music every night",
                                      incident_time="last night", incident_location="CV1 5FB"),
                contact=ContactDetails(method="email", name="Sam", email=f"r{n}@example.org"),
                consent_to_share=True, channel="chat", flags=TriageFlags(),
            )  # fmt: skip
            created[case.reference] = case.created_at.timestamp()
            if rate:
                await asyncio.sleep(max(0.0, started + (n + 1) / rate - time.monotonic()))
        deadline = time.monotonic() + 600
        while len(receiver.arrived) < cases and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(20)
        smtp.stop()
        await pool.aclose()
        await redis.aclose()
        valkey.stop()
    latencies = [receiver.arrived[r] - t for r, t in created.items() if r in receiver.arrived]
    return {
        "cases": cases,
        "acknowledged": len(latencies),
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "max": max(latencies),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--rate", type=float, default=0.0, help="cases a second; 0: a burst")
    args = parser.parse_args()
    result = asyncio.run(run(args.cases, args.rate))
    arrival = "all at once" if not args.rate else f"{args.rate:g} a second"
    print(f"\n## Acknowledgement: case created -> handed to SMTP ({datetime.now():%Y-%m-%d})\n")
    print(f"Machine: {machine()}\n")
    print(f"Command: `.venv/bin/python bench/acknowledgement.py --cases {args.cases} "
          f"--rate {args.rate:g}` (one worker; cases {arrival})\n")  # fmt: skip
    print("| cases | acknowledged | p50 s | p99 s | max s | target |")
    print("|---|---|---|---|---|---|")
    ok = result["acknowledged"] == args.cases and result["p99"] <= 60
    verdict = "met" if ok else "NOT MET"
    print(f"| {result['cases']:.0f} | {result['acknowledged']:.0f} | {result['p50']:.2f} | "
          f"{result['p99']:.2f} | {result['max']:.2f} | p99 <= 60 s ({verdict}) |")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
