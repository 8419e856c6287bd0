"""Linked reports: what linking a new case with the partnership's window costs the job
worker, beside what storing the case costs intake.

    .venv/bin/python -m bench.linking [--window 2000] [--reports 40]

A real embedded Valkey (append-only, fsync always) holds `--window` encrypted cases of
Coventry from the last 30 days, their answers taken from the labelled pairs under
data/linking/ (so the matcher reads real wording). Then each of `--reports` new reports
is stored through `CaseIntake.submit` (what the resident waits for) and linked with
`Linker.link_stored` (what the job worker does before partners hear of the case), timed
side by side. The first link of a worker process reads every answer in the window; later
ones read only the new answers (parsed answers are kept in memory).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from arq.connections import create_pool
from redis.asyncio import Redis

from bench.common import free_port, machine, percentile
from bot.cases.intake import CaseIntake
from bot.cases.linking import Linker
from bot.cases.model import Case, CasePersonal, ContactDetails, ReportAnswers
from bot.cases.reference import new_reference
from bot.cases.store import CaseStore
from bot.partnerships import load_partnerships
from bot.platform.job_queue import JobQueue, redis_settings
from bot.platform.redis_keys import Keys
from bot.platform.settings import PROJECT_ROOT
from bot.platform.valkey import start_embedded_valkey
from bot.privacy.crypto import Cipher, new_key
from bot.safety.flags import SafetyFlags, TriageFlags

SECRET = b"bench-linking"
PAIRS = PROJECT_ROOT / "data" / "linking"


def said() -> list[dict[str, str | None]]:
    """Every answer of the development pair sets (never the held-out one)."""
    out = []
    for name in ("dev", "dev2", "dev3"):
        for line in (PAIRS / name / "perpetrator_pairs.jsonl").read_text().splitlines():
            pair = json.loads(line)
            out += [pair["a"], pair["b"]]
    return out


async def fill(store: CaseStore, answers: list[dict[str, str | None]], count: int) -> None:
    now = datetime.now(UTC)
    for n in range(count):
        a = answers[n % len(answers)]
        created = now - timedelta(seconds=n * 30 * 86_400 / count)
        case = Case(
            reference=new_reference(), created_at=created, channel="chat",
            partnership="coventry", contact_key=None, contact_method="sms", anonymous=False,
            consent_to_share=True, happening_now=False,
            flags=SafetyFlags(category="nuisance", subtype="noise"),
        )  # fmt: skip
        personal = CasePersonal(
            answers=ReportAnswers(
                incident_description="noise", incident_time="last night",
                incident_location=a["location"] or "Coventry",
                people_involved=a["people_involved"],
            ),
            contact=ContactDetails(method="sms", phone=f"+4477009{n % 100000:05d}"),
            postcode=a["postcode"],
        )  # fmt: skip
        await store.save_new(case, personal)


async def measure(url: str, window: int, reports: int) -> tuple[list[float], list[float]]:
    redis = Redis.from_url(url)
    pool = await create_pool(redis_settings(url))
    store = CaseStore(redis, Keys(), cipher=Cipher([new_key()]))
    partnerships = load_partnerships(PROJECT_ROOT / "partnerships", "coventry")
    answers = said()
    await fill(store, answers, window)
    intake = CaseIntake(store, JobQueue(pool), SECRET, partnerships)
    linker = Linker(store, SECRET)
    coventry = partnerships.get("coventry")
    stored: list[float] = []
    linked: list[float] = []
    for n in range(reports):
        a = answers[(n * 7) % len(answers)]
        started = time.perf_counter()
        case = await intake.submit(
            answers=ReportAnswers(
                incident_description="noise", incident_time="last night",
                incident_location=a["location"] or "Coventry CV1 5FB",
                people_involved=a["people_involved"],
            ),
            contact=ContactDetails(method="sms", phone=f"+4477008{n:05d}"),
            consent_to_share=True, channel="chat",
            flags=TriageFlags(category="nuisance", subtype="noise"), partnership="coventry",
        )  # fmt: skip
        stored.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        await linker.link_stored(coventry, case.reference)
        linked.append((time.perf_counter() - started) * 1000)
    await pool.aclose()
    await redis.aclose()
    return stored, linked


def run(window: int, reports: int) -> str:
    data = Path(tempfile.mkdtemp(prefix="asb-bench-linking-"))
    valkey = start_embedded_valkey(data / "valkey", free_port())
    try:
        stored, linked = asyncio.run(measure(valkey.connection_url, window, reports))
    finally:
        valkey.stop()
    first, rest = linked[0], linked[1:]
    store_median, store_p95 = statistics.median(stored), percentile(stored, 95)
    return f"""
## Linking: the worker's cost per new case ({datetime.now(UTC):%Y-%m-%d})

Machine: {machine()}. Command:

    .venv/bin/python -m bench.linking --window {window} --reports {reports}

{window:,} encrypted Coventry cases in the 30-day window (answers from the development
pair sets); {reports} new reports, each stored through `CaseIntake.submit` (real Valkey,
fsync and WAITAOF) and then linked with `Linker.link_stored`, side by side.

| step | median ms | p95 ms |
|---|---|---|
| storing the case (the resident waits for this) | {store_median:.1f} | {store_p95:.1f} |
| linking it, the worker's first case | {first:.0f} | |
| linking it, later cases | {statistics.median(rest):.1f} | {percentile(rest, 95):.1f} |
| ratio, later links / storing | {statistics.median(rest) / store_median:.1f} | |

Linking reads the window in two MGETs and decrypts each record; an answer already read by
this worker is not parsed again.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", type=int, default=2000)
    parser.add_argument("--reports", type=int, default=40)
    args = parser.parse_args()
    print(run(args.window, args.reports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
