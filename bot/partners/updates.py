"""Updates from partner agencies: what they did, recorded on the case, relayed to the
other agencies and to the resident, and stopping the SLA clock each one satisfies.

    accepted          the agency takes the case (optionally naming the lead agency)
    spoc              the named officer (single point of contact) and how to reach them
    contacted         the resident was contacted          -> first_contact clock met
    meeting_arranged  a meeting is arranged (meeting_at)  -> meeting clock met
    action_taken      something was done (note)
    closed            the case is closed with an outcome  -> satisfaction question

Every update also meets the `update` clock where a partnership promises regular updates.
An `action_taken` or `closed` update may carry a `public_summary` for the district's public
page ("you said, we did", bot/community/outcomes.py), refused when it looks personal.
An agency may only see and update cases routed to it (or that it leads). Updates are
idempotent by their `id` (the partner's own, or one derived from the request).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any, Literal

from arq.connections import ArqRedis
from pydantic import BaseModel, ConfigDict, Field, model_validator
from redis.asyncio import Redis

from bot.cases.events import CaseEvents
from bot.cases.model import Case, CasePersonal, SlaClock, Spoc
from bot.cases.store import CaseStore
from bot.community.outcomes import (
    MAX_PUBLIC_SUMMARY_CHARS,
    PublishedOutcomes,
    mentions,
    personal_details,
)
from bot.partners.payload import CASE_CLOSED, CASE_UPDATED, case_data, share
from bot.partnerships import Partnership, Partnerships
from bot.platform.job_queue import QUEUE_NAME
from bot.platform.redis_keys import Keys

UpdateKind = Literal["accepted", "spoc", "contacted", "meeting_arranged", "action_taken", "closed"]
CLOCKS_MET: dict[str, SlaClock] = {"contacted": "first_contact", "meeting_arranged": "meeting"}


class SpocIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200)


class UpdateIn(BaseModel):
    """What a partner posts (docs/partners.md)."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9._:-]{1,80}$")
    kind: UpdateKind
    lead_agency: str | None = None
    spoc: SpocIn | None = None
    meeting_at: datetime | None = None
    note: str | None = Field(default=None, max_length=500)
    outcome: str | None = Field(default=None, max_length=500)
    # "You said, we did" on the district's public page: plain words, nothing personal.
    public_summary: str | None = Field(
        default=None, min_length=1, max_length=MAX_PUBLIC_SUMMARY_CHARS
    )

    @model_validator(mode="after")
    def _needs(self) -> UpdateIn:
        if self.kind == "spoc" and self.spoc is None:
            raise ValueError("a spoc update needs spoc.name")
        if self.kind == "closed" and not self.outcome:
            raise ValueError("a closed update needs an outcome")
        if self.kind == "meeting_arranged" and self.meeting_at is None:
            raise ValueError("a meeting_arranged update needs meeting_at")
        if self.meeting_at is not None and self.meeting_at.tzinfo is None:
            raise ValueError("meeting_at needs a time zone")
        if self.public_summary is not None:
            if self.kind not in ("action_taken", "closed"):
                raise ValueError("public_summary goes with an action_taken or closed update")
            if not self.public_summary.strip():
                raise ValueError("public_summary is empty")
            found = personal_details(self.public_summary)
            if found:
                raise ValueError(
                    f"public_summary is shown on a public page and looks like it holds {found}: "
                    "write it without personal details"
                )
        return self


class UpdateRefused(ValueError):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr"}


def _resident_words(personal: CasePersonal) -> list[str]:
    """The resident's name (each part of it), email, address and postcode, as a public
    summary might hold them; numbers are refused whoever's they are."""
    contact = personal.contact
    names = (contact.name or "").replace(".", " ").split()
    words = [n for n in names if len(n) > 1 and n.lower() not in _TITLES]
    return words + [
        v for v in (contact.name, contact.email, contact.address, personal.postcode) if v
    ]


def may_see(case: Case, agency: str) -> bool:
    return agency in case.routed_to or agency == case.lead_agency


class CaseUpdates:
    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        cases: CaseStore,
        events: CaseEvents,
        partnerships: Partnerships,
        pool: ArqRedis,
    ):
        self._redis = redis
        self._keys = keys
        self._cases = cases
        self._events = events
        self._partnerships = partnerships
        self._pool = pool

    async def visible_case(self, agency: str, reference: str) -> Case | None:
        """The case if this agency may see it. An unknown case and another agency's case
        look the same to the caller (no way to probe which references exist)."""
        case = await self._cases.get(reference)
        if case is None or not may_see(case, agency):
            return None
        return case

    async def view(self, agency: str, case: Case) -> dict[str, Any]:
        """The case as this agency's sharing agreement lets it see it, with its updates."""
        personal = await self._cases.get_personal(case.reference)
        partnership = self._partnerships.get(case.partnership)
        data = share(case_data(case, personal), partnership.agency(agency), case)
        return {
            "case": data,
            "spoc": case.spoc.model_dump() if case.spoc else None,
            "outcome": case.outcome,
            "updates": await self.updates(case.reference),
        }

    async def updates(self, reference: str) -> list[dict[str, Any]]:
        raw = await self._redis.lrange(self._keys.case_updates(reference), 0, -1)  # type: ignore[misc]
        return [json.loads(_text(r)) for r in raw]

    async def apply(
        self, agency: str, reference: str, update: UpdateIn, now: datetime | None = None
    ) -> tuple[dict[str, Any], bool]:
        """Record the update; returns it and whether it is new (False: a repeat of the same id)."""
        now = now or datetime.now(UTC)
        case = await self.visible_case(agency, reference)
        if case is None:
            raise UpdateRefused(404, "no such case for this agency")
        partnership = self._partnerships.get(case.partnership)
        if update.lead_agency is not None:
            try:
                lead = partnership.agency(update.lead_agency)
            except KeyError:
                raise UpdateRefused(422, "lead_agency: no such agency") from None
            if not lead.can_lead:
                raise UpdateRefused(422, "lead_agency: that agency cannot lead cases")
        if case.status == "closed" and update.kind != "closed":
            raise UpdateRefused(409, "the case is closed")
        if update.public_summary is not None:
            await self._check_public_summary(case, partnership, update.public_summary)
        body = update.model_dump(mode="json", exclude_none=True)
        update_id = (
            update.id
            or hashlib.sha256(
                json.dumps({**body, "by": agency}, sort_keys=True).encode()
            ).hexdigest()[:24]
        )
        stored = {**body, "id": update_id, "by_agency": agency, "at": now.isoformat()}
        claimed = await self._redis.sadd(f"{self._keys.case_updates(reference)}:ids", update_id)  # type: ignore[misc]
        if not claimed:
            for earlier in await self.updates(reference):
                if earlier["id"] == update_id:
                    return earlier, False
            return stored, False
        changed = await self._cases.update(
            reference, lambda c: self._change(c, agency, update, now)
        )
        await self._redis.rpush(self._keys.case_updates(reference), json.dumps(stored))  # type: ignore[misc]
        if update.public_summary is not None and changed is not None:
            outcomes = PublishedOutcomes(self._redis, self._keys)
            await outcomes.publish(changed, update.public_summary, now)
        if update.kind == "closed":  # retention: personal data goes N days after closure
            await self._cases.expire_personal(reference)
        await self._cases.wait_durable()
        event = CASE_CLOSED if update.kind == "closed" else CASE_UPDATED
        await self._events.record(
            reference, event, {"kind": update.kind, "by_agency": agency, "id": update_id}, now=now
        )
        await self._pool.enqueue_job(
            "relay_update", reference, update_id,
            _job_id=f"update:{reference}:{update_id}", _queue_name=QUEUE_NAME,
        )  # fmt: skip
        return stored, True

    async def _check_public_summary(self, case: Case, partnership: Partnership, text: str) -> None:
        """A published outcome goes on the public page of the case's district, and must not
        name the resident."""
        if case.postcode_district not in partnership.area.districts:
            raise UpdateRefused(
                422, "public_summary: the case's area has no public page to publish it on"
            )
        personal = await self._cases.get_personal(case.reference)
        if personal is not None and mentions(text, _resident_words(personal)):
            raise UpdateRefused(
                422, "public_summary names the resident or their details: write it without them"
            )

    @staticmethod
    def _change(case: Case, agency: str, update: UpdateIn, now: datetime) -> Case:
        changes: dict[str, Any] = {"last_update": update.kind, "last_update_at": now}
        routed = list(case.routed_to)
        if update.kind == "accepted":
            lead = update.lead_agency or agency
            changes["lead_agency"] = lead
            if lead not in routed:
                routed.append(lead)
        elif update.lead_agency:
            changes["lead_agency"] = update.lead_agency
            if update.lead_agency not in routed:
                routed.append(update.lead_agency)
        changes["routed_to"] = routed
        if update.spoc is not None:
            changes["spoc"] = Spoc(**update.spoc.model_dump())
        if update.kind == "closed":
            changes.update(status="closed", closed_at=now, outcome=update.outcome)
        met = {CLOCKS_MET[update.kind]} if update.kind in CLOCKS_MET else set()
        met.add("update")
        changes["deadlines"] = [
            d.model_copy(update={"met_at": now}) if d.clock in met and d.met_at is None else d
            for d in case.deadlines
        ]
        return case.model_copy(update=changes)

    async def get_update(self, reference: str, update_id: str) -> dict[str, Any] | None:
        for update in await self.updates(reference):
            if update["id"] == update_id:
                return update
        return None
