"""The partnership dashboard in Chromium: a member of staff signs in with the keyboard,
sees the charts and their tables, and axe finds nothing serious. The desktop screenshot
is written to test-artifacts/dashboard.png, and with ASB_UPDATE_SCREENSHOTS=1 to
docs/images/dashboard.png, the picture docs/partnerships.md shows.

The gateway here is a uvicorn process of its own on the tests' Valkey, with no dialogue
engine behind it (the dashboard needs none), filled with a year of plausible cases."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import expect
from redis.asyncio import Redis

from bench.dashboard import fill, sample_cases
from bot.cases.store import CaseStore
from bot.community import figures as fig
from bot.community.staff_keys import StaffKeys
from bot.partnerships import load_partnerships
from bot.platform.redis_keys import Keys
from bot.platform.settings import PROJECT_ROOT
from tests.conftest import free_port
from tests.gateway_process import gateway_process

pytestmark = pytest.mark.browser
SCREENSHOTS = [PROJECT_ROOT / "test-artifacts" / "dashboard.png"] + (
    [PROJECT_ROOT / "docs" / "images" / "dashboard.png"]
    if os.environ.get("ASB_UPDATE_SCREENSHOTS") == "1"
    else []
)
CASES = 3000


@dataclass
class Dashboard:
    url: str
    key: str
    this_year: int  # reports this year to date, as the figures count them


async def _seed(valkey_url: str, prefix: str) -> tuple[str, int]:
    redis = Redis.from_url(valkey_url)
    keys = Keys(prefix)
    partnerships = load_partnerships(PROJECT_ROOT / "partnerships", "coventry")
    now = datetime.now(UTC)
    cases = sample_cases(partnerships, CASES, now, days=730)  # two years: a real year to date
    try:
        await fill(CaseStore(redis, keys), cases)
        key = await StaffKeys(redis, keys).issue("coventry")
    finally:
        await redis.aclose()
    coventry = partnerships.get("coventry")
    return key, fig.compute(cases, coventry, now).year_to_date.this_year


@pytest.fixture(scope="module")
def dashboard(valkey_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    prefix = f"dashweb{secrets.token_hex(3)}"
    # Seeded from a thread of its own: Playwright's sync API keeps an event loop here.
    with ThreadPoolExecutor(1) as pool:
        key, this_year = pool.submit(asyncio.run, _seed(valkey_url, prefix)).result()
    data_dir = tmp_path_factory.mktemp("dashboard-gateway")
    env = {**os.environ, "REDIS_URL": valkey_url, "ASB_KEY_PREFIX": prefix,
           "ASB_PSEUDONYM_KEY": "dashboard-browser", "ASB_DATA_DIR": str(data_dir),
           "RASA_URL": f"http://127.0.0.1:{free_port()}"}  # fmt: skip
    log = PROJECT_ROOT / "test-artifacts" / "dashboard-gateway.log"
    with gateway_process(env, log, start_seconds=90) as url:
        yield Dashboard(url, key, this_year)


def _serious(page: Any, when: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = []
    for v in Axe().run(page).response["violations"]:
        targets = [node["target"] for node in v["nodes"]]
        line = f"[{when}] {v['impact']}: {v['id']} - {v['help']} at {targets}"
        print(line)  # every violation is shown with -s; the serious ones fail the test
        if v["impact"] in ("serious", "critical"):
            found.append(line)
    return found


def _tab_to(page: Any, selector: str, limit: int = 80) -> list[str]:
    """Press Tab until `selector` has focus; the focused elements on the way, in order."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return seen
    raise AssertionError(f"{selector} was not reached with Tab; focus went to: {seen}")


def test_staff_sign_in_with_the_keyboard_and_see_charts_and_tables(
    page: Any, dashboard: Dashboard
) -> None:
    page.goto(f"{dashboard.url}/partnership/coventry/")
    expect(page.get_by_role("heading", name="Sign in to the partnership dashboard")).to_be_visible()
    problems = _serious(page, "sign-in")

    _tab_to(page, "#key")
    page.keyboard.type(dashboard.key)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="How we are keeping our promises")).to_be_visible()
    assert page.url == f"{dashboard.url}/partnership/coventry/"

    charts = page.locator('svg[role="img"]')
    expect(charts).to_have_count(5)
    for n in range(5):
        chart = charts.nth(n)
        expect(chart).to_be_visible()
        title = chart.get_attribute("aria-labelledby")
        assert page.locator(f"#{title}").text_content(), "a chart without its title"
    for table in ("reports-by-week", "standards", "satisfaction", "perception", "calls-by-month"):
        expect(page.locator(f"#{table}-table caption")).to_be_visible()
    this_year = page.locator("dt", has_text="Reports this year to date").locator("xpath=..")
    expect(this_year.locator("dd")).to_contain_text(f"{dashboard.this_year:,}")

    problems += _serious(page, "dashboard")
    for screenshot in SCREENSHOTS:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=True)
    assert not problems, "axe found serious or critical problems:\n" + "\n".join(problems)


def test_every_control_is_reachable_by_keyboard_and_sign_out_works(
    page: Any, dashboard: Dashboard
) -> None:
    page.goto(f"{dashboard.url}/partnership/coventry/sign-in")
    page.fill("#key", dashboard.key)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    path = _tab_to(page, 'a[href$="/figures.csv"]')
    assert any("Skip to the figures" in step for step in path)
    assert any("Sign out" in step for step in path)
    _tab_to(page, 'div[role="region"][aria-label^="Table: Reports by week"]')
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused table region shows no focus outline"

    page.goto(f"{dashboard.url}/partnership/coventry/")
    _tab_to(page, "header button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Sign in to the partnership dashboard")).to_be_visible()
    page.goto(f"{dashboard.url}/partnership/coventry/")
    expect(page).to_have_url(f"{dashboard.url}/partnership/coventry/sign-in")


def test_a_refused_key_says_so_without_signing_in(page: Any, dashboard: Dashboard) -> None:
    page.goto(f"{dashboard.url}/partnership/coventry/sign-in")
    page.fill("#key", "asbs_coventry_wrong")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("That key was not accepted")
    assert page.locator("#key").get_attribute("aria-invalid") == "true"
    assert not _serious(page, "refused")
    assert not [c for c in page.context.cookies() if c["name"] == "asb_dashboard"]
