"""The survey call after closure: placed through Twilio's REST API (a local server serving
its paths), answered by a gateway process on real Valkey whose TwiML speaks en-GB and
takes the answers by keypad, retried on no answer and handed to an operator after the
last try; and offered to the resident when they ring the line themselves."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from arq.connections import ArqRedis

from bot.cases.model import Case, ContactDetails
from bot.cases.sla import LONDON
from bot.cases.store import CaseStore
from bot.partners.survey import SurveyLinks
from bot.platform.job_queue import QUEUE_NAME, connect
from bot.platform.redis_keys import Keys
from bot.platform.settings import Settings
from telephony.survey_call import JOB, MAX_ATTEMPTS, OutboundCalls, SurveyCalls, next_call_time
from tests.partners.survey_rig import OUTCOME, SECRET, closed_case, suite_cipher, survey_gateway
from tests.telephony.drivers import call_sid, said
from tests.telephony.fake_twilio import FakeTwilio
from tests.telephony.signing import (
    ACCOUNT_SID,
    LINE_NUMBER,
    PUBLIC_BASE_URL,
    signature,
    telephony_env,
)

PREFIX = "surveyvoice"
LINKS = SurveyLinks(SECRET.encode(), PUBLIC_BASE_URL)
# An afternoon in England, inside calling hours, after the tests run (when a job is due).
AFTERNOON = datetime(2030, 3, 12, 14, 30, tzinfo=LONDON).astimezone(UTC)
NUMBERS = itertools.count(100000)


@pytest.fixture(scope="module")
def gateway(
    valkey_url: str, fake_twilio: FakeTwilio, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with survey_gateway(
        valkey_url, fake_twilio.base_url, PREFIX, tmp_path_factory.mktemp(PREFIX)
    ) as url:
        yield url


@dataclass
class Rig:
    http: httpx.AsyncClient
    pool: ArqRedis
    cases: CaseStore
    keys: Keys
    twilio: FakeTwilio
    outbound: OutboundCalls

    def calls(self) -> SurveyCalls:
        return SurveyCalls(
            self.pool, self.pool, self.keys, self.cases, SECRET.encode(), PUBLIC_BASE_URL,
            self.outbound,
        )  # fmt: skip

    async def phone_resident(self) -> tuple[Case, str]:
        """A closed case of a resident who chose to be kept informed by phone, whose survey
        call has been asked for."""
        phone = f"+442476{next(NUMBERS)}"  # a Coventry landline
        case = await closed_case(self.cases, ContactDetails(method="phone", phone=phone))
        await self.calls().request(case, phone, now=AFTERNOON)
        return case, phone

    async def twiml(self, path: str, **heard: str) -> ET.Element:
        """POST a call step as Twilio does, signed over the public URL; the TwiML answer."""
        answer = await self.post(path, **heard)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("text/xml")
        return ET.fromstring(answer.text)

    async def post(self, path: str, **heard: str) -> httpx.Response:
        params = {
            "CallSid": heard.pop("CallSid", "CA" + "0" * 32), "AccountSid": ACCOUNT_SID,
            "From": LINE_NUMBER, "To": "+442476000000", "CallStatus": "in-progress",
            "Direction": "outbound-api", "ApiVersion": "2010-04-01", **heard,
        }  # fmt: skip
        signed = {"X-Twilio-Signature": signature(path, params)}
        return await self.http.post(path, data=params, headers=signed)

    async def stored(self, reference: str) -> Case:
        case = await self.cases.get(reference)
        assert case is not None
        return case

    async def alerts(self, reference: str) -> list[str]:
        raw = await self.pool.xrange(self.keys.operator_alerts())
        return [f[b"problem"].decode() for _, f in raw if f[b"reference"] == reference.encode()]

    async def queued(self, reference: str) -> list[tuple[int, datetime]]:
        """The survey call attempts queued for the case, and when each is due."""
        jobs = await self.pool.queued_jobs(queue_name=QUEUE_NAME)
        return sorted(
            (job.args[1], datetime.fromtimestamp((job.score or 0) / 1000, UTC))
            for job in jobs
            if job.function == JOB and job.args[0] == reference
        )


@pytest.fixture
async def rig(gateway: str, valkey_url: str, fake_twilio: FakeTwilio) -> AsyncIterator[Rig]:
    pool = await connect(valkey_url)
    settings = Settings(**telephony_env(fake_twilio.base_url))  # type: ignore[arg-type]
    outbound = OutboundCalls(settings)
    async with httpx.AsyncClient(base_url=gateway, timeout=10) as http:
        keys = Keys(PREFIX)
        yield Rig(http, pool, CaseStore(pool, keys, cipher=suite_cipher()), keys, fake_twilio,
                  outbound)  # fmt: skip
    await outbound.aclose()
    await pool.aclose()


def start_path(reference: str) -> str:
    return "/twilio/voice/survey?t=" + LINKS.token(reference)


def gather_of(root: ET.Element) -> ET.Element:
    gather = root.find("Gather")
    assert gather is not None, ET.tostring(root).decode()
    return gather


async def test_the_call_is_requested_on_twilios_path_with_the_survey_url(rig: Rig) -> None:
    case, phone = await rig.phone_resident()
    await rig.calls().request(case, phone, now=AFTERNOON)  # the closure relayed twice
    [(attempt, due)] = await rig.queued(case.reference)
    assert attempt == 1 and due == AFTERNOON
    assert await rig.calls().place(case.reference, 1, now=AFTERNOON) == "calling"
    [request] = rig.twilio.sent_to(phone)
    assert request.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json"
    assert request.form["From"] == LINE_NUMBER and request.form["Method"] == "POST"
    url = urlparse(request.form["Url"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{PUBLIC_BASE_URL}/twilio/voice/survey"
    assert LINKS.read(parse_qs(url.query)["t"][0]) == case.reference
    assert phone not in request.form["Url"] and phone not in request.form["StatusCallback"]
    assert request.form["StatusCallback"].startswith(f"{PUBLIC_BASE_URL}/twilio/voice/survey/")
    # The same attempt run again (a retried job) rings nobody twice.
    assert await rig.calls().place(case.reference, 1, now=AFTERNOON) == "already"
    assert len(rig.twilio.sent_to(phone)) == 1


async def test_nobody_is_rung_outside_9am_to_8pm_england_time(rig: Rig) -> None:
    summer_evening = datetime(2025, 7, 1, 20, 0, tzinfo=LONDON)
    assert next_call_time(summer_evening) == datetime(2025, 7, 2, 9, 0, tzinfo=LONDON)
    winter_morning = datetime(2025, 1, 6, 7, 59, tzinfo=LONDON)
    assert next_call_time(winter_morning) == datetime(2025, 1, 6, 9, 0, tzinfo=LONDON)
    assert next_call_time(AFTERNOON) == AFTERNOON
    # A job that runs late at night (its worker was down) waits for the morning.
    case, phone = await rig.phone_resident()
    night = datetime(2030, 3, 12, 23, 15, tzinfo=LONDON)
    assert await rig.calls().place(case.reference, 1, now=night) == "waiting"
    assert rig.twilio.sent_to(phone) == []
    assert (1, datetime(2030, 3, 13, 9, 0, tzinfo=LONDON)) in await rig.queued(case.reference)


async def test_the_call_speaks_en_gb_and_stores_the_keys_pressed(rig: Rig) -> None:
    case, _ = await rig.phone_resident()
    root = await rig.twiml(start_path(case.reference))
    assert all(s.attrib["language"] == "en-GB" for s in root.iter("Say"))
    assert OUTCOME.rstrip(".") in " ".join(said(root))
    gather = gather_of(root)
    assert (gather.attrib["input"], gather.attrib["numDigits"]) == ("dtmf", "1")
    assert "press star" in " ".join(said(gather))
    perception = await rig.twiml(gather.attrib["action"], Digits="4")
    stored = await rig.stored(case.reference)
    assert stored.satisfaction == 4 and stored.surveyed_at is not None
    assert "anti-social behaviour in your area" in " ".join(said(perception))
    goodbye = await rig.twiml(gather_of(perception).attrib["action"], Digits="2")
    assert (await rig.stored(case.reference)).perception == "fairly_big"
    assert goodbye.find("Hangup") is not None and "Thank you" in " ".join(said(goodbye))
    # Answered: no further attempt rings them, and ringing the line offers nothing.
    assert await rig.calls().place(case.reference, 2, now=AFTERNOON) == "done"


async def test_a_low_score_hears_the_complaint_route(rig: Rig) -> None:
    case, _ = await rig.phone_resident()
    root = await rig.twiml(start_path(case.reference))
    sorry = await rig.twiml(gather_of(root).attrib["action"], Digits="1")
    assert "complaints policy" in " ".join(said(sorry))
    assert (await rig.stored(case.reference)).satisfaction == 1


async def test_star_skips_each_question(rig: Rig) -> None:
    case, _ = await rig.phone_resident()
    root = await rig.twiml(start_path(case.reference))
    perception = await rig.twiml(gather_of(root).attrib["action"], Digits="*")
    assert "in your area" in " ".join(said(perception))
    goodbye = await rig.twiml(gather_of(perception).attrib["action"], Digits="*")
    assert goodbye.find("Hangup") is not None
    stored = await rig.stored(case.reference)
    assert (stored.satisfaction, stored.perception, stored.surveyed_at) == (None, None, None)
    assert await rig.calls().place(case.reference, 2, now=AFTERNOON) == "done"


async def test_nothing_pressed_is_asked_once_more_then_the_call_ends(rig: Rig) -> None:
    case, _ = await rig.phone_resident()
    root = await rig.twiml(start_path(case.reference))
    redirect = root.find("Redirect")
    assert redirect is not None and redirect.text
    again = await rig.twiml(redirect.text)  # Twilio follows it when nothing was pressed
    assert "didn't catch that" in " ".join(said(again))
    last = again.find("Redirect")
    assert last is not None and last.text
    ended = await rig.twiml(last.text)
    assert ended.find("Hangup") is not None
    assert (await rig.stored(case.reference)).satisfaction is None


async def test_unsigned_and_forged_requests_are_refused_and_change_nothing(rig: Rig) -> None:
    case, _ = await rig.phone_resident()
    path = "/twilio/voice/survey/score?t=" + LINKS.token(case.reference)
    params = {"CallSid": call_sid(), "AccountSid": ACCOUNT_SID, "Digits": "5"}
    unsigned = await rig.http.post(path, data=params)
    forged = await rig.http.post(
        path, data=params, headers={"X-Twilio-Signature": signature(path, params, "wrong")}
    )
    other_path = await rig.http.post(
        path, data=params, headers={"X-Twilio-Signature": signature(path + "0", params)}
    )
    assert [r.status_code for r in (unsigned, forged, other_path)] == [403, 403, 403]
    assert (await rig.stored(case.reference)).satisfaction is None


async def test_no_answer_is_retried_then_an_operator_phones(rig: Rig) -> None:
    case, _ = await rig.phone_resident()
    token = LINKS.token(case.reference)
    for attempt, status in enumerate(["no-answer", "busy", "no-answer"][:MAX_ATTEMPTS], 1):
        await rig.calls().place(case.reference, attempt, now=AFTERNOON)
        path = f"/twilio/voice/survey/status?t={token}&attempt={attempt}"
        answer = await rig.post(path, CallStatus=status)
        assert answer.status_code == 204
        replayed = await rig.post(path, CallStatus=status)  # counted once
        assert replayed.status_code == 204
        if attempt < MAX_ATTEMPTS:
            assert await rig.alerts(case.reference) == []
            next_attempt, due = (await rig.queued(case.reference))[-1]
            assert next_attempt == attempt + 1
            # Two hours on from the callback, or the next 9am if that is out of hours.
            assert due >= datetime.now(UTC) + timedelta(hours=1, minutes=59)
            assert next_call_time(due) == due
    assert await rig.alerts(case.reference) == ["resident_update_by_phone"]
    assert [a for a, _ in await rig.queued(case.reference)].count(MAX_ATTEMPTS + 1) == 0


async def test_a_resident_who_rings_while_their_survey_is_pending_is_offered_it(rig: Rig) -> None:
    case, phone = await rig.phone_resident()
    sid = call_sid()
    inbound = {"CallSid": sid, "From": phone, "Direction": "inbound"}
    root = await rig.twiml("/twilio/voice", **inbound)
    words = " ".join(said(root))
    assert "feedback now, press 1" in words and "999" in words
    start = await rig.twiml(gather_of(root).attrib["action"], Digits="1", **inbound)
    assert OUTCOME.rstrip(".") in " ".join(said(start))
    perception = await rig.twiml(gather_of(start).attrib["action"], Digits="5", **inbound)
    end = await rig.twiml(gather_of(perception).attrib["action"], Digits="3", **inbound)
    stored = await rig.stored(case.reference)
    assert (stored.satisfaction, stored.perception) == (5, "not_very_big")
    # Then on to the line's menu, not hung up on.
    redirect = end.find("Redirect")
    assert end.find("Hangup") is None and redirect is not None and redirect.text
    menu = await rig.twiml(redirect.text, **inbound)
    assert "To report anti-social behaviour, press 1" in " ".join(said(menu))
    # Asked once: the next call goes straight to the menu.
    again = await rig.twiml("/twilio/voice", **{**inbound, "CallSid": call_sid()})
    assert "feedback" not in " ".join(said(again))


async def test_a_caller_may_go_straight_to_the_menu(rig: Rig) -> None:
    case, phone = await rig.phone_resident()
    inbound = {"CallSid": call_sid(), "From": phone, "Direction": "inbound"}
    root = await rig.twiml("/twilio/voice", **inbound)
    menu = await rig.twiml(gather_of(root).attrib["action"], Digits="2", **inbound)
    assert "To report anti-social behaviour, press 1" in " ".join(said(menu))
    assert (await rig.stored(case.reference)).surveyed_at is None
    assert await rig.calls().offered(rig.calls().caller_key(phone)) == case.reference
