"""Nothing personal reaches the public neighbourhood pages. Reports are stored with known
names, streets, house numbers, phone numbers, emails, full postcodes and free text (in
their personal records, and in partners' notes and attempted public summaries); every
public page and its JSON, for every district and month, is searched for each of them. And
small counts are shown as "fewer than 5" in a way that cannot be undone by subtraction."""

from __future__ import annotations

import secrets
import string
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from bot.cases.model import Case, CasePersonal, ContactDetails, ReportAnswers
from bot.community.summaries import add_months, month_key, month_of
from bot.community.suppression import Cell
from bot.conversation.services import Services
from bot.partners.api_keys import ApiKeys
from tests.community.test_summaries import possible_values
from tests.gateway.test_community_pages import JSON, gateway, mid, save_reports

# Letters only, as in real names and streets.
MARK = "".join(secrets.choice(string.ascii_lowercase) for _ in range(6))
NAME = f"Philippa Quartermaine{MARK}"
OTHER_NAME = f"Jago Ormsby-Tate{MARK}"
STREET = f"Quillon{MARK} Terrace"
HOUSE = f"14 {STREET}"
PHONE = "+447700900461"
NATIONAL = "07700 900461"
EMAIL = f"philippa.{MARK}@example.org"
POSTCODE = "CV1 5FB"
WORDS = f"hurling turnips{MARK} at my greenhouse"
NOTE = f"Visited {NAME} at {HOUSE} and warned {OTHER_NAME}"
SECRETS = [NAME, "Philippa", f"Quartermaine{MARK}", OTHER_NAME, STREET, HOUSE, PHONE, NATIONAL,
           "7700900461", EMAIL, POSTCODE, "CV15FB", "5FB", WORDS, f"turnips{MARK}"]  # fmt: skip
PUBLISHED = "Extra patrols at weekends and a dispersal order around the shops."
ATTEMPTS = [
    f"Spoke to {NAME} about the noise",
    f"Warned the man at {HOUSE}",
    f"Call {NATIONAL} if it happens again",
    f"Email {EMAIL} with any news",
    f"Patrols around {POSTCODE}",
]


def personal() -> CasePersonal:
    return CasePersonal(
        answers=ReportAnswers(
            incident_description=f"The neighbour keeps {WORDS} every evening",
            incident_time="every evening", incident_location=f"{HOUSE}, {POSTCODE}",
            people_involved=f"{OTHER_NAME} from number 12",
            impact="I am anxious all the time",
        ),
        contact=ContactDetails(method="email", name=NAME, phone=PHONE, email=EMAIL,
                               address=f"{HOUSE}, Coventry {POSTCODE}"),
        postcode=POSTCODE,
        evidence=[{"cue": "hate", "text": WORDS}],
    )  # fmt: skip


@dataclass
class Rig:
    client: httpx.AsyncClient
    services: Services
    cases: list[Case]
    current: date
    last: date
    key: str  # a partner API key of the council's ASB team


@pytest.fixture(scope="module")
async def rig(valkey_url: str) -> AsyncIterator[Rig]:
    async with gateway(valkey_url) as (client, services):
        now = datetime.now(UTC)
        current = month_of(now)
        last = add_months(current, -1)
        cases = []
        for district, n, category, subtype, hate in [
            ("CV1", 12, "nuisance", "noise", False),
            ("CV1", 3, "personal", "harassment", True),
            ("CV1", 7, "environmental", "fly_tipping", False),
            ("CV2", 4, "nuisance", "drugs", False),
            ("CV3", 5, "nuisance", "noise", False),
        ]:
            cases += await save_reports(services, n, mid(last), district, category, subtype,
                                        personal(), hate)  # fmt: skip
        cases += await save_reports(services, 2, now, "CV1", personal=personal())
        cases += await save_reports(services, 6, mid(add_months(current, -7)), "CV5",
                                    personal=personal())  # fmt: skip
        key = await ApiKeys(services.redis, services.keys).issue("council_asb")
        made = Rig(client, services, cases, current, last, key)
        published = await post_update(made, cases[0], {"kind": "action_taken", "note": NOTE,
                                                       "public_summary": PUBLISHED})  # fmt: skip
        assert published.status_code == 201
        yield made


async def post_update(rig: Rig, case: Case, body: dict[str, str]) -> httpx.Response:
    return await rig.client.post(
        f"/partners/v1/cases/{case.reference}/updates",
        json=body,
        headers={"Authorization": f"Bearer {rig.key}"},
    )


async def public_pages(rig: Rig) -> dict[str, str]:
    """Every public page and its JSON: the list, each district by default and for each
    month of the last year, as HTML and as JSON."""
    paths = ["/community/coventry/"]
    months = [add_months(rig.current, -n) for n in range(13)]
    for district in ("CV1", "CV2", "CV3", "CV4", "CV5", "CV6"):
        base = f"/community/coventry/{district}/"
        paths += [base, *(f"{base}?month={month_key(m)}" for m in months)]
    paths += ["/community/coventry/CV1-5/", "/community/coventry/OX16/"]
    pages = {}
    for path in paths:
        for headers in ({}, JSON):
            response = await rig.client.get(path, headers=headers)
            assert response.status_code in (200, 404), (path, response.status_code)
            pages[f"{path} {headers}"] = response.text
    return pages


async def public_json_months(rig: Rig) -> list[list[dict[str, Any]]]:
    found = []
    for district in ("CV1", "CV2", "CV3", "CV5"):
        body = (await rig.client.get(f"/community/coventry/{district}/", headers=JSON)).json()
        found.append([*body["months"], *body["trend"]])
    return found


async def test_partners_cannot_publish_personal_details(rig: Rig) -> None:
    case = rig.cases[0]
    for text in [*ATTEMPTS, f"Closed {case.reference}"]:
        refused = await post_update(rig, case, {"kind": "action_taken", "note": "done",
                                                "public_summary": text})  # fmt: skip
        assert refused.status_code == 422, text
        assert "public_summary" in refused.text


async def test_no_public_byte_holds_anything_personal(rig: Rig) -> None:
    pages = await public_pages(rig)
    everything = "\n".join(pages.values()).lower()
    assert PUBLISHED.lower() in everything  # the published outcome is there
    for secret in [*SECRETS, *(c.reference for c in rig.cases)]:
        assert secret.lower() not in everything, secret
    for attempt in ATTEMPTS:
        assert attempt.lower() not in everything
    # Nor in what the service keeps for the pages.
    redis, prefix = rig.services.redis, rig.services.keys.prefix
    for key in [k async for k in redis.scan_iter(f"{prefix}:community:*")]:
        if await redis.type(key) == b"hash":
            held = key + b" " + b" ".join(await redis.hvals(key))  # type: ignore[misc]
        else:
            held = key + b" " + (await redis.get(key) or b"")
        for secret in SECRETS:
            assert secret.lower().encode() not in held.lower(), (key, secret)


async def test_four_reports_show_fewer_than_five_and_five_show_five(rig: Rig) -> None:
    def total(district: str) -> str:
        return f"/community/coventry/{district}/?month={month_key(rig.last)}"

    cv2 = (await rig.client.get(total("CV2"), headers=JSON)).json()["months"][0]
    assert cv2["total"] == {"count": None, "suppressed": True, "display": "fewer than 5"}
    assert cv2["categories"] == {} and cv2["hate_incidents"] is None
    cv2_page = (await rig.client.get(total("CV2"))).text
    assert "Fewer than 5 reports of anti-social behaviour." in cv2_page
    cv3 = (await rig.client.get(total("CV3"), headers=JSON)).json()["months"][0]
    assert cv3["total"]["count"] == 5


async def test_a_suppressed_cell_cannot_be_worked_out_from_the_others(rig: Rig) -> None:
    for months in await public_json_months(rig):
        for month in months:
            if month["total"]["count"] is None:
                continue
            cells = [month["categories"][c] for c in ("personal", "nuisance", "environmental")]
            seen = possible_values([Cell(**c) for c in cells], month["total"]["count"])
            for cell, options in zip(cells, seen, strict=True):
                if cell["display"] == "fewer than 5" and options != {0}:
                    assert len(options) > 1
    cv1 = (await rig.client.get(f"/community/coventry/CV1/?month={month_key(rig.last)}",
                                headers=JSON)).json()["months"][0]  # fmt: skip
    # 12 nuisance, 7 environmental and 3 personal: personal is not 22 - 12 - 7.
    cells = [cv1["categories"][c] for c in ("personal", "nuisance", "environmental")]
    assert [c["display"] for c in cells] == ["fewer than 5", "12", "not shown"]
    personal_options = possible_values([Cell(**c) for c in cells], 22)[0]
    assert 3 in personal_options and len(personal_options) > 1
    # The three personal reports were hate incidents: counted, never broken out as three.
    assert cv1["hate_incidents"]["display"] == "fewer than 5"
