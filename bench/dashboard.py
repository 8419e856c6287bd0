"""The partnership dashboard: time to render it over 10,000 cases, and Redis commands per render.

    .venv/bin/python -m bench.dashboard [--cases 10000] [--renders 40]

A real embedded Valkey (append-only, fsync always) is filled through `CaseStore.save_new`
with Coventry's cases, and other partnerships' besides, spread over 13 months (categories, risk,
SLA clocks met, late and open, surveys, hotspots), then the real gateway app runs under
uvicorn and GET /partnership/coventry/ is timed over HTTP with a staff key. The Redis
commands of one render come from `INFO commandstats` before and after it: a read per case
would show as thousands of GETs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from redis import Redis as SyncRedis
from redis.asyncio import Redis

from bench.common import free_port, machine, percentile
from bot.cases.model import (
    Case,
    CasePersonal,
    ContactDetails,
    Hotspot,
    PerceptionAnswer,
    ReportAnswers,
    Risk,
)
from bot.cases.sla import case_deadlines
from bot.cases.store import CaseStore
from bot.community.staff_keys import StaffKeys
from bot.partnerships import Partnership, Partnerships, load_partnerships
from bot.platform.redis_keys import Keys
from bot.platform.settings import PROJECT_ROOT
from bot.platform.valkey import start_embedded_valkey
from bot.privacy.crypto import Cipher, new_key
from bot.safety.flags import SafetyFlags

CATEGORIES = {  # category: (share, subtypes)
    "nuisance": (0.55, ["noise", "drugs", "youths_gathering", "vehicle_nuisance"]),
    "personal": (0.25, ["harassment", "intimidation", "threats"]),
    "environmental": (0.15, ["fly_tipping", "graffiti", "litter"]),
    "none": (0.05, ["none"]),
}
PERCEPTIONS: list[PerceptionAnswer] = ["very_big", "fairly_big", "not_very_big", "not_a_problem"]


def sample_cases(
    partnerships: Partnerships, count: int, now: datetime, days: int = 395, seed: int = 7,
    only: list[str] | None = None,
) -> list[Case]:  # fmt: skip
    """`count` plausible cases created over the last `days`, oldest first: every field the
    dashboard reads is filled as the service would fill it (deadlines from the real SLA
    calculator; met on time, late or not yet; closures with surveys; hotspots). `only`:
    the partnerships to spread them over (default: all, Coventry three times as many)."""
    rng = random.Random(seed)
    served = [p for p in partnerships.all() if only is None or p.id in only]
    weights = [3 if p.id == "coventry" else 1 for p in served]
    created = sorted(now - timedelta(seconds=rng.uniform(0, days * 86_400)) for _ in range(count))
    spots: dict[str, list[Case]] = {}
    out = []
    for n, when in enumerate(created):
        partnership = rng.choices(served, weights)[0]
        category = rng.choices(list(CATEGORIES), [c[0] for c in CATEGORIES.values()])[0]
        case = _one(rng, n, partnership, when, now, category)
        _maybe_hotspot(rng, case, partnership, spots)
        out.append(case)
    return out


def _one(
    rng: random.Random, n: int, partnership: Partnership, when: datetime, now: datetime,
    category: str,
) -> Case:  # fmt: skip
    risk = rng.choices(["standard", "medium", "high"], [0.75, 0.17, 0.08])[0]
    hate = category == "personal" and rng.random() < 0.1
    deadlines = []
    for d in case_deadlines(partnership, when, hate_crime=hate, risk_level=risk):
        took = (d.due - when) * rng.choice([0.1, 0.3, 0.6, 0.9, 0.95, 1.3])
        met = when + took if when + took <= now and rng.random() < 0.93 else None
        deadlines.append(d.model_copy(update={"met_at": met}))
    closed_at = when + timedelta(days=rng.uniform(3, 40))
    closed = closed_at < now and rng.random() < 0.8
    surveyed = closed and rng.random() < 0.45
    surveyed_at = closed_at + timedelta(hours=rng.uniform(1, 72)) if surveyed else None
    district = rng.choice(partnership.area.districts)
    return Case(
        reference=f"ASB-B{n:05d}-{rng.randrange(36**4):04X}",
        created_at=when, channel=rng.choice(["chat", "sms", "voice"]),
        partnership=partnership.id, contact_key=f"bench-{n}", contact_method="sms",
        anonymous=False, consent_to_share=True, happening_now=False,
        postcode_district=district, area_resolution="matched",
        flags=SafetyFlags(category=category, subtype=rng.choice(CATEGORIES[category][1]),
                          hate_crime=hate),
        risk=Risk(level=risk), deadlines=deadlines,
        status="closed" if closed else "open", closed_at=closed_at if closed else None,
        outcome="resolved" if closed else None,
        satisfaction=rng.choices(range(1, 6), [8, 10, 12, 35, 35])[0] if surveyed else None,
        perception=rng.choices(PERCEPTIONS, [10, 20, 40, 30])[0] if surveyed else None,
        surveyed_at=surveyed_at,
    )  # fmt: skip


def _maybe_hotspot(
    rng: random.Random, case: Case, partnership: Partnership, spots: dict[str, list[Case]]
) -> None:
    """About one report in six is about one of four trouble spots of the partnership (three
    places and one person); the threshold-th report within the window makes it a hotspot,
    as linking would."""
    if rng.random() > 1 / 6:
        return
    n = rng.randrange(4)
    spot_id = f"hs-{partnership.id[:3]}-{n}"
    case.postcode_district = partnership.area.districts[n % len(partnership.area.districts)]
    window = timedelta(days=partnership.linking.window_days)
    recent = [c for c in spots.get(spot_id, []) if case.created_at - c.created_at <= window]
    recent.append(case)
    spots[spot_id] = recent
    if len(recent) >= partnership.linking.hotspot_reports:
        case.hotspot = Hotspot(
            id=spot_id, kind="perpetrator" if n == 3 else "location", reports=len(recent),
            threshold=partnership.linking.hotspot_reports,
            window_days=partnership.linking.window_days,
            references=[c.reference for c in recent], postcode_district=case.postcode_district,
        )  # fmt: skip


def sample_personal(n: int) -> CasePersonal:
    return CasePersonal(
        answers=ReportAnswers(incident_description=f"sample report {n}",
                              incident_time="last night", incident_location="sample street"),
        contact=ContactDetails(method="sms", phone="+447700900000"),
    )  # fmt: skip


async def fill(store: CaseStore, cases: list[Case], at_once: int = 200) -> None:
    """Store the cases as intake does (one durable transaction each), `at_once` at a time."""
    for start in range(0, len(cases), at_once):
        batch = cases[start : start + at_once]
        await asyncio.gather(
            *(store.save_new(c, sample_personal(start + i)) for i, c in enumerate(batch))
        )


async def _prepare(
    url: str, count: int, others: int, prefix: str, cipher: Cipher
) -> tuple[str, int, float]:
    redis = Redis.from_url(url)
    keys = Keys(prefix)
    partnerships = load_partnerships(PROJECT_ROOT / "partnerships", "coventry")
    now = datetime.now(UTC)
    elsewhere = [p.id for p in partnerships.all() if p.id != "coventry"]
    cases = sample_cases(partnerships, count, now, only=["coventry"]) + sample_cases(
        partnerships, others, now, seed=8, only=elsewhere
    )
    started = time.perf_counter()
    await fill(CaseStore(redis, keys, cipher=cipher), cases)
    filled = time.perf_counter() - started
    key = await StaffKeys(redis, keys).issue("coventry")
    await redis.aclose()
    return key, len(cases), filled


def _commands(redis: SyncRedis) -> dict[str, int]:
    stats = redis.info("commandstats")
    return {name.removeprefix("cmdstat_"): int(v["calls"]) for name, v in stats.items()}


def _start_gateway(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "bot.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
        cwd=PROJECT_ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the gateway exited; see {log}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise RuntimeError("the gateway did not start") from None
            time.sleep(0.2)


def run(count: int, others: int, renders: int) -> str:
    data_dir = Path(tempfile.mkdtemp(prefix="asb-bench-dashboard-"))
    valkey = start_embedded_valkey(data_dir / "valkey", free_port())
    url = valkey.connection_url
    encryption = new_key()
    prefix = "asb"
    gateway = None
    try:
        key, _, filled = asyncio.run(_prepare(url, count, others, prefix, Cipher([encryption])))
        port = free_port()
        env = {**os.environ, "REDIS_URL": url, "ASB_DATA_DIR": str(data_dir),
               "ASB_PSEUDONYM_KEY": "bench", "ASB_ENCRYPTION_KEYS": encryption,
               "ASB_KEY_PREFIX": prefix, "RASA_URL": f"http://127.0.0.1:{free_port()}"}  # fmt: skip
        gateway = _start_gateway(env, port, data_dir / "gateway.log")
        page = f"http://127.0.0.1:{port}/partnership/coventry/"
        headers = {"Authorization": f"Bearer {key}"}
        times: list[float] = []
        with httpx.Client(timeout=30) as client, SyncRedis.from_url(url) as probe:
            for _ in range(3):  # warm-up: imports, templates, first connections
                client.get(page, headers=headers).raise_for_status()
            before = _commands(probe)
            response = client.get(page, headers=headers)
            after = _commands(probe)
            response.raise_for_status()
            for _ in range(renders):
                started = time.perf_counter()
                client.get(page, headers=headers).raise_for_status()
                times.append(time.perf_counter() - started)
        used = {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}
        used.pop("info", None)  # the measurement's own INFO
    finally:
        if gateway is not None:
            gateway.terminate()
            gateway.wait(20)
        valkey.stop()
    return _report(count, others, filled, renders, times, used, len(response.content))


def _report(
    count: int, others: int, filled: float, renders: int, times: list[float],
    used: dict[str, int], size: int,
) -> str:  # fmt: skip
    cpu = _cpu_model()
    median, p95 = percentile(times, 50) * 1000, percentile(times, 95) * 1000
    commands = ", ".join(f"{name} {calls}" for name, calls in sorted(used.items()))
    verdict = "met" if p95 <= 1000 else "missed"
    today = f"{datetime.now(UTC):%Y-%m-%d}"
    return f"""## Partnership dashboard: GET /partnership/coventry/ over {count:,} cases ({today})

Machine: {machine()}; `nproc` {os.cpu_count()}, {cpu}. Command:

    .venv/bin/python -m bench.dashboard --cases {count} --others {others} --renders {renders}

{count:,} Coventry cases over 13 months, and {others:,} of the four other partnerships,
stored through `CaseStore.save_new` in {filled:.1f} s; the gateway under uvicorn (one worker), the
page fetched over HTTP with a staff key ({size / 1024:.0f} KiB of HTML), {renders} timed renders
after 3 warm-up ones.

| renders | median ms | p95 ms | max ms | target p95 <= 1000 ms |
|---|---|---|---|---|
| {renders} | {median:.0f} | {p95:.0f} | {max(times) * 1000:.0f} | {verdict} |

Redis commands in one render (`INFO commandstats` before and after):
{commands}. The cases are read once, {count:,} keys in MGETs of 1,000: the count does not
grow with the cases (no read per case).
"""


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "CPU model unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="the dashboard's own cases")
    parser.add_argument("--others", type=int, default=5_000, help="other partnerships' cases")
    parser.add_argument("--renders", type=int, default=40)
    args = parser.parse_args()
    print(run(args.cases, args.others, args.renders))


if __name__ == "__main__":
    main()
