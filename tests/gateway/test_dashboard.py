"""The partnership dashboard over HTTP: the real gateway app on a real Valkey, driven
through its ASGI interface inside its lifespan (no Rasa needed)."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import secrets
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from bot.app import create_app
from bot.cases.model import Case, Deadline
from bot.community import figures as fig
from bot.community.staff_keys import StaffKeys, key_hash
from bot.conversation.services import Services
from bot.gateway.dashboard import COOKIE
from bot.gateway.sessions import SESSION_SECONDS, Principal, SessionSigner
from bot.partners.api_keys import ApiKeys
from bot.platform.redis_keys import Keys
from bot.platform.settings import PROJECT_ROOT, Settings
from bot.privacy.audit import entries
from tests.community.builders import (
    SECRET_NAME,
    SECRET_PHONE,
    SECRET_WORDS,
    case,
    deadline,
    hotspot,
    personal,
)

SECRET = "dashboard-test-secret"
ORIGIN = "http://testserver"
HOUR = timedelta(hours=1)


@dataclass
class Rig:
    client: httpx.AsyncClient
    services: Services
    staff_key: str  # Coventry's
    cherwell_key: str
    police_key: str  # an agency in Coventry's list
    sanctuary_key: str  # a housing agency that is not Coventry's
    cases: list[Case]


def settings_for(valkey_url: str, prefix: str, **extra: str) -> Settings:
    return Settings(REDIS_URL=valkey_url, ASB_PSEUDONYM_KEY=SECRET, ASB_KEY_PREFIX=prefix,
                    RASA_URL="http://127.0.0.1:9", **extra)  # fmt: skip


def seeded_cases(now: datetime) -> list[Case]:
    """Coventry: three acknowledgements (two on time, one late), a hotspot of three
    reports, a satisfied and an unhappy resident; Cherwell: one case of its own."""
    ago = now - timedelta(days=2)
    refs = [f"ASB-DASH-{secrets.token_hex(2).upper()}{n}" for n in range(3)]
    spot = hotspot(f"hs-{secrets.token_hex(4)}", refs)
    month_ago = now - timedelta(days=20)

    def ack(due: datetime, met: datetime) -> list[Deadline]:
        return [deadline("acknowledgement", due, met)]

    return [
        case(ago, reference=refs[0], category="personal",
             deadlines=ack(ago + 24 * HOUR, ago + HOUR)),
        case(ago, reference=refs[1], deadlines=ack(ago + 24 * HOUR, ago + 2 * HOUR)),
        case(ago + HOUR, reference=refs[2], hotspot=spot,
             deadlines=ack(ago + 25 * HOUR, ago + 30 * HOUR)),
        case(month_ago, category="environmental", satisfaction=5, perception="fairly_big",
             surveyed_at=now - HOUR),
        case(month_ago, satisfaction=2, perception="not_a_problem", surveyed_at=now - HOUR),
        case(ago, partnership="cherwell", district="OX16"),
    ]  # fmt: skip


async def open_rig(settings: Settings) -> AsyncIterator[Rig]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        services: Services = app.state.services
        now = datetime.now(UTC)
        cases = seeded_cases(now)
        for one in cases:
            await services.cases.save_new(one, personal())
        staff = StaffKeys(services.redis, services.keys)
        partners = ApiKeys(services.redis, services.keys)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as client:
            yield Rig(
                client, services, await staff.issue("coventry"), await staff.issue("cherwell"),
                await partners.issue("police"), await partners.issue("sanctuary_housing"), cases,
            )  # fmt: skip


@pytest.fixture(scope="module")
async def rig(valkey_url: str) -> AsyncIterator[Rig]:
    async for made in open_rig(settings_for(valkey_url, f"dash{secrets.token_hex(3)}")):
        yield made


async def sign_in(
    rig: Rig, key: str, pid: str = "coventry", origin: str = ORIGIN
) -> httpx.Response:
    rig.client.cookies.clear()
    return await rig.client.post(
        f"/partnership/{pid}/sign-in", data={"key": key}, headers={"Origin": origin}
    )


async def get_with_session(rig: Rig, path: str, token: str) -> httpx.Response:
    """A request carrying this session cookie, whatever path it was set for."""
    rig.client.cookies.clear()
    rig.client.cookies.set(COOKIE, token)
    return await rig.client.get(path)


def assert_private(response: httpx.Response) -> None:
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-robots-tag"] == "noindex"


class Tables(HTMLParser):
    """Every <table> of a page: its id -> rows of cell texts (header row included)."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._table = self.tables.setdefault(dict(attrs).get("id") or "", [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._table is not None and self._cell is not None:
            self._table[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


async def test_without_a_session_the_dashboard_asks_to_sign_in(rig: Rig) -> None:
    rig.client.cookies.clear()
    page = await rig.client.get("/partnership/coventry/")
    assert page.status_code == 303
    assert page.headers["location"] == "/partnership/coventry/sign-in"
    assert_private(page)
    form = await rig.client.get("/partnership/coventry/sign-in")
    assert form.status_code == 200
    assert 'name="key"' in form.text and 'type="password"' in form.text
    assert_private(form)
    # A partnership that does not exist looks just the same.
    unknown = await rig.client.get("/partnership/nowhere/")
    assert (unknown.status_code, unknown.headers["location"]) == (
        303,
        "/partnership/nowhere/sign-in",
    )
    unknown_form = await rig.client.get("/partnership/nowhere/sign-in")
    assert unknown_form.text.replace("nowhere", "coventry") == form.text


async def test_a_wrong_key_gets_401_with_no_hint_whether_the_partnership_exists(rig: Rig) -> None:
    known = await sign_in(rig, "asbs_coventry_not-a-real-key")
    unknown = await sign_in(rig, "asbs_coventry_not-a-real-key", pid="nowhere")
    for response in (known, unknown):
        assert response.status_code == 401
        assert "That key was not accepted" in response.text
        assert "set-cookie" not in response.headers
        assert_private(response)
    assert unknown.text.replace("nowhere", "coventry") == known.text
    assert (await sign_in(rig, rig.staff_key, pid="nowhere")).status_code == 401


async def test_a_staff_key_opens_a_session_cookie_for_its_partnership_only(rig: Rig) -> None:
    response = await sign_in(rig, rig.staff_key)
    assert response.status_code == 303
    assert response.headers["location"] == "/partnership/coventry/"
    cookie = response.headers["set-cookie"].lower()
    for part in ("httponly", "samesite=strict", "path=/partnership/coventry/",
                 f"max-age={SESSION_SECONDS}"):  # fmt: skip
        assert part in cookie
    assert "secure" not in cookie  # PUBLIC_BASE_URL is plain http here
    assert rig.staff_key not in response.headers["set-cookie"]

    page = await rig.client.get("/partnership/coventry/")
    assert page.status_code == 200
    assert_private(page)
    assert "Coventry Community Safety Partnership" in page.text
    assert page.text.count('role="img"') == 5
    assert "staff:coventry" in page.text
    # The cookie opens no other partnership's dashboard, even sent there by hand.
    token = rig.client.cookies[COOKIE]
    other = await get_with_session(rig, "/partnership/cherwell/", token)
    assert other.status_code == 303

    audit = await entries(rig.services.redis, rig.services.keys)
    assert {
        "actor": "staff:coventry",
        "action": "dashboard.sign_in",
        "subject": "coventry",
    }.items() <= audit[-1].items()


async def test_a_key_for_another_partnership_is_refused(rig: Rig) -> None:
    for key in (rig.cherwell_key, rig.sanctuary_key):
        response = await sign_in(rig, key)
        assert response.status_code == 401
        assert "set-cookie" not in response.headers
    audit = await entries(rig.services.redis, rig.services.keys)
    refused = [e for e in audit if e["action"] == "dashboard.sign_in_refused"]
    assert {e["actor"] for e in refused[-2:]} == {"staff:cherwell", "agency:sanctuary_housing"}
    # Bearer keys follow the same rule.
    headers = {"Authorization": f"Bearer {rig.cherwell_key}"}
    assert (
        await rig.client.get("/partnership/coventry/cases.csv", headers=headers)
    ).status_code == 401


async def test_a_partner_agency_of_the_partnership_can_sign_in(rig: Rig) -> None:
    response = await sign_in(rig, rig.police_key)
    assert response.status_code == 303
    page = await rig.client.get("/partnership/coventry/")
    assert page.status_code == 200 and "agency:police" in page.text


async def test_the_numbers_shown_are_the_figures(rig: Rig) -> None:
    await sign_in(rig, rig.staff_key)
    page = await rig.client.get("/partnership/coventry/")
    shown = Tables(page.text).tables
    coventry = rig.services.partnerships.get("coventry")
    cases = await rig.services.cases.cases_between(fig.since(datetime.now(UTC)).timestamp())
    expected = fig.tables(fig.compute(cases, coventry, datetime.now(UTC)), coventry)

    for table in expected:
        rows = shown[f"{table.id}-table"]
        assert rows[0] == list(table.columns)
        assert len(rows) - 1 == max(len(table.rows), 1)
    # The seeded cases, counted by hand: two of three acknowledged on time.
    standards = {row[0]: row[1:] for row in shown["standards-table"][1:]}
    assert standards["Acknowledged within 24 hours"] == ["2", "1", "0", "66.7"]
    spot = next(c.hotspot for c in rig.cases if c.hotspot)
    assert spot is not None
    hotspots = {row[0]: row for row in shown["hotspots-table"][1:]}
    assert hotspots[spot.id][1:5] == ["location", "CV1", "3", " ".join(spot.references)]
    answered = f"{fig.month_start(datetime.now(UTC) - HOUR):%B %Y}"  # the seeded surveys
    satisfaction = {row[0]: row[1:] for row in shown["satisfaction-table"][1:]}
    perception = {row[0]: row[1:] for row in shown["perception-table"][1:]}
    assert satisfaction[answered] == ["2", "50", "3.5"]
    assert perception[answered] == ["2", "50"]
    weekly_total = sum(int(row[-1]) for row in shown["reports-by-week-table"][1:])
    assert weekly_total == 5
    for secret in (SECRET_NAME, SECRET_PHONE, SECRET_WORDS):
        assert secret not in page.text


async def test_csv_exports_take_a_bearer_key_and_hold_nothing_personal(rig: Rig) -> None:
    rig.client.cookies.clear()
    assert (await rig.client.get("/partnership/coventry/cases.csv")).status_code == 401
    headers = {"Authorization": f"Bearer {rig.staff_key}"}
    export = await rig.client.get("/partnership/coventry/cases.csv", headers=headers)
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    assert_private(export)
    rows = list(csv.DictReader(io.StringIO(export.text)))
    coventry = {c.reference for c in rig.cases if c.partnership == "coventry"}
    assert {r["reference"] for r in rows} == coventry
    for secret in (SECRET_NAME, SECRET_PHONE, SECRET_WORDS, "CV1 5FB"):
        assert secret not in export.text

    figures = await rig.client.get("/partnership/coventry/figures.csv", headers=headers)
    assert figures.status_code == 200
    lines = list(csv.DictReader(io.StringIO(figures.text)))
    assert {"table": "standards", "row": "Acknowledged within 24 hours", "column": "Met (%)",
            "value": "66.7"} in lines  # fmt: skip


async def test_a_sign_in_from_another_site_is_refused(rig: Rig) -> None:
    forged = await sign_in(rig, rig.staff_key, origin="https://evil.example")
    assert forged.status_code == 403 and "set-cookie" not in forged.headers
    rig.client.cookies.clear()
    bare = await rig.client.post("/partnership/coventry/sign-in", data={"key": rig.staff_key})
    assert bare.status_code == 403


async def test_a_session_ends_when_it_expires_is_altered_or_its_key_is_revoked(rig: Rig) -> None:
    principal = Principal("coventry", "staff:coventry", key_hash(rig.staff_key))
    signer = SessionSigner(SECRET.encode())
    stale = signer.issue(principal, time.time() - SESSION_SECONDS - 1)
    assert (await get_with_session(rig, "/partnership/coventry/", stale)).status_code == 303
    fresh = signer.issue(principal, time.time())
    forged = signer.issue(Principal("coventry", "staff:coventry", "0" * 64), time.time())
    altered = fresh[:-2] + ("AA" if not fresh.endswith("AA") else "BB")
    assert (await get_with_session(rig, "/partnership/coventry/", fresh)).status_code == 200
    for token in (altered, forged):
        assert (await get_with_session(rig, "/partnership/coventry/", token)).status_code == 303

    key = await StaffKeys(rig.services.redis, rig.services.keys).issue("coventry")
    await sign_in(rig, key)
    assert (await rig.client.get("/partnership/coventry/")).status_code == 200
    await StaffKeys(rig.services.redis, rig.services.keys).revoke(key)
    assert (await rig.client.get("/partnership/coventry/")).status_code == 303


async def test_sign_out_clears_the_session(rig: Rig) -> None:
    await sign_in(rig, rig.staff_key)
    out = await rig.client.post("/partnership/coventry/sign-out", headers={"Origin": ORIGIN})
    assert out.status_code == 303 and out.headers["location"] == "/partnership/coventry/sign-in"
    assert "max-age=0" in out.headers["set-cookie"].lower()
    assert (await rig.client.get("/partnership/coventry/")).status_code == 303
    audit = await entries(rig.services.redis, rig.services.keys)
    assert audit[-1]["action"] == "dashboard.sign_out"


async def test_keys_are_stored_hashed(rig: Rig) -> None:
    stored = await rig.services.redis.hgetall(rig.services.keys.staff_keys())  # type: ignore[misc]
    assert stored[key_hash(rig.staff_key).encode()] == b"coventry"
    assert all(rig.staff_key.encode() not in field + value for field, value in stored.items())


async def test_one_render_reads_the_cases_in_a_few_commands(rig: Rig) -> None:
    """No read per case: the page's Redis commands do not grow with the cases shown."""
    await sign_in(rig, rig.staff_key)

    async def commands() -> dict[str, int]:
        stats: dict[str, Any] = await rig.services.redis.info("commandstats")
        return {name: int(v["calls"]) for name, v in stats.items()}

    before = await commands()
    assert (await rig.client.get("/partnership/coventry/")).status_code == 200
    after = await commands()
    used = {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}
    assert used.get("cmdstat_get", 0) == 0
    assert used["cmdstat_mget"] == 1
    assert sum(used.values()) <= 6, used


async def test_the_session_cookie_is_secure_behind_https(valkey_url: str) -> None:
    settings = settings_for(
        valkey_url, f"dash{secrets.token_hex(3)}", PUBLIC_BASE_URL="https://asb.example"
    )
    async for rig in open_rig(settings):
        response = await sign_in(rig, rig.staff_key, origin="https://asb.example")
        assert response.status_code == 303
        assert "secure" in response.headers["set-cookie"].lower()


async def test_operators_issue_and_revoke_staff_keys(valkey_url: str) -> None:
    prefix = f"dash{secrets.token_hex(3)}"
    env = {**os.environ, "REDIS_URL": valkey_url, "ASB_PSEUDONYM_KEY": SECRET,
           "ASB_KEY_PREFIX": prefix}  # fmt: skip

    async def cli(*args: str) -> tuple[int, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "staff", *args, env=env, cwd=PROJECT_ROOT,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
        return process.returncode or 0, out.decode()

    code, out = await cli("issue-key", "--partnership", "coventry")
    assert code == 0, out
    key = out.strip()
    assert key.startswith("asbs_coventry_") and len(key) > 50
    redis = Redis.from_url(valkey_url)
    store = StaffKeys(redis, Keys(prefix))
    try:
        assert await store.partnership_for(key) == "coventry"
        code, out = await cli("revoke-key", key)
        assert code == 0 and "revoked" in out
        assert await store.partnership_for(key) is None
        code, out = await cli("issue-key", "--partnership", "nowhere")
        assert code == 2 and "no partnership 'nowhere'" in out
    finally:
        await redis.aclose()
