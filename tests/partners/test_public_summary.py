"""`public_summary` on partner updates: "you said, we did" on the district's public page,
refused when it looks personal, replaced by a later one, gone when the case is erased."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from bot.cases.model import Case, CasePersonal, ContactDetails, ReportAnswers
from bot.community.summaries import month_key, month_label, month_of
from bot.conversation.services import Services
from bot.partners.api_keys import ApiKeys
from bot.privacy.erase import Eraser
from tests.gateway.test_community_pages import JSON, gateway, save_reports

RESIDENT = "Marguerite Fennimore"


def resident() -> CasePersonal:
    return CasePersonal(
        answers=ReportAnswers(incident_description="music all night", incident_time="nightly",
                              incident_location="the flats on Spon Street"),
        contact=ContactDetails(method="sms", name=RESIDENT, phone="+447700900777"),
        postcode="CV1 3BX",
    )  # fmt: skip


@dataclass
class Rig:
    client: httpx.AsyncClient
    services: Services
    key: str

    async def case(self, district: str | None = "CV1") -> Case:
        made = await save_reports(self.services, 1, datetime.now(UTC), district,
                                  personal=resident())  # fmt: skip
        return made[0]

    async def update(self, case: Case, **body: str) -> httpx.Response:
        return await self.client.post(
            f"/partners/v1/cases/{case.reference}/updates",
            json=body,
            headers={"Authorization": f"Bearer {self.key}"},
        )

    async def outcomes(self, district: str = "CV1") -> list[dict[str, str]]:
        page = await self.client.get(f"/community/coventry/{district}/", headers=JSON)
        found: list[dict[str, str]] = page.json()["outcomes"]
        return found


@pytest.fixture(scope="module")
async def rig(valkey_url: str) -> AsyncIterator[Rig]:
    async with gateway(valkey_url) as (client, services):
        key = await ApiKeys(services.redis, services.keys).issue("council_asb")
        yield Rig(client, services, key)


async def test_a_public_summary_is_shown_with_its_category_and_month_only(rig: Rig) -> None:
    case = await rig.case("CV2")
    text = "Dispersal order around the precinct; two extra patrols on Friday nights."
    response = await rig.update(case, kind="action_taken", note="patrols added",
                                public_summary=text)  # fmt: skip
    assert response.status_code == 201
    assert response.json()["public_summary"] == text
    this_month = month_of(datetime.now(UTC))
    assert await rig.outcomes("CV2") == [{
        "month": month_key(this_month), "label": month_label(this_month),
        "category": "Nuisance", "text": text,
    }]  # fmt: skip
    page = (await rig.client.get("/community/coventry/CV2/")).text
    assert f"<strong>Nuisance, {month_label(this_month)}:</strong> {text}" in page
    assert case.reference not in page
    assert await rig.outcomes("CV3") == []  # only on its own district's page


async def test_a_later_summary_replaces_the_earlier_one(rig: Rig) -> None:
    case = await rig.case("CV4")
    first = await rig.update(case, kind="action_taken", note="n", public_summary="Patrols began.")
    assert first.status_code == 201
    closed = await rig.update(case, kind="closed", outcome="resolved",
                              public_summary="The noise has stopped after warnings.")  # fmt: skip
    assert closed.status_code == 201
    assert [o["text"] for o in await rig.outcomes("CV4")] == [
        "The noise has stopped after warnings."
    ]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Ring 07700 900123 if it starts again", "a phone number"),
        ("Contact asb.team@coventry.example.gov.uk", "an email address"),
        ("Patrols around CV1 5FB every night", "a full postcode"),
        ("Warning letter sent to 12 Spon Street", "a house number with a street"),
        ("Flat 3, 8 Priory Court was visited", "a house number with a street"),
        ("Closed with ASB-K7MP-4QXW", "a case reference"),
    ],
)
async def test_a_summary_that_looks_personal_is_refused(rig: Rig, text: str, why: str) -> None:
    case = await rig.case("CV5")
    response = await rig.update(case, kind="action_taken", note="n", public_summary=text)
    assert response.status_code == 422
    assert why in response.text and "public_summary" in response.text
    assert await rig.outcomes("CV5") == []
    # Nothing of the refused update was recorded.
    view = await rig.client.get(f"/partners/v1/cases/{case.reference}",
                                headers={"Authorization": f"Bearer {rig.key}"})  # fmt: skip
    assert view.json()["updates"] == []


async def test_the_residents_own_name_or_postcode_is_refused(rig: Rig) -> None:
    case = await rig.case("CV6")
    first, last = RESIDENT.split()
    for text in (f"Spoke to {last.lower()} about it", f"Thanks to {first} for reporting"):
        response = await rig.update(case, kind="closed", outcome="done", public_summary=text)
        assert response.status_code == 422, text
    fine = await rig.update(case, kind="closed", outcome="done",
                            public_summary="Mediation between neighbours agreed.")  # fmt: skip
    assert fine.status_code == 201


async def test_a_public_summary_needs_a_closing_or_action_update_and_a_page(rig: Rig) -> None:
    case = await rig.case("CV1")
    wrong_kind = await rig.update(case, kind="contacted", public_summary="We called back.")
    assert wrong_kind.status_code == 422 and "action_taken or closed" in wrong_kind.text
    too_long = await rig.update(case, kind="action_taken", note="n", public_summary="x" * 281)
    assert too_long.status_code == 422
    nowhere = await rig.case(None)  # no postcode: no district page to show it on
    refused = await rig.update(nowhere, kind="action_taken", note="n", public_summary="Patrols.")
    assert refused.status_code == 422 and "no public page" in refused.json()["detail"]


async def test_erasing_the_case_withdraws_its_published_outcome(rig: Rig, tmp_path: Path) -> None:
    case = await rig.case("CV3")
    text = "Youth outreach at the park on Saturdays."
    response = await rig.update(case, kind="action_taken", note="n", public_summary=text)
    assert response.status_code == 201
    assert len(await rig.outcomes("CV3")) == 1
    services = rig.services
    eraser = Eraser(services.redis, services.keys, services.cases, b"secret", tmp_path)
    await eraser.by_reference(case.reference, actor="operator:test")
    assert await rig.outcomes("CV3") == []
    assert await services.redis.get(services.keys.case_public_outcome(case.reference)) is None
