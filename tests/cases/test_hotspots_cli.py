"""`asb-intake hotspots` against a real Valkey holding linked reports."""

from __future__ import annotations

import asyncio
import json

import pytest
from arq.connections import ArqRedis, create_pool
from redis.asyncio import Redis

from bot.cases.intake import CaseIntake
from bot.cases.linking import Linker
from bot.cases.model import Case, ContactDetails, ReportAnswers
from bot.cases.store import CaseStore
from bot.cli import main
from bot.partnerships import load_partnerships
from bot.platform.job_queue import JobQueue, redis_settings
from bot.platform.redis_keys import Keys
from bot.platform.settings import PROJECT_ROOT, get_settings
from bot.safety.flags import TriageFlags

SECRET = b"hotspots-cli"


async def reports(valkey_url: str, places: list[str], *, flush: bool = False) -> list[Case]:
    """Each place reported once, by a different resident, through the real intake."""
    redis = Redis.from_url(valkey_url)
    if flush:
        await redis.flushall()
    pool: ArqRedis = await create_pool(redis_settings(valkey_url))
    store = CaseStore(redis, Keys())
    partnerships = load_partnerships(PROJECT_ROOT / "partnerships", "coventry")
    intake = CaseIntake(store, JobQueue(pool), SECRET, partnerships)
    linker = Linker(store, SECRET)
    try:
        out = []
        for n, where in enumerate(places):
            case = await report(intake, where, n)
            out.append(await linker.link_stored(partnerships.get("coventry"), case.reference))
        return [c for c in out if c is not None]
    finally:
        await pool.aclose()
        await redis.aclose()


async def report(intake: CaseIntake, where: str, n: int) -> Case:
    return await intake.submit(
        answers=ReportAnswers(
            incident_description="cars racing round the estate", incident_time="every night",
            incident_location=where,
        ),
        contact=ContactDetails(method="sms", phone=f"+4477009000{n:02d}"),
        consent_to_share=True, channel="sms",
        flags=TriageFlags(category="nuisance", subtype="vehicles"),
    )  # fmt: skip


def test_lists_open_hotspots(
    valkey_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    asyncio.run(reports(valkey_url, [], flush=True))
    capsys.readouterr()
    monkeypatch.setenv("REDIS_URL", valkey_url)
    get_settings.cache_clear()
    assert main(["hotspots"]) == 0
    assert capsys.readouterr().out == "No open hotspots.\n"

    co_op = "outside the Co-op on Far Gosford Street"
    # Three reports of one place, and a place reported once (no hotspot).
    cases = asyncio.run(reports(valkey_url, [co_op, co_op, co_op, "2 Elm Road CV2 1AA"]))[:3]
    capsys.readouterr()  # the intake's own log lines
    assert main(["hotspots", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 1
    assert rows[0]["partnership"] == "coventry" and rows[0]["kind"] == "location"
    assert rows[0]["reports"] == 3
    assert rows[0]["references"] == [c.reference for c in cases]
    assert main(["hotspots", "--partnership", "cherwell"]) == 0
    assert capsys.readouterr().out == "No open hotspots.\n"
    assert main(["hotspots", "--partnership", "atlantis"]) == 2
    get_settings.cache_clear()


async def test_cases_stored_before_the_partnership_index_are_filed(valkey_url: str) -> None:
    cases = await reports(valkey_url, ["1 Ash Grove CV2 1AA", "4 Elm Road CV2 1AB"], flush=True)
    redis = Redis.from_url(valkey_url)
    store = CaseStore(redis, Keys())
    await redis.delete(Keys().partnership_cases("coventry"))  # as before the index existed
    assert await store.cases_between(partnership="coventry") == []
    assert await store.index_by_partnership() == 2
    assert [c.reference for c in await store.cases_between(partnership="coventry")] == [
        c.reference for c in cases
    ]
    # Done once: the next start reads nothing.
    await redis.delete(Keys().partnership_cases("coventry"))
    assert await store.index_by_partnership() == 0
    assert await store.cases_between(partnership="coventry") == []
    await redis.aclose()
