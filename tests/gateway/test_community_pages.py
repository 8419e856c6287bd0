"""The public neighbourhood pages over HTTP: the real gateway app on a real Valkey, driven
through its ASGI interface inside its lifespan (no Rasa needed)."""

from __future__ import annotations

import asyncio
import json
import secrets
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from bot.app import create_app
from bot.cases.model import Case, CasePersonal, ContactDetails, ReportAnswers
from bot.cases.reference import new_reference
from bot.community.summaries import add_months, month_key, month_label, month_of, month_start
from bot.conversation.services import Services
from bot.platform.settings import Settings
from bot.safety.flags import SafetyFlags

JSON = {"Accept": "application/json"}
FEWER = {"count": None, "suppressed": True, "display": "fewer than 5"}


@asynccontextmanager
async def gateway(valkey_url: str) -> AsyncIterator[tuple[httpx.AsyncClient, Services]]:
    """The gateway app with its own key prefix on the tests' Valkey, and a client for it."""
    settings = Settings(REDIS_URL=valkey_url, ASB_PSEUDONYM_KEY="community-test",
                        ASB_KEY_PREFIX=f"pub{secrets.token_hex(3)}",
                        RASA_URL="http://127.0.0.1:9")  # fmt: skip
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client, app.state.services


def mid(month: date) -> datetime:
    """Noon on the 15th of a month, London time."""
    return (month_start(month) + timedelta(days=14, hours=12)).astimezone(UTC)


def anonymous() -> CasePersonal:
    return CasePersonal(
        answers=ReportAnswers(incident_description="shouting", incident_time="last night",
                              incident_location="the park"),
        contact=ContactDetails(method="none"),
    )  # fmt: skip


async def save_reports(
    services: Services,
    n: int,
    created: datetime,
    district: str = "CV1",
    category: str = "nuisance",
    subtype: str = "noise",
    personal: CasePersonal | None = None,
    hate: bool = False,
) -> list[Case]:
    cases = []
    for _ in range(n):
        case = Case(
            reference=new_reference(), created_at=created, channel="chat",
            partnership="coventry", contact_key=None, contact_method="none", anonymous=True,
            consent_to_share=True, happening_now=False, postcode_district=district,
            flags=SafetyFlags(category=category, subtype=subtype, hate_crime=hate),
            lead_agency="council_asb", routed_to=["council_asb"],
        )  # fmt: skip
        await services.cases.save_new(case, personal or anonymous())
        cases.append(case)
    return cases


@dataclass
class Rig:
    client: httpx.AsyncClient
    services: Services
    current: date
    last: date
    older: date


@pytest.fixture(scope="module")
async def rig(valkey_url: str) -> AsyncIterator[Rig]:
    async with gateway(valkey_url) as (client, services):
        now = datetime.now(UTC)
        current = month_of(now)
        last, older = add_months(current, -1), add_months(current, -4)
        await save_reports(services, 12, mid(last))
        await save_reports(services, 3, mid(last), category="personal", subtype="criminal_damage")
        await save_reports(services, 7, mid(last), category="environmental", subtype="fly_tipping")
        await save_reports(services, 4, mid(last), district="CV2")
        await save_reports(services, 5, mid(last), district="CV3")
        await save_reports(services, 6, now)
        await save_reports(services, 8, mid(older), subtype="drugs")
        yield Rig(client, services, current, last, older)


async def summary(rig: Rig, path: str = "/community/coventry/CV1/") -> dict[str, Any]:
    response = await rig.client.get(path, headers=JSON)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    return body


async def test_a_district_page_shows_the_last_month_and_this_month_so_far(rig: Rig) -> None:
    page = await rig.client.get("/community/coventry/CV1/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "public, max-age=300"
    assert page.headers["vary"] == "Accept"
    html = page.text
    assert "<h1>Anti-social behaviour reported in CV1</h1>" in html
    assert "Coventry Community Safety Partnership" in html
    assert f">{month_label(rig.last)}</h2>" in html
    assert f">{month_label(rig.current)} so far</h2>" in html
    for shown in ("<td class=\"n\">22</td>", "<td class=\"n\">12</td>", "fewer than 5",
                  "not shown", "The last 12 months", "You said, we did", "call 999",
                  'href="/chat"', "024 7683 1999"):  # fmt: skip
        assert shown in html, shown


async def test_the_same_content_as_json(rig: Rig) -> None:
    body = await summary(rig)
    assert (body["partnership"], body["area"], body["month"]) == (
        "coventry",
        "CV1",
        month_key(rig.last),
    )
    last, now = body["months"]
    assert (last["month"], last["partial"]) == (month_key(rig.last), False)
    assert last["total"]["count"] == 22
    assert last["categories"]["personal"] == FEWER
    assert last["categories"]["nuisance"]["count"] == 12
    # Personal alone would be 22 - 12 - 7: environmental is withheld with it.
    assert last["categories"]["environmental"] == {
        "count": None, "suppressed": True, "display": "not shown",
    }  # fmt: skip
    assert (now["month"], now["partial"], now["total"]["count"]) == (
        month_key(rig.current),
        True,
        6,
    )
    assert len(body["trend"]) == 12
    assert body["trend"][-1]["month"] == month_key(rig.last)
    assert body["trend"][-4]["total"]["count"] == 8


async def test_a_month_is_picked_with_the_month_parameter(rig: Rig) -> None:
    older = month_key(rig.older)
    body = await summary(rig, f"/community/coventry/CV1/?month={older}")
    assert [m["month"] for m in body["months"]] == [older]
    assert body["months"][0]["total"]["count"] == 8
    assert body["trend"][-1]["month"] == older
    html = (await rig.client.get(f"/community/coventry/CV1/?month={older}")).text
    assert f">{month_label(rig.older)}</h2>" in html and "so far</h2>" not in html
    this_month = await summary(rig, f"/community/coventry/CV1/?month={month_key(rig.current)}")
    assert this_month["months"][0]["partial"] is True
    future = month_key(add_months(rig.current, 1))
    for bad in ("2025-13", "last-month", future):
        refused = await rig.client.get(f"/community/coventry/CV1/?month={bad}", headers=JSON)
        assert refused.status_code == 422
        assert refused.json()["detail"].startswith("month:")
    page = await rig.client.get(f"/community/coventry/CV1/?month={future}")
    assert page.status_code == 422 and "has not started yet" in page.text


async def test_districts_are_canonical(rig: Rig) -> None:
    for asked in (
        "/community/coventry/cv1/",
        "/community/Coventry/CV1/",
        "/community/coventry/%20cv1/",
    ):
        response = await rig.client.get(asked)
        assert response.status_code == 301, asked
        assert response.headers["location"] == "/community/coventry/CV1/"
    kept = await rig.client.get("/community/COVENTRY/cv3/?month=2025-01")
    assert kept.headers["location"] == "/community/coventry/CV3/?month=2025-01"
    followed = await rig.client.get("/community/coventry/cv2", follow_redirects=True)
    assert followed.status_code == 200 and str(followed.url).endswith("/community/coventry/CV2/")


async def test_small_districts_show_fewer_than_five_and_five_shows_five(rig: Rig) -> None:
    cv2 = (await summary(rig, "/community/coventry/CV2/"))["months"][0]
    assert cv2["total"] == FEWER and cv2["categories"] == {} and cv2["kinds"] == []
    cv3 = (await summary(rig, "/community/coventry/CV3/"))["months"][0]
    assert cv3["total"]["count"] == 5 and cv3["categories"]["nuisance"]["count"] == 5


async def test_unknown_partnership_or_area_is_a_clear_404(rig: Rig) -> None:
    unknown = await rig.client.get("/community/atlantis/CV1/", headers=JSON)
    assert unknown.status_code == 404
    assert "No partnership here" in unknown.json()["detail"]
    assert (await rig.client.get("/community/atlantis/")).status_code == 404
    outside = await rig.client.get("/community/coventry/OX16/")
    assert outside.status_code == 404
    assert "OX16 is not in the area of Coventry Community Safety Partnership" in outside.text
    assert 'href="/community/coventry/CV1/"' in outside.text  # where to go instead
    nonsense = await rig.client.get("/community/coventry/hello/", headers=JSON)
    assert nonsense.status_code == 404 and "not a postcode district" in nonsense.json()["detail"]
    sector = await rig.client.get("/community/coventry/CV1-5/")
    assert sector.status_code == 404
    assert "whole postcode districts" in sector.text
    assert 'href="/community/coventry/CV1/"' in sector.text


async def test_the_partnership_page_lists_its_districts(rig: Rig) -> None:
    body = (await rig.client.get("/community/coventry/", headers=JSON)).json()
    assert [a["area"] for a in body["areas"]] == ["CV1", "CV2", "CV3", "CV4", "CV5", "CV6"]
    assert body["areas"][0]["url"] == "/community/coventry/CV1/"
    page = await rig.client.get("/community/coventry/")
    assert page.status_code == 200 and 'href="/community/coventry/CV6/"' in page.text
    assert (await rig.client.get("/community/Coventry/")).headers[
        "location"
    ] == "/community/coventry/"


async def test_figures_are_cached_for_five_minutes(rig: Rig) -> None:
    path = f"/community/coventry/CV4/?month={month_key(rig.last)}"
    kept = rig.services.keys.community_counts("coventry", month_key(rig.last))
    await rig.services.redis.delete(kept)  # whatever earlier tests left
    await save_reports(rig.services, 5, mid(rig.last), district="CV4")
    assert (await summary(rig, path))["months"][0]["total"]["count"] == 5
    await save_reports(rig.services, 1, mid(rig.last), district="CV4")
    # Within the five minutes the page is served from the kept counts, not the store.
    assert (await summary(rig, path))["months"][0]["total"]["count"] == 5
    assert 0 < await rig.services.redis.ttl(kept) <= 300
    await rig.services.redis.delete(kept)  # as when it expires
    assert (await summary(rig, path))["months"][0]["total"]["count"] == 6


async def asb_intake(rig: Rig, *args: str) -> tuple[int, str, str]:
    """The operator command, as a process of its own on the same store."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", *args,
        env={"REDIS_URL": rig.services.settings.require_redis_url(),
             "ASB_KEY_PREFIX": rig.services.keys.prefix, "PATH": "/usr/bin:/bin"},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    return process.returncode or 0, out.decode(), err.decode()


async def test_the_summary_command_prints_the_same_summary(rig: Rig) -> None:
    last = month_key(rig.last)
    code, out, _ = await asb_intake(rig, "summary", "--partnership", "coventry", "--month", last,
                                    "--area", "cv1", "--json")  # fmt: skip
    assert code == 0
    printed = json.loads(out)
    assert (printed["partnership"], printed["month"]) == ("coventry", last)
    assert printed["areas"] == [await summary(rig, f"/community/coventry/CV1/?month={last}")]
    code, table, _ = await asb_intake(rig, "summary", "--partnership", "coventry", "--month", last)
    assert code == 0
    heading = f"reports of anti-social behaviour, {month_label(rig.last)}"
    assert table.startswith(f"Coventry Community Safety Partnership: {heading}")
    lines = [line for line in table.splitlines() if line.startswith("CV")]
    rows = {line.split()[0]: line for line in lines[:6]}  # the first table
    assert list(rows) == ["CV1", "CV2", "CV3", "CV4", "CV5", "CV6"]
    assert rows["CV1"].split()[:2] == ["CV1", "22"] and "not shown" in rows["CV1"]
    assert rows["CV2"].split()[1:4] == ["fewer", "than", "5"]
    code, _, err = await asb_intake(rig, "summary", "--partnership", "coventry", "--month", last,
                                    "--area", "OX16")  # fmt: skip
    assert code == 2 and "OX16 is not one of" in err
