"""The survey call after closure, for a resident who chose phone or who reported by phone.

    relay (bot/partners/relay.py) -> `SurveyCalls.request`: the first attempt queued
    job `place_survey_call` (bot/jobs/worker.py) -> `SurveyCalls.place`: Twilio's REST API
        creates the call; its Url is /twilio/voice/survey (telephony/survey_routes.py)
    status callback busy / no-answer / failed -> `SurveyCalls.status`: the next attempt
        RETRY_SECONDS later; after MAX_ATTEMPTS the operator alert "phone the resident",
        as when no calls can be placed at all

Nobody is rung outside 9am-8pm England time: an attempt due outside it waits for 9am.
State is kept in `asb:case:<ref>:survey-call` (a hash); a resident who rings the line while
their survey is pending is offered it (`asb:survey-offer:<keyed hash of the number>`).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import aiohttp
import structlog
from arq.connections import ArqRedis
from redis.asyncio import Redis
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from bot.cases.events import CaseEvents
from bot.cases.model import Case
from bot.cases.sla import LONDON
from bot.cases.store import CaseStore
from bot.partners.survey import SurveyLinks
from bot.platform.redis_keys import Keys
from bot.platform.settings import Settings
from bot.privacy.contact import pseudonymous_key
from telephony import survey_voice

log = structlog.get_logger("asb.survey_call")

JOB = "place_survey_call"
CALL_FROM = time(9)
CALL_UNTIL = time(20)
MAX_ATTEMPTS = 3
RETRY_SECONDS = 2 * 3600
OFFER_SECONDS = 14 * 86_400  # as long as a text survey waits for its answer
TOKEN_DAYS = 14
RETRY_STATUSES = frozenset({"busy", "no-answer", "failed"})
FINAL_STATUSES = RETRY_STATUSES | {"completed", "canceled"}
DONE_STATES = frozenset({"answered", "completed", "gave_up"})


def next_call_time(when: datetime) -> datetime:
    """`when`, or the next 9am England time when `when` is outside 9am-8pm there."""
    local = when.astimezone(LONDON)
    if CALL_FROM <= local.time() < CALL_UNTIL:
        return when
    day = local.date() if local.time() < CALL_FROM else local.date() + timedelta(days=1)
    return datetime.combine(day, CALL_FROM, tzinfo=LONDON).astimezone(UTC)


class OutboundCalls:
    """Twilio's REST API for placing calls, its domain pointed at TWILIO_API_BASE."""

    def __init__(self, settings: Settings, timeout_seconds: float = 10.0):
        self._from = settings.twilio_phone_number
        self._http = AsyncTwilioHttpClient(timeout=timeout_seconds)
        self._client = Client(
            settings.twilio_account_sid, settings.twilio_auth_token, http_client=self._http
        )
        self._client.api.base_url = settings.twilio_api_base.rstrip("/")

    @staticmethod
    def configured(settings: Settings) -> bool:
        return bool(
            settings.twilio_account_sid
            and settings.twilio_auth_token
            and settings.twilio_phone_number
        )

    async def place(self, to: str, url: str, status_callback: str) -> str:
        """The new call's sid; TwilioRestException or a connection error otherwise."""
        call = await self._client.api.v2010.account.calls.create_async(
            to=to, from_=self._from, url=url, method="POST",
            status_callback=status_callback, status_callback_method="POST",
        )  # fmt: skip
        return call.sid or ""

    async def aclose(self) -> None:
        await self._http.close()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class SurveyCalls:
    """The attempts of each case's survey call. The gateway uses it without `twilio` (for
    status callbacks and the offer to a caller); the worker with it, to place calls."""

    def __init__(
        self,
        redis: Redis,
        pool: ArqRedis,
        keys: Keys,
        cases: CaseStore,
        secret: bytes,
        base_url: str,
        twilio: OutboundCalls | None = None,
    ):
        self._redis = redis
        self._pool = pool
        self._keys = keys
        self._cases = cases
        self._events = CaseEvents(redis, keys)
        self._secret = secret
        self._base = base_url.rstrip("/")
        self._links = SurveyLinks(secret, base_url)
        self._twilio = twilio

    def caller_key(self, phone: str) -> str:
        """The number's keyed hash, as the phone line keys its callers."""
        return pseudonymous_key(self._secret, "phone", phone)

    async def request(self, case: Case, phone: str, now: datetime | None = None) -> None:
        """Queue the first attempt and offer the survey to the number if it rings the line
        meanwhile. Asked again (a relay job run twice), it queues the attempt again only
        until the call is placed: the attempt itself is placed once."""
        now = now or datetime.now(UTC)
        key = self._keys.survey_call(case.reference)
        if await self._redis.hsetnx(key, "state", "queued"):  # type: ignore[misc]
            caller = self.caller_key(phone)
            async with self._redis.pipeline(transaction=True) as tx:
                tx.hset(key, "caller_key", caller)
                tx.expire(key, OFFER_SECONDS)
                tx.set(self._keys.survey_call_offer(caller), case.reference, ex=OFFER_SECONDS)
                await tx.execute()
        elif await self._redis.hget(key, "state") != b"queued":  # type: ignore[misc]
            return
        await self._queue(case.reference, 1, next_call_time(now))

    async def _queue(self, reference: str, attempt: int, when: datetime) -> None:
        """An attempt due at `when` (at once if that has passed); one job per attempt and time."""
        await self._pool.enqueue_job(
            JOB, reference, attempt, _defer_until=when if when > datetime.now(UTC) else None,
            _job_id=f"survey-call:{reference}:{attempt}:{int(when.timestamp())}",
        )  # fmt: skip

    async def state(self, reference: str) -> dict[str, str]:
        raw = await self._redis.hgetall(self._keys.survey_call(reference))  # type: ignore[misc]
        return {_text(k): _text(v) for k, v in raw.items()}

    async def place(self, reference: str, attempt: int, now: datetime | None = None) -> str:
        """One attempt (the job). Returns what happened: calling, waiting (outside calling
        hours), retry or gave_up (Twilio refused), done, or already (a repeated job)."""
        now = now or datetime.now(UTC)
        state = await self.state(reference)
        if not state or state.get("state") in DONE_STATES:
            return "done"
        allowed = next_call_time(now)
        if allowed > now:  # the job ran late (a worker was down overnight)
            await self._queue(reference, attempt, allowed)
            return "waiting"
        key = self._keys.survey_call(reference)
        if not await self._redis.hsetnx(key, f"placed:{attempt}", now.isoformat()):  # type: ignore[misc]
            return "already"
        personal = await self._cases.get_personal(reference)
        phone = personal.contact.phone if personal is not None else None
        if self._twilio is None or not phone:
            return await self._give_up(reference, "no number or no way to call")
        token = self._links.token(reference, days=TOKEN_DAYS, now=now)
        status_url = f"{self._base}/twilio/voice/survey/status?t={token}&attempt={attempt}"
        try:
            sid = await self._twilio.place(
                phone, self._base + survey_voice.url("", token, inbound=False), status_url
            )
        except (TwilioRestException, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("survey_call.refused", reference=reference, reason=type(exc).__name__)
            return await self._failed(reference, attempt, now)
        await self._redis.hset(  # type: ignore[misc]
            key, mapping={"state": "calling", "attempts": attempt, "call_sid": sid}
        )
        log.info("survey_call.placed", reference=reference, attempt=attempt, call_sid=sid)
        return "calling"

    async def status(
        self, reference: str, attempt: int, call_status: str, now: datetime | None = None
    ) -> str:
        """A call's final status from Twilio's callback (each counted once)."""
        now = now or datetime.now(UTC)
        if call_status not in FINAL_STATUSES:
            return "ignored"
        key = self._keys.survey_call(reference)
        if not await self._redis.hsetnx(key, f"status:{attempt}", call_status):  # type: ignore[misc]
            return "repeat"
        log.info("survey_call.status", reference=reference, attempt=attempt, status=call_status)
        if call_status in RETRY_STATUSES:
            return await self._failed(reference, attempt, now)
        state = await self.state(reference)
        if state.get("state") not in DONE_STATES:
            await self._redis.hset(key, "state", "completed")  # type: ignore[misc]
        return "completed"

    async def _failed(self, reference: str, attempt: int, now: datetime) -> str:
        if attempt >= MAX_ATTEMPTS:
            return await self._give_up(reference, f"no answer after {attempt} calls")
        await self._redis.hset(self._keys.survey_call(reference), "state", "retry")  # type: ignore[misc]
        await self._queue(
            reference, attempt + 1, next_call_time(now + timedelta(seconds=RETRY_SECONDS))
        )
        return "retry"

    async def _give_up(self, reference: str, why: str) -> str:
        """A person rings instead, as for any update to a phone-only resident. The offer
        to the caller stays: they may still ring the line."""
        await self._redis.hset(self._keys.survey_call(reference), "state", "gave_up")  # type: ignore[misc]
        await self._events.alert(
            reference, "resident_update_by_phone", f"closed: phone the resident ({why})"
        )
        log.info("survey_call.gave_up", reference=reference)
        return "gave_up"

    async def answered(self, reference: str) -> None:
        """The resident has been asked: no more calls, and no offer when they ring."""
        key = self._keys.survey_call(reference)
        caller = await self._redis.hget(key, "caller_key")  # type: ignore[misc]
        async with self._redis.pipeline(transaction=True) as tx:
            tx.hset(key, "state", "answered")
            tx.expire(key, OFFER_SECONDS)
            if caller is not None:
                tx.delete(self._keys.survey_call_offer(_text(caller)))
            await tx.execute()

    async def offered(self, caller_key: str) -> str | None:
        """The reference of a survey pending for a caller, if any."""
        reference = await self._redis.get(self._keys.survey_call_offer(caller_key))
        return _text(reference) if reference is not None else None
