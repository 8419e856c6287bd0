"""Signed webhook delivery to partner agencies, at least once.

One delivery is one event for one agency. Its id (`msg_...`, derived from the event id
and the agency, so publishing the same event twice creates nothing new) is the
`webhook-id` of every attempt, and its body is fixed when it is created: a retry sends the
same bytes, signed afresh with the time of the attempt (Standard Webhooks). The body
carries the case's personal fields, so it is stored encrypted (ASB_ENCRYPTION_KEYS) and
decrypted for each attempt.

    pending -> delivered                          (a 2xx answer)
            -> retrying -> ... -> dead            (the last attempt of the schedule failed)
            -> dead (endpoint_gone)               (410: the endpoint is disabled, alert)
            -> dead (no_endpoint | address_refused | endpoint_disabled)

Each attempt is an arq job whose id names the delivery, its round and the attempt
(`wh:<id>:<round>:<n>`), deferred by the schedule (ASB_WEBHOOK_RETRY_SCHEDULE, default
now, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h) with jitter; `Retry-After` on 429 and 503
is honoured. A cron re-queues attempts whose job was lost. Every attempt is written to the
case's delivery log (`asb:case:<ref>:deliveries`); dead deliveries are dead letters that
`asb-intake deliveries replay` sends again (a new round, the same webhook-id).
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import structlog
from arq.connections import ArqRedis
from redis.asyncio import Redis
from standardwebhooks import Webhook

from bot.cases.events import SLA_AT_RISK, SLA_BREACHED, CaseEvents
from bot.cases.model import Case
from bot.cases.store import CaseStore
from bot.partners.address import AddressRefused, check_url
from bot.partners.config import PartnersConfig
from bot.partners.payload import (
    CASE_EMERGENCY,
    CASE_HOTSPOT,
    CONTENT_TYPE,
    case_data,
    cloud_event,
    emergency_data,
    share,
)
from bot.partnerships import Partnerships
from bot.platform.counters import Counters
from bot.platform.job_queue import EMERGENCY_QUEUE_NAME, QUEUE_NAME
from bot.platform.redis_keys import Keys
from bot.privacy.crypto import Cipher, seal, unseal
from bot.safety.desk import Emergency

log = structlog.get_logger("asb.partners")

FINAL = frozenset({"delivered", "dead"})
MAX_RETRY_AFTER_SECONDS = 86_400.0
_GROUP = "partner-delivery"
_CONSUMER = "deliverer"
USER_AGENT = "asb-intake-webhooks/1"
# A delivery is created whole or not at all: its record and its place in the due set in
# one step, so a worker killed midway leaves nothing half made that a retry would take
# for "published before" (KEYS: the delivery, the due set; ARGV: due time, id, fields).
_CREATE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
return 1
"""


def webhook_id(event_id: str, agency: str) -> str:
    digest = hashlib.sha256(f"{event_id}|{agency}".encode()).hexdigest()
    return f"msg_{digest[:32]}"


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = (parsedate_to_datetime(value) - now).total_seconds()
        except (TypeError, ValueError):
            return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


@dataclass(frozen=True)
class AttemptResult:
    outcome: str  # delivered | retrying | dead | stale | final
    status: int | None = None
    next_in: float | None = None


class PartnerDelivery:
    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        pool: ArqRedis,
        cases: CaseStore,
        events: CaseEvents,
        partnerships: Partnerships,
        config: PartnersConfig,
        http: httpx.AsyncClient,
        *,
        base_url: str,
        schedule: list[float],
        timeout: float = 15.0,
        cipher: Cipher | None = None,
    ):
        self._redis = redis
        self._keys = keys
        self._pool = pool
        self._cases = cases
        self._events = events
        self._partnerships = partnerships
        self.config = config
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._schedule = schedule or [0.0]
        self._timeout = timeout
        # Without a cipher bodies are stored as plain JSON: only unit tests and benchmarks
        # build a deliverer that way; the worker and the CLI pass one.
        self._cipher = cipher

    # --- publishing -------------------------------------------------------------------
    async def publish_case(
        self,
        case: Case,
        event_type: str,
        event_id: str,
        extra: dict[str, Any] | None = None,
        *,
        agencies: list[str] | None = None,
        exclude: tuple[str, ...] = (),
        queue: str = QUEUE_NAME,
    ) -> list[str]:
        """One delivery per agency the case is routed to (or `agencies`); returns their ids."""
        personal = await self._cases.get_personal(case.reference)
        data = {**case_data(case, personal), **(extra or {})}
        partnership = self._partnerships.get(case.partnership)
        targets = (
            agencies or case.routed_to or [case.lead_agency or partnership.routing.lead_agency]
        )
        ids = []
        for agency_id in dict.fromkeys(targets):
            if agency_id in exclude:
                continue
            body = cloud_event(
                event_id=f"{event_id}:{agency_id}", event_type=event_type,
                source=f"{self._base_url}/partnerships/{case.partnership}",
                time=datetime.now(UTC), data=share(data, partnership.agency(agency_id), case),
                base_url=self._base_url, subject=case.reference,
            )  # fmt: skip
            ids.append(
                await self._create(case.reference, agency_id, event_type, event_id, body, queue)
            )
        return ids

    async def publish_hotspot(self, case: Case) -> str | None:
        """case.hotspot for the partnership's lead agency, once for each report that makes
        or grows a hotspot (its id names the hotspot and its size: publishing again is a
        no-op)."""
        if case.hotspot is None:
            return None
        lead = self._partnerships.get(case.partnership).routing.lead_agency
        event_id = f"{case.hotspot.id}:{case.hotspot.reports}"
        ids = await self.publish_case(case, CASE_HOTSPOT, event_id, agencies=[lead])
        return ids[0]

    async def publish_emergency(self, emergency: Emergency, agency: str = "police") -> str:
        """case.emergency for the police, on the P1 queue; the first attempt is the
        caller's to make at once (see `attempt`)."""
        event_id = f"{emergency.id}:{emergency.revision}"
        body = cloud_event(
            event_id=event_id, event_type=CASE_EMERGENCY, source=f"{self._base_url}/emergencies",
            time=datetime.now(UTC), data={"agency": agency, **emergency_data(emergency)},
            base_url=self._base_url, subject=emergency.id,
        )  # fmt: skip
        return await self._create(
            emergency.id, agency, CASE_EMERGENCY, event_id, body, EMERGENCY_QUEUE_NAME,
            enqueue_first=False,
        )  # fmt: skip

    async def _create(
        self,
        subject: str,
        agency: str,
        event_type: str,
        event_id: str,
        body: dict[str, Any],
        queue: str,
        *,
        enqueue_first: bool = True,
    ) -> str:
        wid = webhook_id(event_id, agency)
        now = time.time()
        sealed = seal(self._cipher, json.dumps(body, separators=(",", ":"), ensure_ascii=False))
        fields = {
            "agency": agency, "subject": subject, "type": event_type, "event_id": event_id,
            "queue": queue, "body": sealed,
            "state": "pending", "round": 0, "attempts": 0, "created_at": now,
        }  # fmt: skip
        created = await self._redis.eval(  # type: ignore[misc]
            _CREATE, 2, self._keys.delivery(wid), self._keys.deliveries_due(),
            str(now + self._schedule[0]), wid, *(str(x) for kv in fields.items() for x in kv),
        )  # fmt: skip
        if not created:
            return wid  # published before: nothing new
        if enqueue_first:
            await self._enqueue(wid, queue, 0, 1, self._schedule[0])
        log.info("delivery.created", webhook_id=wid, agency=agency, type=event_type)
        return wid

    async def _enqueue(self, wid: str, queue: str, round_: int, attempt: int, wait: float) -> None:
        await self._pool.enqueue_job(
            "deliver_webhook", wid, round_, attempt,
            _job_id=f"wh:{wid}:{round_}:{attempt}", _queue_name=queue,
            _defer_by=wait if wait > 0 else None,
        )  # fmt: skip

    # --- one attempt ------------------------------------------------------------------
    async def get(self, wid: str) -> dict[str, str]:
        raw = await self._redis.hgetall(self._keys.delivery(wid))  # type: ignore[misc]
        return {_text(k): _text(v) for k, v in raw.items()}

    async def attempt(self, wid: str, round_: int = 0, attempt: int = 1) -> AttemptResult:
        d = await self.get(wid)
        if not d:
            return AttemptResult("stale")
        if d["state"] in FINAL:
            return AttemptResult("final")
        if int(d.get("round", 0)) != round_ or int(d.get("attempts", 0)) >= attempt + 1:
            return AttemptResult("stale")  # an old round, or a later attempt already ran
        agency = d["agency"]
        endpoint = self.config.endpoints.get(agency)
        if endpoint is None:
            return await self._dead(d, wid, attempt, "no_endpoint", alert=True)
        if await self._redis.hexists(self._keys.disabled_endpoints(), agency):  # type: ignore[misc]
            return await self._dead(d, wid, attempt, "endpoint_disabled", alert=False)
        try:
            await check_url(endpoint.url, self.config.allow_private_addresses)
        except AddressRefused as exc:
            return await self._dead(d, wid, attempt, f"address_refused: {exc}", alert=True)
        await self._redis.hset(self._keys.delivery(wid), "attempts", str(attempt))  # type: ignore[misc]
        # While this attempt runs it is not overdue: the reconciliation leaves it alone.
        busy_until = time.time() + self._timeout + 30
        await self._redis.zadd(self._keys.deliveries_due(), {wid: busy_until})
        now = datetime.now(UTC)
        body = unseal(self._cipher, d["body"])  # the same bytes on every attempt
        signature = " ".join(Webhook(s).sign(wid, now, body) for s in endpoint.secret)
        headers = {
            "content-type": CONTENT_TYPE,
            "user-agent": USER_AGENT,
            "webhook-id": wid,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signature,
        }
        started = time.perf_counter()
        status: int | None = None
        error = ""
        retry_after: float | None = None
        try:
            response = await self._http.post(
                endpoint.url, content=body.encode(), headers=headers, timeout=self._timeout
            )
            status = response.status_code
            if status in (429, 503):
                retry_after = retry_after_seconds(response.headers.get("retry-after"), now)
        except httpx.TimeoutException:
            error = "timeout"
        except httpx.HTTPError as exc:
            error = type(exc).__name__
        ms = round((time.perf_counter() - started) * 1000, 1)
        if status is not None and 200 <= status < 300:
            await self._log(d, wid, attempt, "delivered", status, "", ms)
            await self._redis.hset(  # type: ignore[misc]
                self._keys.delivery(wid),
                mapping={"state": "delivered", "last_status": status, "delivered_at": time.time()},
            )
            await self._redis.zrem(self._keys.deliveries_due(), wid)
            log.info("delivery.ok", webhook_id=wid, agency=agency, attempt=attempt, ms=ms)
            await Counters(self._redis, self._keys).add("deliveries")
            return AttemptResult("delivered", status)
        if status == 410:
            await self._log(d, wid, attempt, "endpoint_gone", status, "", ms)
            await self._redis.hset(  # type: ignore[misc]
                self._keys.disabled_endpoints(), agency,
                json.dumps({"at": now.isoformat(), "webhook_id": wid}),
            )  # fmt: skip
            await self._events.alert(
                d["subject"], "partner_endpoint_gone",
                f"{agency}: the endpoint answered 410 Gone and is disabled; "
                f"re-enable with `asb-intake partners enable {agency}`",
            )  # fmt: skip
            return await self._dead(d, wid, attempt, "endpoint_gone", alert=False, logged=True)
        detail = error or f"http {status}"
        if attempt >= len(self._schedule):
            await self._log(d, wid, attempt, "failed", status, error, ms)
            return await self._dead(d, wid, attempt, f"gave up: {detail}", alert=True, logged=True)
        wait = self._schedule[attempt]
        wait = wait * random.uniform(0.8, 1.2) if wait > 0 else 0.0  # jitter
        if retry_after is not None:
            wait = max(wait, retry_after)
        await self._log(d, wid, attempt, "failed", status, error, ms, next_in=wait)
        await self._redis.hset(  # type: ignore[misc]
            self._keys.delivery(wid),
            mapping={"state": "retrying", "last_status": status or "", "last_error": detail},
        )
        await self._redis.zadd(self._keys.deliveries_due(), {wid: time.time() + wait})
        await self._enqueue(wid, d["queue"], round_, attempt + 1, wait)
        log.info("delivery.retry", webhook_id=wid, agency=agency, attempt=attempt, wait=wait)
        await Counters(self._redis, self._keys).add("delivery_retries")
        return AttemptResult("retrying", status, wait)

    async def _log(
        self, d: dict[str, str], wid: str, attempt: int, outcome: str, status: int | None,
        error: str, ms: float, next_in: float | None = None,
    ) -> None:  # fmt: skip
        entry = {
            "webhook_id": wid, "agency": d["agency"], "type": d["type"],
            "round": d.get("round", "0"), "attempt": attempt, "outcome": outcome,
            "status": "" if status is None else status, "error": error, "ms": ms,
            "time": datetime.now(UTC).isoformat(),
            "next_in": "" if next_in is None else round(next_in, 2),
        }  # fmt: skip
        await self._redis.xadd(self._keys.case_deliveries(d["subject"]), entry)  # type: ignore[arg-type]

    async def _dead(
        self, d: dict[str, str], wid: str, attempt: int, reason: str, *, alert: bool,
        logged: bool = False,
    ) -> AttemptResult:  # fmt: skip
        if not logged:
            await self._log(d, wid, attempt, reason.split(":")[0], None, reason, 0.0)
        await self._redis.hset(  # type: ignore[misc]
            self._keys.delivery(wid), mapping={"state": "dead", "dead_reason": reason}
        )
        await self._redis.zrem(self._keys.deliveries_due(), wid)
        await self._redis.zadd(self._keys.dead_letters(), {wid: time.time()})
        await Counters(self._redis, self._keys).add("dead_letters")
        if alert:
            await self._events.alert(
                d["subject"], "partner_delivery_dead",
                f"{d['agency']} {d['type']} {wid}: {reason}; "
                f"`asb-intake deliveries replay {wid}` sends it again",
            )  # fmt: skip
        log.warning("delivery.dead", webhook_id=wid, agency=d["agency"], reason=reason)
        return AttemptResult("dead")

    # --- operators --------------------------------------------------------------------
    async def replay(self, wid: str) -> bool:
        """Send a dead letter again: a new round of the schedule, the same webhook-id."""
        d = await self.get(wid)
        if not d or d.get("state") != "dead":
            return False
        round_ = int(d.get("round", 0)) + 1
        await self._redis.hset(  # type: ignore[misc]
            self._keys.delivery(wid),
            mapping={"state": "pending", "round": round_, "attempts": 0, "dead_reason": ""},
        )
        await self._redis.zrem(self._keys.dead_letters(), wid)
        await self._redis.zadd(self._keys.deliveries_due(), {wid: time.time()})
        await self._enqueue(wid, d["queue"], round_, 1, 0)
        return True

    async def dead_letters(self) -> list[str]:
        return [_text(m) for m in await self._redis.zrange(self._keys.dead_letters(), 0, -1)]

    async def log_for(self, subject: str) -> list[dict[str, str]]:
        entries = await self._redis.xrange(self._keys.case_deliveries(subject))
        return [
            {"id": _text(i), **{_text(k): _text(v) for k, v in fields.items()}}
            for i, fields in entries
        ]

    async def enable(self, agency: str) -> bool:
        return bool(await self._redis.hdel(self._keys.disabled_endpoints(), agency))  # type: ignore[misc]

    async def reconcile(self, grace_seconds: float = 60.0) -> int:
        """Queue again any attempt overdue by `grace_seconds` (its job lost in a crash)."""
        cutoff = time.time() - grace_seconds
        overdue = await self._redis.zrangebyscore(self._keys.deliveries_due(), "-inf", cutoff)
        for raw in overdue:
            wid = _text(raw)
            d = await self.get(wid)
            if not d or d.get("state") in FINAL:
                await self._redis.zrem(self._keys.deliveries_due(), wid)
                continue
            await self._enqueue(wid, d["queue"], int(d["round"]), int(d["attempts"]) + 1, 0)
        return len(overdue)

    # --- case events (SLA) ------------------------------------------------------------
    async def forward_events(self, count: int = 200) -> int:
        """Deliver the SLA events of the case event stream to each case's agencies. A
        consumer group gives each event out at least once; the delivery id is derived
        from the stream id, so an event handled twice is delivered once."""
        stream = self._keys.events()
        try:
            await self._redis.xgroup_create(stream, _GROUP, id="0", mkstream=True)
        except Exception as exc:  # BUSYGROUP: it exists
            if "BUSYGROUP" not in str(exc):
                raise
        handled = 0
        for start in ("0", ">"):  # ours left unacknowledged by a crash first, then new ones
            replies = await self._redis.xreadgroup(_GROUP, _CONSUMER, {stream: start}, count=count)
            for _stream, entries in replies or []:
                for stream_id, fields in entries:
                    f = {_text(k): _text(v) for k, v in fields.items()}
                    if f.get("type") in (SLA_AT_RISK, SLA_BREACHED):
                        await self._forward_sla(_text(stream_id), f)
                        handled += 1
                    await self._redis.xack(stream, _GROUP, stream_id)
        return handled

    async def _forward_sla(self, stream_id: str, f: dict[str, str]) -> None:
        case = await self._cases.get(f["reference"])
        if case is None:
            return
        event = json.loads(f.get("data", "{}"))
        extra = {"sla": {"clock": event.get("clock"), "due": event.get("due"),
                         "promise": event.get("promise")}}  # fmt: skip
        await self.publish_case(case, f["type"], f"{f['reference']}:{stream_id}", extra)
