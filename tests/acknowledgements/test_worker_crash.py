"""A real arq worker is SIGKILLed after the SMTP server has taken the acknowledgement but
before the worker heard "250" and recorded it: nobody sends it again. Also: SLA events
are raised once, on time, by the deferred job or the reconciliation, whichever runs."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from arq.connections import create_pool
from redis.asyncio import Redis

from bot.cases.model import ContactDetails
from bot.cases.sla_watch import SlaWatch
from bot.platform.job_queue import QUEUE_NAME, announce_job_id, publish_job_id, redis_settings
from bot.platform.settings import PROJECT_ROOT
from tests.acknowledgements.conftest import AckRig
from tests.acknowledgements.smtp import SmtpServer
from tests.conftest import free_port, start_embedded_valkey


@pytest.fixture
def own_valkey(tmp_path: Path) -> Iterator[str]:
    server = start_embedded_valkey(tmp_path / "valkey", free_port())
    yield server.connection_url
    server.stop()


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.jobs.run", "worker"],
        cwd=PROJECT_ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip


async def test_worker_killed_between_sent_and_recorded_does_not_send_again(
    rig: AckRig, smtp: SmtpServer, own_valkey: str, tmp_path: Path
) -> None:
    env = {**os.environ, "REDIS_URL": own_valkey, "SMTP_URL": smtp.url,
           "ASB_PSEUDONYM_KEY": "crash-test", "ASB_DATA_DIR": str(tmp_path),
           "ASB_ACK_LEASE_SECONDS": "2", "ASB_MAIL_FROM": "asb@crash.example"}  # fmt: skip
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "ASB_KEY_PREFIX"):
        env.pop(name, None)
    redis = Redis.from_url(own_valkey)
    pool = await create_pool(redis_settings(own_valkey), default_queue_name=QUEUE_NAME)
    rig.redis, rig.cases._redis = redis, redis  # cases in the worker's own Valkey
    rig.keys = type(rig.keys)("asb")
    rig.cases._keys = rig.keys
    case = await rig.new_case(ContactDetails(method="email", name="Sam", email="kill@example.org"))
    smtp.hold_seconds = 30  # the message is taken; "250" is not given yet
    log = tmp_path / "worker.log"
    first = start_worker(env, log)
    try:
        await pool.enqueue_job("announce_case", case.reference, _job_id="announce:kill")
        assert smtp.received.wait(30), log.read_text()
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        notice = f"asb:case:{case.reference}:notice:acknowledgement"
        assert (await redis.hget(notice, "state")) == b"sending"
        assert len(smtp.to("kill@example.org")) == 1
        # A new worker, and the attempt run again (arq's retry or the reconciliation).
        smtp.hold_seconds = 0
        second = start_worker(env, log)
        try:
            await asyncio.sleep(2.1)  # the dead worker's lease runs out
            await pool.enqueue_job("send_acknowledgement", case.reference, _job_id="again")
            for _ in range(100):
                if (await redis.hget(notice, "state")) == b"uncertain":
                    break
                await asyncio.sleep(0.1)
            assert (await redis.hget(notice, "state")) == b"uncertain", log.read_text()
            assert len(smtp.to("kill@example.org")) == 1  # not sent twice
            alerts = await redis.xrange("asb:alerts")
            assert any(f[b"problem"] == b"acknowledgement_uncertain" for _, f in alerts)
        finally:
            second.terminate()
            second.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
        await pool.aclose()
        await redis.aclose()


async def test_worker_sends_within_seconds_and_schedules_sla_checks(
    rig: AckRig, smtp: SmtpServer, own_valkey: str, tmp_path: Path
) -> None:
    env = {**os.environ, "REDIS_URL": own_valkey, "SMTP_URL": smtp.url,
           "ASB_PSEUDONYM_KEY": "crash-test", "ASB_DATA_DIR": str(tmp_path)}  # fmt: skip
    env.pop("ASB_KEY_PREFIX", None)
    redis = Redis.from_url(own_valkey)
    pool = await create_pool(redis_settings(own_valkey), default_queue_name=QUEUE_NAME)
    rig.redis, rig.cases._redis = redis, redis
    rig.keys = type(rig.keys)("asb")
    rig.cases._keys = rig.keys
    case = await rig.new_case(ContactDetails(method="email", name="Sam", email="ok@example.org"))
    worker = start_worker(env, tmp_path / "worker.log")
    try:
        started = time.monotonic()
        await pool.enqueue_job("announce_case", case.reference, _job_id="announce:ok")
        assert smtp.received.wait(20)
        assert time.monotonic() - started < 10
        for _ in range(50):
            if await redis.zcard("asb:sla:due") == 4:
                break
            await asyncio.sleep(0.1)
        # acknowledgement and first contact: at risk and breached each, deferred jobs too.
        assert await redis.zcard("asb:sla:due") == 4
        assert await redis.exists(f"arq:job:sla:{case.reference}:first_contact:breached")
    finally:
        worker.terminate()
        worker.wait(10)
        await pool.aclose()
        await redis.aclose()


async def test_sla_events_raised_once_and_not_for_met_clocks(rig: AckRig) -> None:
    created = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
    case = await rig.new_case(
        ContactDetails(method="email", name="S", email="s@example.org"), created_at=created
    )
    watch = SlaWatch(rig.redis, rig.keys, rig.cases, rig.events)

    class NoQueue:
        async def enqueue_job(self, *args: object, **kwargs: object) -> None:
            return None

    assert await watch.schedule(case, NoQueue()) == 4  # type: ignore[arg-type]
    contact = case.deadline("first_contact")
    assert contact is not None
    assert await watch.check(case.reference, "first_contact", "at_risk", created) == "not_yet"
    # The worker was down for days: the reconciliation raises what fell due, once.
    later = contact.due + timedelta(minutes=1)
    await rig.acks.attempt(case.reference, created + timedelta(minutes=1))  # acknowledged
    raised = await watch.reconcile(later)
    assert raised == 2  # first contact at risk and breached; the acknowledgement was met
    assert await watch.reconcile(later) == 0
    assert await watch.check(case.reference, "first_contact", "breached", later) == "already"
    types = [e.type for e in await rig.events.for_case(case.reference)]
    assert types.count("case.sla_at_risk") == 1 and types.count("case.sla_breached") == 1
    breached = next(e for e in await rig.events.for_case(case.reference)
                if e.type == "case.sla_breached")  # fmt: skip
    assert (
        breached.data["clock"] == "first_contact" and breached.data["promise"] == "5 working days"
    )


async def test_a_case_whose_jobs_a_crash_spent_is_published_by_the_reconciliation(
    rig: AckRig, smtp: SmtpServer, own_valkey: str, tmp_path: Path
) -> None:
    """arq never runs a job id twice: a case whose announcement and publishing jobs were
    used up by crashes (their results kept, the partners never told) is published by the
    worker's minute check, not left waiting for the results to expire an hour later."""
    env = {**os.environ, "REDIS_URL": own_valkey, "SMTP_URL": smtp.url,
           "ASB_PSEUDONYM_KEY": "crash-test", "ASB_DATA_DIR": str(tmp_path)}  # fmt: skip
    env.pop("ASB_KEY_PREFIX", None)
    redis = Redis.from_url(own_valkey)
    rig.redis, rig.cases._redis = redis, redis
    rig.keys = type(rig.keys)("asb")
    rig.cases._keys = rig.keys
    made = datetime.now(UTC) - timedelta(minutes=5)
    case = await rig.new_case(
        ContactDetails(method="email", name="Sam", email="spent@example.org"), created_at=made
    )
    for job_id in (announce_job_id(case.reference), publish_job_id(case.reference)):
        await redis.set(f"arq:result:{job_id}", b"spent", ex=3600)
    assert case.reference.encode() in await redis.zrange("asb:cases:unannounced", 0, -1)
    worker = start_worker(env, tmp_path / "worker.log")
    try:
        for _ in range(200):  # the check runs at the worker's start, then every minute
            if not await redis.zrange("asb:cases:unannounced", 0, -1):
                break
            await asyncio.sleep(0.1)
        assert not await redis.zrange("asb:cases:unannounced", 0, -1)
        stored = await rig.cases.get(case.reference)
        assert stored is not None and stored.linked_at is not None
    finally:
        worker.terminate()
        worker.wait(10)
        await redis.aclose()
