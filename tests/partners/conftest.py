from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from arq import func
from arq.connections import ArqRedis, create_pool
from arq.worker import Worker
from redis.asyncio import Redis

from bot.cases.events import CaseEvents
from bot.cases.model import Case, CasePersonal, ContactDetails, ReportAnswers
from bot.cases.reference import new_reference
from bot.cases.routing import CaseFacts, route
from bot.cases.sla import case_deadlines
from bot.cases.store import CaseStore
from bot.partners.config import load_partners_file
from bot.partners.delivery import PartnerDelivery
from bot.partnerships import Partnerships, load_partnerships
from bot.platform.job_queue import QUEUE_NAME, redis_settings
from bot.platform.redis_keys import Keys
from bot.platform.settings import PROJECT_ROOT
from bot.privacy.crypto import Cipher, new_key
from bot.safety.flags import SafetyFlags
from tests.conftest import free_port, start_embedded_valkey
from tests.partners.receivers import Receivers, start_receivers


@pytest.fixture(scope="session")
def partnerships() -> Partnerships:
    return load_partnerships(PROJECT_ROOT / "partnerships", "coventry")


@pytest.fixture(scope="module")
def receivers() -> Iterator[Receivers]:
    server = start_receivers()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def delivery_valkey(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = start_embedded_valkey(tmp_path_factory.mktemp("valkey"), free_port())
    yield server.connection_url
    server.stop()


async def deliver_webhook(ctx: dict[str, Any], wid: str, round_: int, attempt: int) -> str:
    partners: PartnerDelivery = ctx["partners"]
    return (await partners.attempt(wid, round_, attempt)).outcome


@dataclass
class DeliveryRig:
    redis: Redis
    pool: ArqRedis
    keys: Keys
    cases: CaseStore
    events: CaseEvents
    partnerships: Partnerships
    receivers: Receivers
    http: httpx.AsyncClient
    tmp: Path
    encryption_keys: list[str]

    @property
    def cipher(self) -> Cipher:
        return Cipher(self.encryption_keys)

    def delivery(
        self, schedule: list[float] | None = None, timeout: float = 2.0, **file: Any
    ) -> PartnerDelivery:
        path = self.receivers.partners_file(self.tmp / f"partners-{free_port()}.yml", **file)
        return PartnerDelivery(
            self.redis, self.keys, self.pool, self.cases, self.events, self.partnerships,
            load_partners_file(path), self.http, base_url="https://asb.example",
            schedule=schedule or [0, 0.1, 0.1], timeout=timeout, cipher=self.cipher,
        )  # fmt: skip

    async def run_jobs(self, partners: PartnerDelivery) -> None:
        """An arq worker in this process, until no job is left (deferred ones included)."""
        worker = Worker(
            functions=[func(deliver_webhook, name="deliver_webhook", timeout=30)],
            redis_pool=self.pool, queue_name=QUEUE_NAME, burst=True, poll_delay=0.05,
            ctx={"partners": partners}, handle_signals=False, max_jobs=20, keep_result=0,
        )  # fmt: skip
        await worker.main()
        await worker.close()

    async def new_case(
        self,
        *,
        subtype: str = "noise",
        category: str = "nuisance",
        hate: bool = False,
        emergency: bool = False,
        consent: bool = True,
        landlord: str | None = None,
        contact: ContactDetails | None = None,
        media: list[str] | None = None,
        evidence: list[dict[str, str]] | None = None,
        danger_question: str | None = None,
    ) -> Case:
        partnership = self.partnerships.get("coventry")
        created = datetime.now(UTC)
        routed = route(
            partnership,
            CaseFacts(category=category, subtype=subtype, emergency=emergency,
                      hate_crime=hate, landlord=landlord, consent_to_share=consent),
        )  # fmt: skip
        contact = contact or ContactDetails(method="sms", name="Sam", phone="+447700900123")
        case = Case(
            reference=new_reference(), created_at=created, channel="chat",
            partnership="coventry", contact_key="phone-x", contact_method=contact.method,
            anonymous=contact.method == "none", consent_to_share=consent, happening_now=False,
            postcode_district="CV1",
            flags=SafetyFlags(category=category, subtype=subtype, hate_crime=hate,
                              emergency=emergency, hate_strands=["race"] if hate else [],
                              danger_question=danger_question),
            lead_agency=routed.lead, routed_to=list(routed.notify), unroutable=routed.unroutable,
            landlord=landlord,
            deadlines=case_deadlines(partnership, created, hate_crime=hate, risk_level="standard"),
        )  # fmt: skip
        personal = CasePersonal(
            answers=ReportAnswers(
                incident_description="loud music every night", incident_time="last night",
                incident_location="12 High Street CV1 5FB", people_involved="the flat above",
            ),
            contact=contact, postcode="CV1 5FB", media=media or [], evidence=evidence or [],
        )  # fmt: skip
        await self.cases.save_new(case, personal)
        return case


@pytest.fixture
async def rig(
    delivery_valkey: str, receivers: Receivers, partnerships: Partnerships, tmp_path: Path
) -> AsyncIterator[DeliveryRig]:
    redis = Redis.from_url(delivery_valkey)
    await redis.flushall()
    pool = await create_pool(redis_settings(delivery_valkey), default_queue_name=QUEUE_NAME)
    keys = Keys("asb")
    http = httpx.AsyncClient()
    receivers.reset()
    encryption_keys = [new_key()]
    yield DeliveryRig(
        redis, pool, keys, CaseStore(redis, keys, cipher=Cipher(encryption_keys)),
        CaseEvents(redis, keys), partnerships, receivers, http, tmp_path, encryption_keys,
    )  # fmt: skip
    await http.aclose()
    await pool.aclose()
    await redis.aclose()
