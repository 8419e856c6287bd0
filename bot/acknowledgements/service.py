"""Sending the written acknowledgement once, by the resident's chosen channel.

The state of each notice is a Redis hash (`asb:case:<ref>:notice:acknowledgement`):

    pending -> sending -> sent | outbox           (done)
                       -> failed -> sending ...   (retried with backoff until the deadline)
                       -> undeliverable           (refused, or the deadline passed: alert)
               sending (lease expired) -> uncertain  (a worker died mid-send: alert, no resend)
    callback_owed | not_required                  (a person phones; anonymous)

`sending` is claimed atomically (a Lua script) immediately before the provider call and
recorded after it. A worker killed after the provider took the message but before
`sent` was recorded leaves `sending`; once its lease has expired nobody sends again
(at most once for SMS and email): the notice becomes `uncertain` and an operator alert
asks a person to check the provider's log. Letters are files named by reference, so
placing one again replaces it. See docs/acknowledgements.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, cast

import structlog
from redis.asyncio import Redis

from bot.acknowledgements.channels import Delivery, EmailSender, LetterPrinter, SmsPort, send_sms
from bot.acknowledgements.content import Acknowledgement, compose
from bot.acknowledgements.offers import Offer, UpdateOfferPort
from bot.cases.events import (
    ACK_CALLBACK_OWED,
    ACK_NOT_REQUIRED,
    ACK_SENT,
    ACK_UNCERTAIN,
    ACK_UNDELIVERABLE,
    CaseEvents,
)
from bot.cases.model import AckStatus, Case, CasePersonal
from bot.cases.pin import case_pin
from bot.cases.store import CaseStore
from bot.partnerships import Partnership, Partnerships
from bot.platform.counters import Counters
from bot.platform.redis_keys import Keys
from bot.privacy.contact import is_mobile

log = structlog.get_logger("asb.acknowledgements")

KIND = "acknowledgement"
# Waits between attempts after a failure; the last is repeated until the deadline.
BACKOFF_SECONDS = (10, 30, 120, 300, 900, 1800, 3600, 7200, 14400)

Channel = Literal["sms", "email", "letter", "callback", "none"]

# The final states of a notice (each is also the case's acknowledgement status) and the
# event each makes.
_FINAL_EVENTS = {
    "sent": ACK_SENT, "outbox": ACK_SENT, "uncertain": ACK_UNCERTAIN,
    "undeliverable": ACK_UNDELIVERABLE,
}  # fmt: skip

_CLAIM = """
local state = redis.call('HGET', KEYS[1], 'state')
if state == false or state == 'pending' or state == 'failed' then
  local n = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
  redis.call('HSET', KEYS[1], 'state', 'sending', 'lease_until', ARGV[2],
             'channel', ARGV[3], 'claimed_at', ARGV[1])
  return {'claimed', tostring(n)}
end
return {state, redis.call('HGET', KEYS[1], 'attempts') or '0'}
"""


def _final_event(
    outcome: str, channel: str, notice: dict[str, str]
) -> tuple[dict[str, object], tuple[str, str] | None]:
    """The event data of a final outcome, and the operator alert (problem, detail) it
    raises: none for one that went."""
    if outcome in ("sent", "outbox"):
        attempts = int(notice.get("attempts", 0))
        return {"channel": channel, "outcome": outcome, "attempts": attempts}, None
    if outcome == "uncertain":
        detail = (
            f"{channel}: a worker stopped while sending; check the provider's log, "
            "it was not sent again"
        )
        return {"channel": channel}, ("acknowledgement_uncertain", detail)
    detail = notice.get("last_error", "")
    return {"channel": channel, "detail": detail}, (
        "acknowledgement_undeliverable",
        f"{channel}: {detail}",
    )


@dataclass(frozen=True)
class Plan:
    channel: Channel
    to: str | None = None
    why: str = ""


def plan(case: Case, personal: CasePersonal | None, partnership: Partnership) -> Plan:
    """Which channel the acknowledgement goes by.

    - anonymous (no contact): none;
    - text message: SMS; email: email; letter: letter (needs a postal address);
    - phone (a phone call chosen, on any channel): SMS when the number is a mobile, since
      an acknowledgement must be written; otherwise a person calls back (callback owed);
    - a channel the partnership does not offer for updates is replaced by a written one it
      offers for which we have details, else a call-back.
    """
    if case.anonymous or personal is None or case.contact_method == "none":
        return Plan("none", why="anonymous")
    contact = personal.contact
    offered = set(partnership.update_channels)
    options: list[Plan] = []
    method = case.contact_method
    mobile = contact.phone if contact.phone and is_mobile(contact.phone) else None
    if method in ("sms", "phone") and mobile:
        options.append(Plan("sms", mobile, f"{method}, mobile"))
    if method == "email" and contact.email:
        options.append(Plan("email", contact.email, "email"))
    if method == "letter" and contact.address:
        options.append(Plan("letter", contact.address, "letter"))
    # Fallbacks with the details we hold, in order.
    if mobile:
        options.append(Plan("sms", mobile, "fallback: mobile"))
    if contact.email:
        options.append(Plan("email", contact.email, "fallback: email"))
    if contact.address:
        options.append(Plan("letter", contact.address, "fallback: letter"))
    for option in options:
        if option.channel in offered:
            return option
    if contact.phone and "phone" in offered:
        return Plan("callback", None, "phone: not a mobile")
    return Plan("callback", None, "no written channel offered")


@dataclass(frozen=True)
class Attempt:
    state: str
    retry_at: datetime | None = None
    attempts: int = 0


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class Acknowledger:
    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        cases: CaseStore,
        events: CaseEvents,
        partnerships: Partnerships,
        *,
        sms: SmsPort,
        email: EmailSender,
        letters: LetterPrinter,
        lease_seconds: float = 120,
        pin_secret: bytes | None = None,
        updates: UpdateOfferPort | None = None,
    ):
        self._redis = redis
        self._keys = keys
        self._cases = cases
        self._events = events
        self._partnerships = partnerships
        self._sms = sms
        self._email = email
        self._letters = letters
        self._lease = lease_seconds
        self._pin_secret = pin_secret
        self._updates = updates
        self._claim = redis.register_script(_CLAIM)

    def _key(self, reference: str) -> str:
        return self._keys.notice(reference, KIND)

    async def state(self, reference: str) -> dict[str, str]:
        raw = await self._redis.hgetall(self._key(reference))  # type: ignore[misc]
        return {_text(k): _text(v) for k, v in raw.items()}

    async def start(self, case: Case, now: datetime | None = None) -> Attempt:
        """On case.created: decide, and either record that none is owed (anonymous), that a
        person must call, or make the notice pending (the caller queues the first attempt)."""
        now = now or datetime.now(UTC)
        key = self._key(case.reference)
        personal = await self._cases.get_personal(case.reference)
        decision = plan(case, personal, self._partnerships.get(case.partnership))
        if decision.channel == "none":
            if await self._redis.hsetnx(key, "state", "not_required"):  # type: ignore[misc]
                await self._events.record(case.reference, ACK_NOT_REQUIRED, {"why": "anonymous"})
                await self._mark(case.reference, "not_sent_anonymous")
            return Attempt("not_required")
        if decision.channel == "callback":
            if await self._redis.hsetnx(key, "state", "callback_owed"):  # type: ignore[misc]
                await self._redis.zadd(
                    self._keys.callbacks_owed(), {case.reference: now.timestamp()}
                )
                await self._events.record(case.reference, ACK_CALLBACK_OWED, {"why": decision.why})
                await self._mark(case.reference, "callback_owed")
            return Attempt("callback_owed")
        await self._redis.hsetnx(key, "state", "pending")  # type: ignore[misc]
        await self._redis.zadd(self._keys.notices_due(), {case.reference: now.timestamp()}, nx=True)
        current = await self.state(case.reference)
        return Attempt(current.get("state", "pending"), now, int(current.get("attempts", 0)))

    async def attempt(self, reference: str, now: datetime | None = None) -> Attempt:
        """One attempt to send; safe to call any number of times, from any worker."""
        now = now or datetime.now(UTC)
        case = await self._cases.get(reference)
        if case is None:
            return Attempt("missing")
        partnership = self._partnerships.get(case.partnership)
        personal = await self._cases.get_personal(reference)
        decision = plan(case, personal, partnership)
        if decision.channel in ("none", "callback"):
            return await self.start(case, now)
        key = self._key(reference)
        await self._redis.hsetnx(key, "state", "pending")  # type: ignore[misc]
        lease_until = (now + timedelta(seconds=self._lease)).timestamp()
        got = await self._claim(keys=[key], args=[now.timestamp(), lease_until, decision.channel])
        state, attempts = _text(got[0]), int(_text(got[1]))
        if state == "sending":
            return await self._sending_found(reference, now, attempts)
        if state != "claimed":
            current = await self.state(reference)
            if current.get("state") in _FINAL_EVENTS:  # what a killed worker left undone
                await self._finish(reference, current, maybe_recorded=True)
            else:
                await self._redis.zrem(self._keys.notices_due(), reference)
            return Attempt(state, attempts=attempts)
        name = personal.contact.name if personal else None
        pin = case_pin(self._pin_secret, reference) if self._pin_secret else None
        offer = await self._offer(case, partnership, decision)
        content = compose(
            case, partnership, name=name, channel=decision.channel, pin=pin,
            updates_link=offer.link if offer else None,
        )  # fmt: skip
        assert decision.to is not None
        delivery = await self._deliver(decision, content, reference, name)
        return await self._record(case, delivery, decision, attempts, now)

    async def _offer(self, case: Case, partnership: Partnership, decision: Plan) -> Offer | None:
        """The monthly neighbourhood update offered at the end of an email (a text has no
        room for it: the next text about the case carries it, bot/partners/relay.py). An
        optional extra: a failure to record it never holds the acknowledgement up."""
        if self._updates is None or decision.channel != "email" or decision.to is None:
            return None
        try:
            return await self._updates.make(
                partnership, case.postcode_district, "email", decision.to
            )
        except Exception:
            log.exception("ack.updates_offer_error", reference=case.reference)
            return None

    async def _deliver(
        self, decision: Plan, content: Acknowledgement, reference: str, name: str | None
    ) -> Delivery:
        assert decision.to is not None
        try:
            if decision.channel == "sms":
                return await send_sms(self._sms, decision.to, content, reference)
            if decision.channel == "email":
                return await self._email.send(decision.to, content, reference, KIND)
            return await self._letters.send(decision.to, name, content, reference, KIND)
        except Exception as exc:  # a bug or an outage must not leave the claim dangling
            log.exception("ack.send_error", reference=reference, channel=decision.channel)
            return Delivery("failed", detail=type(exc).__name__)

    async def _record(
        self, case: Case, delivery: Delivery, decision: Plan, attempts: int, now: datetime
    ) -> Attempt:
        reference, key = case.reference, self._key(case.reference)
        if delivery.outcome in ("sent", "outbox"):
            await self._redis.hset(  # type: ignore[misc]
                key, mapping={"state": delivery.outcome, "provider_id": delivery.provider_id or "",
                              "sent_at": now.isoformat()},
            )  # fmt: skip
            await self._cases.wait_durable()
            await self._finish(reference, await self.state(reference))
            log.info("ack.sent", reference=reference, channel=decision.channel, attempts=attempts)
            return Attempt(delivery.outcome, attempts=attempts)
        deadline = case.deadline("acknowledgement")
        wait = BACKOFF_SECONDS[min(attempts - 1, len(BACKOFF_SECONDS) - 1)]
        retry_at = now + timedelta(seconds=wait)
        if delivery.outcome == "refused" or (deadline is not None and retry_at > deadline.due):
            return await self._undeliverable(reference, decision.channel, delivery.detail, attempts)
        await self._redis.hset(key, mapping={"state": "failed", "last_error": delivery.detail})  # type: ignore[misc]
        await self._redis.zadd(self._keys.notices_due(), {reference: retry_at.timestamp()})
        log.info("ack.retry", reference=reference, attempts=attempts, wait=wait)
        return Attempt("failed", retry_at, attempts)

    async def _undeliverable(
        self, reference: str, channel: str, detail: str, attempts: int
    ) -> Attempt:
        await self._redis.hset(  # type: ignore[misc]
            self._key(reference),
            mapping={"state": "undeliverable", "last_error": detail, "channel": channel},
        )
        await self._finish(reference, await self.state(reference))
        log.warning("ack.undeliverable", reference=reference, channel=channel, detail=detail)
        return Attempt("undeliverable", attempts=attempts)

    async def _sending_found(self, reference: str, now: datetime, attempts: int) -> Attempt:
        """Another attempt holds the claim. While its lease runs it may still be sending;
        after that its worker died mid-send: maybe sent, so never send again."""
        state = await self.state(reference)
        if float(state.get("lease_until", "0")) > now.timestamp():
            return Attempt("sending", attempts=attempts)
        await self._redis.hset(self._key(reference), "state", "uncertain")  # type: ignore[misc]
        await self._finish(reference, {**state, "state": "uncertain"})
        log.warning("ack.uncertain", reference=reference, channel=state.get("channel", ""))
        return Attempt("uncertain", attempts=attempts)

    async def _finish(
        self, reference: str, notice: dict[str, str], maybe_recorded: bool = False
    ) -> None:
        """Everything after a final notice state, safe to run again: the case shows the
        outcome, its event (and any alert) is recorded once, and only then does the notice
        leave the due set, so the reconciliation finishes what a killed worker left half
        done rather than leave the case waiting on an acknowledgement that went. Only
        such a finish (`maybe_recorded`) reads the case's events to see what was done."""
        outcome, channel = notice["state"], notice.get("channel", "")
        sent_at = notice.get("sent_at") if outcome in ("sent", "outbox") else None
        await self._mark(
            reference, cast(AckStatus, outcome),
            met_at=datetime.fromisoformat(sent_at) if sent_at else None,
        )  # fmt: skip
        event_type = _FINAL_EVENTS[outcome]
        done = maybe_recorded and any(
            e.type == event_type for e in await self._events.for_case(reference)
        )
        if not done:
            data, alert = _final_event(outcome, channel, notice)
            await self._events.record(reference, event_type, data)
            if alert is not None:
                await self._events.alert(reference, *alert)
            else:
                await Counters(self._redis, self._keys).add("acknowledgements")
        await self._redis.zrem(self._keys.notices_due(), reference)

    async def _mark(
        self, reference: str, status: AckStatus, met_at: datetime | None = None
    ) -> None:
        def change(case: Case) -> Case:
            deadlines = [
                d.model_copy(update={"met_at": met_at})
                if met_at and d.clock == "acknowledgement" and d.met_at is None else d
                for d in case.deadlines
            ]  # fmt: skip
            return case.model_copy(update={"acknowledgement": status, "deadlines": deadlines})

        await self._cases.update(reference, change)

    async def due(self, before: datetime) -> list[str]:
        """References with an attempt due before `before` (for the reconciliation)."""
        members = await self._redis.zrangebyscore(
            self._keys.notices_due(), "-inf", before.timestamp()
        )
        return [_text(m) for m in members]
