"""The monthly neighbourhood update: on the 1st of each month at 10:00, England time, each
subscriber (bot/community/subscriptions.py) gets the previous month's summary of their
district, the public page's own figures with small counts suppressed
(bot/community/summaries.py), the page's link and how to stop.

The worker's cron job (bot/jobs/worker.py) queues one job per subscriber, its id naming
the month and the subscriber, so queueing twice queues once. Each job claims
`updates:sent:<month>:<key>` (SET NX) before sending, so a month goes to a subscriber at
most once whichever worker runs it and however often. A send that failed for a reason
that may pass (the provider down) gives the claim back and raises `UpdateNotSent`, which
the job turns into arq's Retry; one refused for good (opted out, invalid number, address
refused) is recorded and not tried again. A worker that dies mid-send keeps its claim:
that month is not sent again.

`asb-intake updates send --month YYYY-MM [--dry-run]` queues a month by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TextIO

import structlog
from arq.connections import ArqRedis
from redis.asyncio import Redis

from bot.acknowledgements.channels import EmailSender, SmsPort
from bot.acknowledgements.content import Acknowledgement
from bot.cases.store import CaseStore
from bot.community.subscriptions import Subscriber, Subscriptions, UpdateLinks
from bot.community.summaries import (
    SMS_CHARS,
    AreaSummary,
    Summaries,
    add_months,
    month_key,
    month_of,
    parse_month,
)
from bot.partnerships import Partnership, Partnerships, load_partnerships
from bot.platform.job_queue import connect
from bot.platform.redis_keys import Keys
from bot.platform.settings import Settings, get_settings

log = structlog.get_logger("asb.updates")

JOB = "send_monthly_update"
SMS_BUDGET = 459  # three concatenated GSM-7 segments
CLAIM_SECONDS = 400 * 86_400  # a month re-queued within the year is still not sent twice
RETRY_SECONDS = 5


class UpdateNotSent(Exception):
    """A send failed for a reason that may pass; the claim was given back."""


def retry_seconds(job_try: int) -> int:
    """The wait before try `job_try + 1`: 5 s, 20 s, 80 s, ... (about half an hour in 6)."""
    return int(RETRY_SECONDS * 4 ** (job_try - 1))


def previous_month(now: datetime) -> date:
    return add_months(month_of(now), -1)


def page_url(base_url: str, partnership: str, district: str) -> str:
    return f"{base_url.rstrip('/')}/community/{partnership}/{district}/"


def sms_body(summary: AreaSummary, page: str) -> str:
    """The summary, the page and how to stop, in three texts at most ("…" becomes "..."
    in GSM-7: two characters spare)."""
    tail = f"\nMore: {page}\nReply STOP UPDATES to end these texts."
    return summary.as_text(min(SMS_CHARS, SMS_BUDGET - len(tail) - 2)) + tail


def email_content(
    summary: AreaSummary, page: str, unsubscribe: str, partnership: str
) -> Acknowledgement:
    figures = summary.months[0]
    paragraphs = [
        summary.as_text(2000),
        f"The figures for {summary.area}, month by month: {page}",
        "If anyone is in danger or a crime is happening now, call 999.",
        f"You get this email because you asked for a monthly update about {summary.area}. "
        f"To stop it, open {unsubscribe} (one click).",
        partnership,
    ]
    subject = f"Anti-social behaviour in {summary.area}: {figures.label}"
    return Acknowledgement(subject, paragraphs, paragraphs[0])


@dataclass(frozen=True)
class DistrictPlan:
    """One district's part of a month's round: counts and the text, nobody's details."""

    partnership: str
    district: str
    subscribers: int
    already_sent: int
    text: str


class UpdateRound:
    """Who is due a month's update, and queueing their jobs."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        subscriptions: Subscriptions,
        summaries: Summaries,
        partnerships: Partnerships,
        base_url: str,
    ):
        self._redis = redis
        self._keys = keys
        self._subscriptions = subscriptions
        self._summaries = summaries
        self._partnerships = partnerships
        self._base = base_url

    async def queue(self, pool: ArqRedis, month: date) -> int:
        """One job per subscriber; how many were queued (an existing job is not queued)."""
        queued = 0
        for partnership in self._partnerships.all():
            for keys in (await self._subscriptions.members(partnership)).values():
                for key in keys:
                    job = await pool.enqueue_job(
                        JOB, key, month_key(month), _job_id=f"updates:{month_key(month)}:{key}"
                    )
                    queued += job is not None
        log.info("updates.queued", month=month_key(month), jobs=queued)
        return queued

    async def plan(self, month: date) -> list[DistrictPlan]:
        plans = []
        for partnership in self._partnerships.all():
            for district, keys in (await self._subscriptions.members(partnership)).items():
                claims = [self._keys.updates_sent(month_key(month), k) for k in keys]
                sent = int(await self._redis.exists(*claims))
                summary = await self._summaries.area_summary(partnership, district, month)
                text = sms_body(summary, page_url(self._base, partnership.id, district))
                plans.append(DistrictPlan(partnership.id, district, len(keys), sent, text))
        return plans


class MonthlySender:
    """One subscriber's update for one month, at most once."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        subscriptions: Subscriptions,
        summaries: Summaries,
        partnerships: Partnerships,
        links: UpdateLinks,
        base_url: str,
        *,
        sms: SmsPort,
        email: EmailSender,
    ):
        self._redis = redis
        self._keys = keys
        self._subscriptions = subscriptions
        self._summaries = summaries
        self._partnerships = partnerships
        self._links = links
        self._base = base_url
        self._sms = sms
        self._email = email

    async def send(self, key: str, month: date) -> str:
        """The outcome: sent, outbox, opted_out, invalid_number, refused; `already` (sent
        or being sent), `not_subscribed`, `not_served`. UpdateNotSent: try again later."""
        subscriber = await self._subscriptions.get(key)
        if subscriber is None:
            return "not_subscribed"
        if subscriber.partnership not in self._partnerships:
            return "not_served"
        partnership = self._partnerships.get(subscriber.partnership)
        if subscriber.district not in partnership.area.districts:
            return "not_served"
        summary = await self._summaries.area_summary(partnership, subscriber.district, month)
        claim = self._keys.updates_sent(month_key(month), key)
        if not await self._redis.set(claim, "sending", nx=True, ex=CLAIM_SECONDS):
            return "already"
        try:
            outcome = await self._deliver(subscriber, partnership, summary, month)
        except Exception:  # a bug or an outage: the claim must not be left for nothing
            log.exception("updates.send_error", subscriber=key)
            outcome = "failed"
        if outcome == "failed":
            await self._redis.delete(claim)
            raise UpdateNotSent(key)
        await self._redis.set(claim, outcome, keepttl=True)
        log.info("updates.sent", subscriber=key, month=month_key(month),
                 channel=subscriber.channel, outcome=outcome)  # fmt: skip
        return outcome

    async def _deliver(
        self, subscriber: Subscriber, partnership: Partnership, summary: AreaSummary, month: date
    ) -> str:
        page = page_url(self._base, partnership.id, subscriber.district)
        if subscriber.channel == "sms":
            return (await self._sms.send(subscriber.contact, sms_body(summary, page))).outcome
        unsubscribe = self._links.unsubscribe_url(subscriber.key)
        content = email_content(summary, page, unsubscribe, partnership.name)
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        delivery = await self._email.send(
            subscriber.contact, content, f"updates-{month_key(month)}", subscriber.key, headers
        )
        return delivery.outcome


# `asb-intake updates send` ------------------------------------------------------------


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    updates = commands.add_parser(
        "updates", help="monthly neighbourhood updates to residents who asked for them"
    )
    actions = updates.add_subparsers(dest="updates_command", required=True)
    send = actions.add_parser(
        "send", help="queue a month's updates for the job worker to send (once each)"
    )
    send.add_argument("--month", required=True, metavar="YYYY-MM")
    send.add_argument(
        "--dry-run", action="store_true", help="show who is due, by district; queue nothing"
    )


def run(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """`asb-intake updates send`, against the service running here (or REDIS_URL)."""
    settings = get_settings()
    now = datetime.now(UTC)
    try:
        month = parse_month(args.month, now)
    except ValueError as exc:
        raise RuntimeError(str(exc)) from None
    if month == month_of(now):
        raise RuntimeError("month: that month is not over yet")
    partnerships = load_partnerships(
        settings.partnerships_dir, settings.default_partnership, settings.partnership_ids()
    )
    return asyncio.run(_send(settings, partnerships, month, args.dry_run, out))


async def _send(
    settings: Settings, partnerships: Partnerships, month: date, dry_run: bool, out: TextIO
) -> int:
    redis_url = settings.require_redis_url()
    redis = Redis.from_url(redis_url)
    keys = Keys(settings.key_prefix)
    subscriptions = Subscriptions(redis, keys, settings.cipher(), settings.secret_key())
    summaries = Summaries(redis, keys, CaseStore(redis, keys))
    round_ = UpdateRound(
        redis, keys, subscriptions, summaries, partnerships, settings.public_base_url
    )
    try:
        plans = await round_.plan(month)
        for plan in plans:
            out.write(f"{plan.partnership} {plan.district}: {plan.subscribers} subscribed, "
                      f"{plan.already_sent} sent already\n  {plan.text!r}\n")  # fmt: skip
        if not plans:
            out.write("nobody has asked for monthly updates\n")
        if dry_run:
            out.write("dry run: nothing queued\n")
            return 0
        pool = await connect(redis_url)
        try:
            queued = await round_.queue(pool, month)
        finally:
            await pool.aclose()
        out.write(f"queued {queued} updates for {month_key(month)}: the job worker sends them\n")
        return 0
    finally:
        await redis.aclose()
