"""The job worker: `python -m bot.jobs.run worker` (bot/jobs/run.py). Scale out by starting more."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar

import httpx
import structlog
from arq import Retry, cron, func
from arq.connections import ArqRedis
from arq.jobs import Job, JobStatus
from redis.asyncio import Redis

from bot.acknowledgements.channels import EmailSender, LetterPrinter
from bot.acknowledgements.service import Acknowledger
from bot.cases.events import CaseEvents
from bot.cases.linking import Linker
from bot.cases.sla import LONDON
from bot.cases.sla_watch import SlaWatch
from bot.cases.store import CaseStore
from bot.community.monthly_updates import (
    MonthlySender,
    UpdateNotSent,
    UpdateRound,
    previous_month,
    retry_seconds,
)
from bot.community.subscriptions import Subscriptions, UpdateLinks, UpdateOffers
from bot.community.summaries import Summaries
from bot.partners.config import load_partners_file
from bot.partners.delivery import PartnerDelivery
from bot.partners.payload import CASE_CREATED
from bot.partners.relay import ResidentNotifier
from bot.partners.survey import SurveyLinks
from bot.partners.updates import CaseUpdates
from bot.partnerships import load_partnerships
from bot.platform.job_queue import (
    EMERGENCY_QUEUE_NAME,
    QUEUE_NAME,
    JobQueue,
    announce_job_id,
    publish_job_id,
    redis_settings,
)
from bot.platform.redis_keys import Keys
from bot.platform.settings import get_settings
from bot.safety.desk import open_emergency

log = structlog.get_logger("asb.worker")

# A case not announced this long after creation lost its job in a crash: queue it again.
_RECONCILE_AFTER_SECONDS = 60


async def startup(ctx: dict[str, Any]) -> None:
    settings = get_settings()
    redis: Redis = ctx["redis"]
    ctx["keys"] = Keys(settings.key_prefix)
    ctx["cipher"] = settings.cipher()
    ctx["cases"] = CaseStore(
        redis, ctx["keys"], cipher=ctx["cipher"], retention_seconds=settings.retention_seconds
    )
    ctx["jobs"] = JobQueue(ctx["redis"])
    # Every served partnership file is validated here too: a wrong one stops the worker.
    partnerships = load_partnerships(
        settings.partnerships_dir, settings.default_partnership, settings.partnership_ids()
    )
    # Cases stored before the per-partnership index existed are filed under it once.
    if await ctx["cases"].index_by_partnership():
        log.info("cases.indexed_by_partnership")
    ctx["partnerships"] = partnerships
    ctx["linker"] = Linker(ctx["cases"], settings.secret_key())
    ctx["events"] = CaseEvents(redis, ctx["keys"])
    ctx["sla"] = SlaWatch(redis, ctx["keys"], ctx["cases"], ctx["events"])
    # The composition root may import the telephony channel (the core does not).
    from telephony.sms_sender import SmsSender
    from telephony.survey_call import OutboundCalls, SurveyCalls

    sms = SmsSender(settings, redis, ctx["keys"], settings.secret_key())
    ctx["sms"] = sms
    outbox = settings.data_dir / "outbox"
    subscriptions = Subscriptions(redis, ctx["keys"], ctx["cipher"], settings.secret_key())
    update_links = UpdateLinks(settings.secret_key(), settings.public_base_url)
    ctx["acks"] = Acknowledger(
        redis, ctx["keys"], ctx["cases"], ctx["events"], partnerships,
        sms=sms,
        email=EmailSender(settings.smtp_url, settings.mail_from, outbox / "email"),
        letters=LetterPrinter(settings.data_dir / "print-queue"),
        lease_seconds=settings.ack_lease_seconds, pin_secret=settings.secret_key(),
        updates=UpdateOffers(subscriptions, update_links),
    )  # fmt: skip
    summaries = Summaries(redis, ctx["keys"], ctx["cases"])
    ctx["update_round"] = UpdateRound(
        redis, ctx["keys"], subscriptions, summaries, partnerships, settings.public_base_url
    )
    ctx["monthly_updates"] = MonthlySender(
        redis, ctx["keys"], subscriptions, summaries, partnerships, update_links,
        settings.public_base_url, sms=sms,
        email=EmailSender(settings.smtp_url, settings.mail_from, outbox / "email"),
    )  # fmt: skip
    ctx["http"] = httpx.AsyncClient(follow_redirects=False)
    ctx["partners"] = PartnerDelivery(
        redis, ctx["keys"], ctx["redis"], ctx["cases"], ctx["events"], partnerships,
        load_partners_file(settings.partners_file), ctx["http"],
        base_url=settings.public_base_url, schedule=settings.retry_schedule(),
        timeout=settings.webhook_timeout_seconds, cipher=ctx["cipher"],
    )  # fmt: skip
    ctx["updates"] = CaseUpdates(
        redis, ctx["keys"], ctx["cases"], ctx["events"], partnerships, ctx["redis"]
    )
    # The survey call after closure needs Twilio; without it a person phones (an alert).
    calls = None
    if OutboundCalls.configured(settings):
        ctx["outbound_calls"] = OutboundCalls(settings)
        calls = SurveyCalls(
            ctx["redis"], ctx["redis"], ctx["keys"], ctx["cases"], settings.secret_key(),
            settings.public_base_url, ctx["outbound_calls"],
        )  # fmt: skip
    ctx["survey_calls"] = calls
    ctx["relay"] = ResidentNotifier(
        redis, ctx["keys"], ctx["cases"], ctx["events"], partnerships, sms=sms,
        email=EmailSender(settings.smtp_url, settings.mail_from, outbox / "email"),
        letters=LetterPrinter(settings.data_dir / "print-queue"), secret=settings.secret_key(),
        links=SurveyLinks(settings.secret_key(), settings.public_base_url), calls=calls,
        updates=UpdateOffers(subscriptions, update_links),
    )  # fmt: skip


async def shutdown(ctx: dict[str, Any]) -> None:
    sms = ctx.get("sms")
    if sms is not None:
        await sms.aclose()
    http = ctx.get("http")
    if http is not None:
        await http.aclose()
    outbound_calls = ctx.get("outbound_calls")
    if outbound_calls is not None:
        await outbound_calls.aclose()


async def announce_case(ctx: dict[str, Any], reference: str) -> str:
    """Handle case.created: the acknowledgement and the SLA clocks now; the linking and the
    partners in `publish_case`, queued behind them. An acknowledgement job is ordered by
    its case's creation time, so in a burst of reports no resident's acknowledgement waits
    for the linking of the reports before it."""
    cases: CaseStore = ctx["cases"]
    case = await cases.get(reference)
    if case is None:
        log.warning("case.missing", reference=reference)
        return "missing"
    acks: Acknowledger = ctx["acks"]
    started = await acks.start(case)
    if started.retry_at is not None:  # an acknowledgement is owed: the first attempt now
        # Ordered by the case's creation, at most an hour back: arq keeps a job's record
        # for a day after its time, so a score far in the past would expire it at once.
        first = max(case.created_at, started.retry_at - timedelta(hours=1))
        await _queue_ack(ctx["redis"], reference, started.attempts + 1, first)
    sla: SlaWatch = ctx["sla"]
    await sla.schedule(case, ctx["redis"])
    jobs: JobQueue = ctx["jobs"]
    await jobs.publish_case(reference)
    return "acknowledging"


async def publish_case(ctx: dict[str, Any], reference: str) -> str:
    """Link the case to the earlier ones, once the resident has their reference, and tell
    the partners (a job run again finds it linked and its events sent already)."""
    cases: CaseStore = ctx["cases"]
    case = await cases.get(reference)
    if case is None:
        log.warning("case.missing", reference=reference)
        return "missing"
    linker: Linker = ctx["linker"]
    case = await linker.link_stored(ctx["partnerships"].get(case.partnership), reference) or case
    partners: PartnerDelivery = ctx["partners"]
    await partners.publish_case(case, CASE_CREATED, f"{reference}:created")
    await partners.publish_hotspot(case)
    await cases.mark_announced(reference)
    log.info("case.created", reference=reference, channel=case.channel, risk=case.risk.level)
    return "announced"


async def _queue_ack(pool: ArqRedis, reference: str, attempt: int, when: datetime) -> None:
    """One job per attempt, its id derived from the attempt: queueing it again is a no-op.
    The job is ordered by when the attempt is due (arq's score), a past time included."""
    await pool.enqueue_job(
        "send_acknowledgement", reference, _job_id=f"ack:{reference}:{attempt}", _defer_until=when
    )


async def send_acknowledgement(ctx: dict[str, Any], reference: str) -> str:
    """One attempt at the written acknowledgement; a failure queues the next attempt."""
    acks: Acknowledger = ctx["acks"]
    result = await acks.attempt(reference)
    if result.retry_at is not None:
        await _queue_ack(ctx["redis"], reference, result.attempts + 1, result.retry_at)
    return result.state


async def check_sla(ctx: dict[str, Any], reference: str, clock: str, kind: str) -> str:
    sla: SlaWatch = ctx["sla"]
    return await sla.check(reference, clock, kind, datetime.now(UTC))


async def reconcile_notices(ctx: dict[str, Any]) -> int:
    """Acknowledgements overdue by a minute are attempted here and now, not queued again:
    their job may be lost in a crash, or spent (an arq job id that ran is not run twice).
    The attempt is safe from any worker: it sends one that is owed, settles a claim whose
    worker died, and finishes the bookkeeping of one that went."""
    acks: Acknowledger = ctx["acks"]
    now = datetime.now(UTC)
    overdue = await acks.due(now - timedelta(seconds=_RECONCILE_AFTER_SECONDS))
    for reference in overdue:
        result = await acks.attempt(reference, now)
        if result.retry_at is not None:
            await _queue_ack(ctx["redis"], reference, result.attempts + 1, result.retry_at)
    return len(overdue)


async def reconcile_sla(ctx: dict[str, Any]) -> int:
    sla: SlaWatch = ctx["sla"]
    return await sla.reconcile(datetime.now(UTC))


async def dispatch_emergency(ctx: dict[str, Any], emergency_id: str) -> str:
    """Handle case.emergency (P1). Police delivery hangs off this event; here it is taken
    off the queue and recorded, so an operator can see every emergency was handled."""
    redis: Redis = ctx["redis"]
    keys: Keys = ctx["keys"]
    raw = await redis.get(keys.emergency(emergency_id))
    if raw is None:
        log.warning("emergency.missing", emergency=emergency_id)
        return "missing"
    emergency = open_emergency(raw, ctx["cipher"])
    # The first attempt is made here and now; retries are jobs on this same P1 queue.
    partners: PartnerDelivery = ctx["partners"]
    webhook = await partners.publish_emergency(emergency)
    result = await partners.attempt(webhook)
    await redis.zadd(keys.emergencies_handled(), {emergency_id: time.time()})
    log.info(
        "case.emergency",
        emergency=emergency_id,
        revision=emergency.revision,
        channel=emergency.channel,
        has_location=emergency.location is not None,
        delivery=result.outcome,
    )
    return "dispatched"


async def deliver_webhook(ctx: dict[str, Any], webhook_id: str, round_: int, attempt: int) -> str:
    """One attempt of one partner delivery (bot/partners/delivery.py)."""
    partners: PartnerDelivery = ctx["partners"]
    return (await partners.attempt(webhook_id, round_, attempt)).outcome


async def relay_update(ctx: dict[str, Any], reference: str, update_id: str) -> str:
    """A partner's update: to the case's other agencies and to the resident."""
    relay: ResidentNotifier = ctx["relay"]
    return await relay.relay(ctx["updates"], ctx["partners"], reference, update_id)


async def place_survey_call(ctx: dict[str, Any], reference: str, attempt: int) -> str:
    """One attempt at the survey call after closure (telephony/survey_call.py); with no
    Twilio credentials any more, a person phones instead."""
    calls = ctx["survey_calls"]
    if calls is None:
        events: CaseEvents = ctx["events"]
        await events.alert(reference, "resident_update_by_phone", "closed: phone the resident")
        return "no_calls"
    result: str = await calls.place(reference, attempt)
    return result


async def queue_monthly_updates(ctx: dict[str, Any]) -> int:
    """The 1st of each month: last month's neighbourhood update, one job per subscriber."""
    update_round: UpdateRound = ctx["update_round"]
    return await update_round.queue(ctx["redis"], previous_month(datetime.now(UTC)))


async def send_monthly_update(ctx: dict[str, Any], subscriber: str, month: str) -> str:
    """One subscriber's update for a month (YYYY-MM), at most once; a failure that may
    pass is tried again by arq, later each time."""
    sender: MonthlySender = ctx["monthly_updates"]
    try:
        return await sender.send(subscriber, date.fromisoformat(f"{month}-01"))
    except UpdateNotSent as exc:
        raise Retry(defer=retry_seconds(ctx["job_try"])) from exc


async def reconcile_deliveries(ctx: dict[str, Any]) -> int:
    partners: PartnerDelivery = ctx["partners"]
    return await partners.reconcile()


async def forward_case_events(ctx: dict[str, Any]) -> int:
    """SLA events of the case event stream to the partners of each case."""
    partners: PartnerDelivery = ctx["partners"]
    return await partners.forward_events()


async def requeue_unannounced(ctx: dict[str, Any]) -> int:
    """Cases whose partners were not told a minute after creation: a job still waiting or
    running is left to run; one spent by a crash (arq never runs a job id twice) is done
    here; one never queued is queued."""
    cases: CaseStore = ctx["cases"]
    jobs: JobQueue = ctx["jobs"]
    pool: ArqRedis = ctx["redis"]
    stale = await cases.unannounced_before(time.time() - _RECONCILE_AFTER_SECONDS)
    for reference in stale:
        publishing = await Job(publish_job_id(reference), pool, QUEUE_NAME).status()
        if publishing == JobStatus.complete:
            await publish_case(ctx, reference)
            continue
        if publishing != JobStatus.not_found:
            continue  # queued, deferred or running
        announcing = await Job(announce_job_id(reference), pool, QUEUE_NAME).status()
        if announcing == JobStatus.complete:
            await announce_case(ctx, reference)
        elif announcing == JobStatus.not_found:
            await jobs.case_created(reference)
    return len(stale)


async def sweep_retention(ctx: dict[str, Any]) -> int:
    """Personal data of cases closed longer ago than the retention period (docs/privacy.md)."""
    from bot.privacy.retention import sweep

    settings = get_settings()
    return await sweep(
        ctx["redis"], ctx["keys"], ctx["cases"], settings.retention_seconds, datetime.now(UTC)
    )


class WorkerSettings:
    functions: ClassVar[list[Any]] = [
        announce_case,
        publish_case,
        func(send_acknowledgement, timeout=60, max_tries=3),
        check_sla,
        func(deliver_webhook, timeout=60, max_tries=1000),
        func(relay_update, timeout=120, max_tries=5),
        func(place_survey_call, timeout=60, max_tries=3),
        func(send_monthly_update, timeout=60, max_tries=6),
    ]
    cron_jobs: ClassVar[list[Any]] = [
        cron(reconcile_deliveries, second=20, run_at_startup=True),
        cron(forward_case_events, second=set(range(0, 60, 5)), run_at_startup=True),
        cron(requeue_unannounced, second=30, run_at_startup=True),
        cron(reconcile_notices, second=40, run_at_startup=True),
        cron(reconcile_sla, second=50, run_at_startup=True),
        cron(sweep_retention, minute=17, second=0, run_at_startup=True),
        cron(queue_monthly_updates, day=1, hour=10, minute=0, second=0),
    ]
    # Cron times are England's (the monthly update goes at 10:00 local time); the other
    # jobs name only minutes and seconds, which every UK offset leaves alone.
    timezone = LONDON
    on_startup = startup
    on_shutdown = shutdown
    queue_name = QUEUE_NAME
    redis_settings = redis_settings(get_settings().require_redis_url())
    max_tries = 10
    keep_result = 3600
    # arq marks a job in progress for its longest job's timeout plus 10 s, and a worker
    # killed outright (SIGKILL, a lost machine) leaves its jobs marked: with arq's default
    # of 300 s an acknowledgement cut off by a crash waited five minutes to run again; no
    # job here needs more than two.
    job_timeout = 120


class EmergencyWorkerSettings:
    """P1 emergencies only: `python -m bot.jobs.run emergency`."""

    functions: ClassVar[list[Any]] = [
        dispatch_emergency,
        func(deliver_webhook, timeout=60, max_tries=1000),
    ]
    on_startup = startup
    queue_name = EMERGENCY_QUEUE_NAME
    # The P1 queue is short: poll it every 50 ms rather than arq's 0.5 s, so an emergency
    # waits tens of milliseconds for a worker, not half a second.
    poll_delay = 0.05
    redis_settings = WorkerSettings.redis_settings
    max_tries = 20
    keep_result = 3600
