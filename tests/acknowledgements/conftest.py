from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot.acknowledgements.channels import EmailSender, LetterPrinter
from bot.acknowledgements.service import Acknowledger
from bot.cases.events import CaseEvents
from bot.cases.model import Case, CasePersonal, ContactDetails, ReportAnswers
from bot.cases.reference import new_reference
from bot.cases.sla import case_deadlines
from bot.cases.store import CaseStore
from bot.partnerships import Partnerships, load_partnerships
from bot.platform.redis_keys import Keys
from bot.platform.settings import PROJECT_ROOT, Settings
from bot.safety.flags import SafetyFlags
from telephony.sms_sender import SmsSender
from tests.acknowledgements.smtp import SmtpServer, start_smtp
from tests.telephony.fake_twilio import FakeTwilio, start_fake_twilio
from tests.telephony.signing import telephony_env


@pytest.fixture(scope="session")
def smtp() -> Iterator[SmtpServer]:
    server = start_smtp()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def twilio_api() -> Iterator[FakeTwilio]:
    fake = start_fake_twilio()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def partnerships() -> Partnerships:
    return load_partnerships(PROJECT_ROOT / "partnerships", "coventry")


@dataclass
class AckRig:
    redis: Redis
    keys: Keys
    cases: CaseStore
    events: CaseEvents
    acks: Acknowledger
    partnerships: Partnerships
    data_dir: Path

    async def new_case(
        self,
        contact: ContactDetails,
        *,
        partnership: str = "coventry",
        created_at: datetime | None = None,
        hate_crime: bool = False,
        risk: str = "standard",
    ) -> Case:
        created = created_at or datetime.now(UTC)
        p = self.partnerships.get(partnership)
        case = Case(
            reference=new_reference(), created_at=created, channel="chat",
            partnership=partnership, contact_key=None if contact.method == "none" else "k",
            contact_method=contact.method, anonymous=contact.method == "none",
            consent_to_share=True, happening_now=False, postcode_district="CV1",
            flags=SafetyFlags(hate_crime=hate_crime), lead_agency=p.routing.lead_for(
                {"hate_crime": hate_crime}),
            deadlines=case_deadlines(p, created, hate_crime=hate_crime, risk_level=risk),
            acknowledgement="pending",
        )  # fmt: skip
        personal = CasePersonal(
            answers=ReportAnswers(
                incident_description="shouting", incident_time="last night",
                incident_location="CV1 5FB",
            ),
            contact=contact,
        )  # fmt: skip
        await self.cases.save_new(case, personal)
        return case


@pytest.fixture
async def rig(
    valkey_url: str,
    smtp: SmtpServer,
    twilio_api: FakeTwilio,
    tmp_path: Path,
    partnerships: Partnerships,
) -> AsyncIterator[AckRig]:
    smtp.reset()
    twilio_api.reset()
    redis = Redis.from_url(valkey_url)
    keys = Keys("acktest")
    cases = CaseStore(redis, keys)
    events = CaseEvents(redis, keys)
    settings = Settings(ASB_DATA_DIR=tmp_path, **telephony_env(twilio_api.base_url))  # type: ignore[arg-type]
    sms = SmsSender(settings, redis, keys, b"ack-test", backoff_seconds=0.01)
    acks = Acknowledger(
        redis, keys, cases, events, partnerships, sms=sms,
        email=EmailSender(smtp.url, "asb@coventry.example", tmp_path / "outbox" / "email"),
        letters=LetterPrinter(tmp_path / "print-queue"), lease_seconds=1,
    )  # fmt: skip
    yield AckRig(redis, keys, cases, events, acks, partnerships, tmp_path)
    await sms.aclose()
    await redis.aclose()
