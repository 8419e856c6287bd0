"""The monthly neighbourhood update sent by two real job worker processes (`python -m
bot.jobs.run worker`) on a Valkey of its own: texts through the local Twilio REST server,
email through a real SMTP server, queued by `asb-intake updates send`. Once per
subscriber per month however often it is queued, nothing personal in what is sent, and a
failed send tried again by the job queue."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from arq.connections import create_pool
from arq.cron import next_cron
from arq.jobs import Job
from redis.asyncio import Redis

from bot.cases.model import CasePersonal, ContactDetails, ReportAnswers
from bot.cases.sla import LONDON
from bot.cases.store import CaseStore
from bot.community.monthly_updates import previous_month
from bot.community.subscriptions import Subscriptions
from bot.community.summaries import month_key, month_label, month_start
from bot.platform.job_queue import QUEUE_NAME, redis_settings
from bot.platform.redis_keys import Keys
from bot.platform.settings import PROJECT_ROOT, get_settings
from bot.privacy.crypto import Cipher
from tests.acknowledgements.smtp import SmtpServer
from tests.community.builders import case
from tests.conftest import free_port, start_embedded_valkey
from tests.telephony.drivers import distinct_mobile_numbers
from tests.telephony.fake_twilio import FakeTwilio, start_fake_twilio
from tests.telephony.signing import PUBLIC_BASE_URL, telephony_env

SECRET = "monthly-test-secret"
KEYS = Keys("asb")  # the workers' own prefix
# What residents told in their reports: none of it may reach anybody's update.
PLANTED = [
    ("Bartholomew Quince", "14 Larkspur Crescent", "+447400555123"),
    ("Marguerite Oduya", "3 Tanner's Row", "+447400555124"),
    ("Desmond Albright", "77 Foxglove Walk", "+447400555125"),
]


@pytest.fixture(scope="module")
def own_valkey(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = start_embedded_valkey(tmp_path_factory.mktemp("valkey"), free_port())
    yield server.connection_url
    server.stop()


@pytest.fixture(scope="module")
def twilio() -> Iterator[FakeTwilio]:
    fake = start_fake_twilio()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def env(
    own_valkey: str, smtp: SmtpServer, twilio: FakeTwilio, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    env = {
        **os.environ, **telephony_env(twilio.base_url), "REDIS_URL": own_valkey,
        "SMTP_URL": smtp.url, "ASB_PSEUDONYM_KEY": SECRET,
        "ASB_DATA_DIR": str(tmp_path_factory.mktemp("monthly")),
        "ASB_MAIL_FROM": "asb@coventry.example",
    }  # fmt: skip
    for name in ("ASB_KEY_PREFIX", "ASB_PARTNERSHIPS", "ASB_PARTNERS_FILE"):
        env.pop(name, None)
    return env


@pytest.fixture(scope="module")
def workers(env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Two worker processes on the same queue; the log both write to."""
    log = tmp_path_factory.mktemp("workers") / "workers.log"
    command = [sys.executable, "-m", "bot.jobs.run", "worker"]
    processes = [
        subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT
        )
        for _ in range(2)
    ]
    yield log
    for process in processes:
        assert process.poll() is None, log.read_text(errors="replace")
        process.terminate()
        process.wait(timeout=30)


@dataclass
class Store:
    redis: Redis
    cases: CaseStore
    subscriptions: Subscriptions
    month: str

    async def subscribe(self, channel: str, contact: str, district: str) -> str:
        by = "email" if channel == "email" else "sms"
        key = await self.subscriptions.offer(by, contact, "coventry", district)
        assert key is not None and await self.subscriptions.take_offer(key) is not None
        return key

    async def marker(self, key: str) -> bytes | None:
        value: bytes | None = await self.redis.get(KEYS.updates_sent(self.month, key))
        return value


@pytest.fixture(scope="module")
async def store(own_valkey: str) -> AsyncIterator[Store]:
    """Last month's reports in CV1 (7) and CV2 (2), each with a resident's details."""
    redis = Redis.from_url(own_valkey)
    cipher = Cipher.from_text(os.environ["ASB_ENCRYPTION_KEYS"])
    cases = CaseStore(redis, KEYS, cipher=cipher)
    month = previous_month(datetime.now(UTC))
    when = month_start(month) + timedelta(days=10, hours=12)
    cv1 = [("noise", "nuisance")] * 5 + [("fly_tipping", "environmental")] * 2
    planted = [("CV1", *k) for k in cv1] + [("CV2", "drugs", "nuisance")] * 2
    for n, (district, subtype, category) in enumerate(planted):
        name, street, phone = PLANTED[n % len(PLANTED)]
        report = case(when, category=category, subtype=subtype, district=district)
        personal = CasePersonal(
            answers=ReportAnswers(
                incident_description=f"{name} at {street} was shouting at me",
                incident_time="last night", incident_location=f"{street} {district} 5FB",
            ),
            contact=ContactDetails(method="sms", name=name, phone=phone),
        )  # fmt: skip
        await cases.save_new(report, personal)
        await cases.mark_announced(report.reference)  # no acknowledgement is owed here
    yield Store(redis, cases, Subscriptions(redis, KEYS, cipher, SECRET.encode()), month_key(month))
    await redis.aclose()


def updates_command(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "updates", "send", *args],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def email_text(message: EmailMessage) -> str:
    parts = [message.get_body(preferencelist=(kind,)) for kind in ("plain", "html")]
    return "\n".join(p.get_content() for p in parts if p is not None)


def forms(number: str) -> list[str]:
    return [number, "0" + number[3:], number[3:]]


async def settled(store: Store, keys: list[str], log: Path, seconds: float = 60) -> None:
    """Wait until each subscriber's update for the month has an outcome."""
    deadline = time.monotonic() + seconds
    while any(m in (None, b"sending") for m in [await store.marker(k) for k in keys]):
        if time.monotonic() > deadline:
            tail = await asyncio.to_thread(log.read_text, errors="replace")
            raise AssertionError(tail[-4000:])
        await asyncio.sleep(0.2)


async def test_each_subscriber_gets_last_months_update_once_with_nothing_personal(
    store: Store,
    env: dict[str, str],
    workers: Path,
    twilio: FakeTwilio,
    smtp: SmtpServer,
    own_valkey: str,
) -> None:
    a, b, opted_out = distinct_mobile_numbers(3)
    email = "cv1.reader@example.org"
    key_a = await store.subscribe("sms", a, "CV1")
    key_b = await store.subscribe("sms", b, "CV2")
    key_email = await store.subscribe("email", email, "CV1")
    key_out = await store.subscribe("sms", opted_out, "CV1")
    await store.redis.sadd(KEYS.sms_opted_out(), key_out)  # type: ignore[misc]  # texted STOP

    dry = updates_command(env, "--month", store.month, "--dry-run")
    assert "coventry CV1: 3 subscribed, 0 sent already" in dry
    assert "coventry CV2: 1 subscribed, 0 sent already" in dry
    assert "dry run: nothing queued" in dry
    assert not any(f in dry for n in (a, b, opted_out) for f in forms(n)) and email not in dry
    await asyncio.sleep(2)
    assert twilio.requests == [] and smtp.messages == []

    assert f"queued 4 updates for {store.month}" in updates_command(env, "--month", store.month)
    assert f"queued 0 updates for {store.month}" in updates_command(env, "--month", store.month)
    # The job run twice (another id: as if the cron and an operator both queued it).
    pool = await create_pool(redis_settings(own_valkey), default_queue_name=QUEUE_NAME)
    try:
        again = await pool.enqueue_job("send_monthly_update", key_a, store.month)
        assert again is not None
        first = Job(f"updates:{store.month}:{key_a}", pool)
        results = {await first.result(timeout=60), await again.result(timeout=60)}
    finally:
        await pool.aclose()
    assert results == {"sent", "already"}
    await settled(store, [key_a, key_b, key_email, key_out], workers)
    await asyncio.sleep(1)  # a second send would show by now
    assert (len(twilio.sent_to(a)), len(twilio.sent_to(b)), len(smtp.to(email))) == (1, 1, 1)
    assert twilio.sent_to(opted_out) == []
    assert await store.marker(key_a) == b"sent" and await store.marker(key_email) == b"sent"
    assert await store.marker(key_out) == b"opted_out"

    label = month_label(previous_month(datetime.now(UTC)))
    text_a = twilio.sent_to(a)[0].form["Body"]
    assert text_a.startswith(f"Anti-social behaviour in CV1, {label}: 7 reports")
    assert f"{PUBLIC_BASE_URL}/community/coventry/CV1/" in text_a
    assert text_a.endswith("Reply STOP UPDATES to end these texts.")
    assert len(text_a) <= 459  # three texts at most
    text_b = twilio.sent_to(b)[0].form["Body"]
    assert text_b.startswith(f"Anti-social behaviour in CV2, {label}: fewer than 5 reports")
    [message] = smtp.to(email)
    assert message["Subject"] == f"Anti-social behaviour in CV1: {label}"
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{PUBLIC_BASE_URL}/updates/unsubscribe/")
    assert email not in unsubscribe
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = email_text(message)
    assert unsubscribe.strip("<>") in body and "7 reports" in body

    # Nothing anybody told in a report, and no other subscriber, in what was sent.
    sent = {"a": text_a, "b": text_b, "email": body + str(message["To"])}
    others = {"a": [*forms(b), *forms(opted_out), email], "b": [*forms(a), email],
              "email": [*forms(a), *forms(b), *forms(opted_out)]}  # fmt: skip
    for who, content in sent.items():
        for name, street, phone in PLANTED:
            for secret in (name, name.split()[1], street, *forms(phone)):
                assert secret not in content, (who, secret)
        for other in others[who]:
            assert other not in content, (who, other)
    assert message["To"] == email


async def test_a_failed_send_is_tried_again_by_the_job_queue(
    store: Store, env: dict[str, str], workers: Path, twilio: FakeTwilio
) -> None:
    [number] = distinct_mobile_numbers(1)
    key = await store.subscribe("sms", number, "CV1")
    twilio.fail_next(*[(500, None)] * 4)  # every attempt of the sender's first try
    assert f"queued 1 updates for {store.month}" in updates_command(env, "--month", store.month)
    await settled(store, [key], workers)
    # Four refused requests, then the job's next try: one text delivered.
    assert await store.marker(key) == b"sent"
    assert len(twilio.sent_to(number)) == 5


def test_the_round_starts_at_ten_on_the_first_england_time(
    monkeypatch: pytest.MonkeyPatch, own_valkey: str
) -> None:
    monkeypatch.setenv("REDIS_URL", own_valkey)
    get_settings.cache_clear()
    from bot.jobs.worker import WorkerSettings

    get_settings.cache_clear()
    [job] = [c for c in WorkerSettings.cron_jobs if c.name == "cron:queue_monthly_updates"]
    summer = datetime(2025, 6, 14, 8, 0, tzinfo=WorkerSettings.timezone)
    winter = datetime(2025, 11, 14, 8, 0, tzinfo=WorkerSettings.timezone)
    for now, utc_hour in ((summer, 9), (winter, 10)):
        due = next_cron(
            now, month=job.month, day=job.day, weekday=job.weekday, hour=job.hour,
            minute=job.minute, second=job.second, microsecond=job.microsecond,
        )  # fmt: skip
        assert (due.day, due.hour, due.minute) == (1, 10, 0)
        assert due.astimezone(UTC).hour == utc_hour
    # It sends the month just ended, across a year's end too.
    new_year = datetime(2026, 1, 1, 10, 0, tzinfo=LONDON)
    assert month_key(previous_month(new_year)) == "2025-12"
