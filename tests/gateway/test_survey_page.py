"""The survey page that closing emails and letters link to, served by a real gateway over
HTTP: a good link shows the form and its answers are stored once; a tampered, made-up
or expired link shows nothing of any case."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import httpx
import pytest
from redis.asyncio import Redis

from bot.cases.model import ContactDetails
from bot.cases.store import CaseStore
from bot.partners.survey import SurveyLinks
from bot.platform.redis_keys import Keys
from tests.partners.survey_rig import SECRET, closed_case, suite_cipher, survey_gateway
from tests.telephony.fake_twilio import FakeTwilio
from tests.telephony.signing import PUBLIC_BASE_URL

PREFIX = "surveypage"
LINKS = SurveyLinks(SECRET.encode(), PUBLIC_BASE_URL)
EMAIL = ContactDetails(method="email", name="Sam", email="sam@example.org")


@pytest.fixture(scope="module")
def gateway(
    valkey_url: str, fake_twilio: FakeTwilio, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with survey_gateway(
        valkey_url, fake_twilio.base_url, PREFIX, tmp_path_factory.mktemp(PREFIX)
    ) as url:
        yield url


@pytest.fixture
async def http(gateway: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=gateway, timeout=10) as client:
        yield client


@pytest.fixture
async def cases(valkey_url: str) -> AsyncIterator[CaseStore]:
    redis = Redis.from_url(valkey_url)
    yield CaseStore(redis, Keys(PREFIX), cipher=suite_cipher())
    await redis.aclose()


def path_of(reference: str, now: datetime | None = None) -> str:
    return "/survey/" + LINKS.token(reference, now=now)


class Form(HTMLParser):
    """The page's form controls, their labels and the page's language."""

    def __init__(self, html: str):
        super().__init__()
        self.lang = ""
        self.radios: dict[str, list[str]] = {}
        self.checked: dict[str, str] = {}
        self.ids: list[str] = []
        self.labelled: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang") or ""
        if tag == "input" and a.get("type") == "radio":
            self.radios.setdefault(a["name"] or "", []).append(a["value"] or "")
            if "checked" in a:
                self.checked[a["name"] or ""] = a["value"] or ""
        if tag in ("input", "textarea"):
            self.ids.append(a.get("id") or "")
        if tag == "label":
            self.labelled.add(a.get("for") or "")


async def test_a_good_link_shows_both_questions_and_stores_the_answers_once(
    http: httpx.AsyncClient, cases: CaseStore
) -> None:
    case = await closed_case(cases, EMAIL)
    page = await http.get(path_of(case.reference))
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    form = Form(page.text)
    assert form.lang == "en-GB"
    assert form.radios["satisfaction"] == ["1", "2", "3", "4", "5"]
    assert form.radios["perception"] == ["very_big", "fairly_big", "not_very_big", "not_a_problem"]
    assert set(form.ids) <= form.labelled, "every control has a label"
    assert "How much of a problem is anti-social behaviour in your area?" in page.text
    assert case.reference in page.text

    answer = {"satisfaction": "2", "perception": "not_very_big", "comment": "Took months."}
    thanks = await http.post(path_of(case.reference), data=answer)
    assert thanks.status_code == 200 and "Thank you" in thanks.text
    assert "complaints policy" in thanks.text  # an unhappy resident is told how to complain
    stored = await cases.get(case.reference)
    assert stored is not None
    assert (stored.satisfaction, stored.perception) == (2, "not_very_big")
    assert stored.surveyed_at is not None
    personal = await cases.get_personal(case.reference)
    assert personal is not None and personal.satisfaction_comment == "Took months."

    again = await http.post(path_of(case.reference), data={**answer, "satisfaction": "5"})
    assert again.status_code == 409 and "already" in again.text.lower()
    assert "<form" not in (await http.get(path_of(case.reference))).text
    stored = await cases.get(case.reference)
    assert stored is not None and stored.satisfaction == 2


async def test_a_form_without_a_score_is_shown_again_with_the_answers_kept(
    http: httpx.AsyncClient, cases: CaseStore
) -> None:
    case = await closed_case(cases, EMAIL)
    sent = {"perception": "very_big", "comment": "<script>alert(1)</script>"}
    page = await http.post(path_of(case.reference), data=sent)
    assert page.status_code == 422
    assert "There is a problem" in page.text
    assert Form(page.text).checked == {"perception": "very_big"}
    assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    stored = await cases.get(case.reference)
    assert stored is not None and stored.surveyed_at is None and stored.perception is None


async def test_a_tampered_or_made_up_link_shows_no_case_and_stores_nothing(
    http: httpx.AsyncClient, cases: CaseStore
) -> None:
    case = await closed_case(cases, EMAIL)
    other = await closed_case(cases, EMAIL)
    token = LINKS.token(case.reference)
    mac = token.rsplit(".", 1)[1]
    flipped = token[:-1] + ("0" if token[-1] != "0" else "1")
    later_day = re.sub(r"\.(\d+)\.", lambda m: f".{int(m.group(1)) + 365}.", token)
    for bad in (
        flipped,
        later_day,  # the expiry moved on
        token.replace(case.reference, other.reference),  # another case, the same signature
        f"{other.reference}.99999.{mac}",
        "not-a-token",
        SurveyLinks(b"another-secret", PUBLIC_BASE_URL).token(case.reference),
    ):
        page = await http.get(f"/survey/{bad}")
        assert page.status_code == 404, bad
        assert case.reference not in page.text and other.reference not in page.text
        posted = await http.post(f"/survey/{bad}", data={"satisfaction": "5"})
        assert posted.status_code == 404
    for stored in (await cases.get(case.reference), await cases.get(other.reference)):
        assert stored is not None and stored.satisfaction is None


async def test_an_expired_link_says_so_and_gives_the_line(
    http: httpx.AsyncClient, cases: CaseStore
) -> None:
    case = await closed_case(cases, EMAIL)
    old = datetime.now(UTC) - timedelta(days=40)
    page = await http.get(path_of(case.reference, now=old))
    assert page.status_code == 410
    assert "expired" in page.text and "024 7683 1999" in page.text
    posted = await http.post(path_of(case.reference, now=old), data={"satisfaction": "4"})
    assert posted.status_code == 410
    stored = await cases.get(case.reference)
    assert stored is not None and stored.satisfaction is None
