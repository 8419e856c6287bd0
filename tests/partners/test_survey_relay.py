"""The closing notice asks the satisfaction question the resident's way: a text asks for a
reply, an email or a letter carries the survey link, and a resident who chose phone (or
reported by phone) gets a survey call queued in calling hours; with no way to place
calls, an operator is asked to phone them, as before. Real Valkey, the real relay, SMS
through Twilio's REST paths on a local server, email and letters to their outboxes."""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from bot.acknowledgements.channels import EmailSender, LetterPrinter
from bot.cases.events import CaseEvents
from bot.cases.model import Case, ContactDetails
from bot.conversation.services import Services
from bot.partners.config import load_partners_file
from bot.partners.delivery import PartnerDelivery
from bot.partners.relay import ResidentNotifier
from bot.partners.survey import SurveyLinks
from bot.partners.updates import CaseUpdates, UpdateIn
from bot.platform.job_queue import QUEUE_NAME
from bot.platform.messages import Channel
from telephony.sms_sender import SmsSender
from telephony.survey_call import JOB, SurveyCalls, next_call_time
from tests.composed_services import composed_services
from tests.partners.survey_rig import OUTCOME, closed_case
from tests.telephony.drivers import a_mobile_number
from tests.telephony.fake_twilio import FakeTwilio
from tests.telephony.signing import PUBLIC_BASE_URL, telephony_env

PREFIXES = itertools.count()
LANDLINE = "+442476000123"


@dataclass
class Closure:
    svc: Services
    tmp: Path
    twilio: FakeTwilio
    sms: SmsSender
    partners: PartnerDelivery

    @property
    def links(self) -> SurveyLinks:
        return SurveyLinks(self.svc.settings.secret_key(), PUBLIC_BASE_URL)

    def calls(self) -> SurveyCalls:
        svc = self.svc
        return SurveyCalls(
            svc.redis, svc.jobs_pool, svc.keys, svc.cases, svc.settings.secret_key(),
            PUBLIC_BASE_URL,
        )  # fmt: skip

    async def close(
        self, contact: ContactDetails, *, channel: Channel = "chat", calls: bool = True
    ) -> tuple[Case, str]:
        """A case closed by its lead agency and the closure relayed (as the job does);
        the case and the notice's outcome."""
        svc = self.svc
        case = await closed_case(svc.cases, contact, channel=channel)
        events = CaseEvents(svc.redis, svc.keys)
        updates = CaseUpdates(
            svc.redis, svc.keys, svc.cases, events, svc.partnerships, svc.jobs_pool
        )
        closed = UpdateIn(kind="closed", outcome=OUTCOME)
        stored, _ = await updates.apply("council_asb", case.reference, closed)
        notifier = ResidentNotifier(
            svc.redis, svc.keys, svc.cases, events, svc.partnerships, sms=self.sms,
            email=EmailSender(None, "asb@localhost", self.tmp / "email"),
            letters=LetterPrinter(self.tmp / "print"), secret=svc.settings.secret_key(),
            links=self.links, calls=self.calls() if calls else None,
        )  # fmt: skip
        outcome = await notifier.relay(updates, self.partners, case.reference, stored["id"])
        return case, outcome

    async def alerts(self, reference: str) -> list[str]:
        raw = await self.svc.redis.xrange(self.svc.keys.operator_alerts())
        return [f[b"problem"].decode() for _, f in raw if f[b"reference"] == reference.encode()]

    async def survey_jobs(self, reference: str) -> list[datetime]:
        """When each queued survey call for the case is due."""
        jobs = await self.svc.jobs_pool.queued_jobs(queue_name=QUEUE_NAME)
        return [
            datetime.fromtimestamp((job.score or 0) / 1000, UTC)
            for job in jobs
            if job.function == JOB and job.args[0] == reference
        ]

    async def text_pending(self, phone: str) -> bool:
        key = self.sms.contact_key(phone)
        return bool(await self.svc.redis.exists(self.svc.keys.satisfaction_pending(key)))


@pytest.fixture
async def closure(
    valkey_url: str,
    fake_twilio: FakeTwilio,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> AsyncIterator[Closure]:
    env = {**telephony_env(fake_twilio.base_url), "ASB_DATA_DIR": str(tmp_path)}
    prefix = f"surveyrelay{next(PREFIXES)}"
    async with composed_services(valkey_url, monkeypatch, ASB_KEY_PREFIX=prefix, **env) as svc:
        sms = SmsSender(svc.settings, svc.redis, svc.keys, svc.settings.secret_key())
        async with httpx.AsyncClient() as http:
            partners = PartnerDelivery(
                svc.redis, svc.keys, svc.jobs_pool, svc.cases, CaseEvents(svc.redis, svc.keys),
                svc.partnerships, load_partners_file(None), http, base_url=PUBLIC_BASE_URL,
                schedule=[0], timeout=1, cipher=svc.cipher,
            )  # fmt: skip
            yield Closure(svc, tmp_path, fake_twilio, sms, partners)
        await sms.aclose()


def survey_link(text: str) -> str:
    match = re.search(re.escape(PUBLIC_BASE_URL) + r"/survey/(\S+)", text)
    assert match, text
    return match.group(1)


def pdf_text(pdf: bytes) -> str:
    """The text a PDF shows (fpdf2 deflates each page's content stream)."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL)
    shown = []
    for stream in streams:
        try:
            content = zlib.decompress(stream).decode("latin-1")
        except zlib.error:
            continue
        shown += re.findall(r"\((.*?)\)\s*Tj", content)
    return "\n".join(shown)


async def test_a_text_closure_asks_for_a_reply(closure: Closure) -> None:
    phone = a_mobile_number()
    case, outcome = await closure.close(ContactDetails(method="sms", phone=phone))
    assert outcome == "sent"
    body = closure.twilio.sent_to(phone)[-1].form["Body"]
    assert "noise abatement" in body and "1 (very unhappy)" in body
    assert await closure.text_pending(phone)
    assert await closure.survey_jobs(case.reference) == []


async def test_an_email_closure_carries_a_working_survey_link(closure: Closure) -> None:
    email = ContactDetails(method="email", name="Sam", email="sam@example.org")
    case, outcome = await closure.close(email)
    assert outcome == "outbox"
    [sent] = (closure.tmp / "email").glob(f"{case.reference}-update-*.eml")
    token = survey_link(sent.read_text())
    assert closure.links.read(token) == case.reference
    assert "1 (very unhappy)" not in sent.read_text()  # the page asks, not a reply


async def test_a_letter_prints_the_survey_link(closure: Closure) -> None:
    letter = ContactDetails(method="letter", name="Sam", address="12 High Street, Coventry")
    case, outcome = await closure.close(letter)
    assert outcome == "sent"
    [pdf] = (closure.tmp / "print").glob(f"{case.reference}-update-*.pdf")
    printed = pdf_text(pdf.read_bytes())
    assert "noise abatement" in printed
    assert closure.links.read(survey_link(printed)) == case.reference


async def test_a_phone_resident_gets_a_survey_call_in_calling_hours(closure: Closure) -> None:
    case, _ = await closure.close(ContactDetails(method="phone", phone=LANDLINE))
    [due] = await closure.survey_jobs(case.reference)
    assert next_call_time(due) == due  # between 9am and 8pm England time
    assert await closure.alerts(case.reference) == []  # the call tells them: no operator
    caller_key = closure.calls().caller_key(LANDLINE)
    assert await closure.calls().offered(caller_key) == case.reference


async def test_without_calls_a_phone_resident_is_an_operator_alert(closure: Closure) -> None:
    case, outcome = await closure.close(ContactDetails(method="phone", phone=LANDLINE), calls=False)
    assert outcome == "callback"
    assert await closure.alerts(case.reference) == ["resident_update_by_phone"]
    assert await closure.survey_jobs(case.reference) == []


async def test_a_phone_reporter_who_chose_text_is_told_a_call_will_come(closure: Closure) -> None:
    phone = a_mobile_number()
    contact = ContactDetails(method="sms", phone=phone)
    case, _ = await closure.close(contact, channel="voice")
    body = closure.twilio.sent_to(phone)[-1].form["Body"]
    assert "noise abatement" in body and "We will phone you" in body
    assert "1 (very unhappy)" not in body
    assert not await closure.text_pending(phone)  # asked once, on the call
    assert len(await closure.survey_jobs(case.reference)) == 1
