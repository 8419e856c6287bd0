"""Turning a finished report into a durable case with a reference."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from datetime import UTC, datetime
from typing import Literal

import structlog

from bot.cases.model import (
    Case,
    CasePersonal,
    ContactDetails,
    ReportAnswers,
    Risk,
)
from bot.cases.reference import new_reference
from bot.cases.repeat_victims import RepeatVictims
from bot.cases.routing import CaseFacts, route
from bot.cases.sla import case_deadlines
from bot.cases.store import CaseStore
from bot.partnerships import Partnerships
from bot.platform.counters import Counters
from bot.platform.job_queue import JobQueue
from bot.platform.messages import Channel
from bot.privacy.contact import find_postcode, postcode_district, pseudonymous_key
from bot.safety.flags import SafetyFlags, TriageFlags
from bot.safety.risk import assess_risk

log = structlog.get_logger("asb.cases")

_NOW_WORDS = ("happening now", "right now", "now")
# How long a conversation's submission is remembered, so the same report sent again (its
# answer lost when a gateway or Rasa died mid-turn) tells the same reference.
SUBMISSION_TTL_SECONDS = 86_400
# How long to wait for an identical submission under way elsewhere to store its case.
_EARLIER_SUBMISSION_WAIT_SECONDS = 10.0


class CaseIntake:
    def __init__(
        self,
        store: CaseStore,
        jobs: JobQueue,
        secret: bytes,
        partnerships: Partnerships,
        repeats: RepeatVictims | None = None,
        counters: Counters | None = None,
    ):
        self._store = store
        self._jobs = jobs
        self._secret = secret
        self._partnerships = partnerships
        self._repeats = repeats
        self._counters = counters

    async def submit(
        self,
        *,
        answers: ReportAnswers,
        contact: ContactDetails,
        consent_to_share: bool,
        channel: Channel,
        flags: TriageFlags,
        partnership: str | None = None,
        landlord: str | None = None,
        conversation_key: str | None = None,
    ) -> Case:
        """Store the case durably, queue case.created, and return it. Raises NotDurableError
        when the store cannot confirm the write: the caller must not tell a reference then.

        `partnership` is the council area the resident chose when the postcode district was
        shared or unknown; otherwise the district decides (without a postcode, the town or
        neighbourhood named), or the deployment's default.
        `landlord` is the housing agency the resident rents from, when they said.

        A conversation that submits the same report again gets the case it already has:
        when a gateway dies mid-turn, Rasa abandons the turn (its tracker unsaved) while
        the action stores the case, and the resident, never told, sends it again."""
        reference = await self._claim_reference()
        digest = _submission_digest(
            answers, contact, consent_to_share, channel, partnership, landlord
        )
        if conversation_key is not None:
            earlier = await self._store.claim_submission(
                conversation_key, digest, reference, SUBMISSION_TTL_SECONDS
            )
            if earlier is not None:
                case = await self._earlier_case(earlier)
                if case is not None:
                    await self._store.release(reference)
                    await self._store.wait_durable()  # its reference is told again
                    log.info("case.resubmitted", reference=case.reference, channel=channel)
                    return case
                # The earlier submission never stored its case: this one takes over.
                await self._store.record_submission(
                    conversation_key, digest, reference, SUBMISSION_TTL_SECONDS
                )
        postcode = find_postcode(answers.incident_location)
        district = postcode_district(postcode) if postcode else None
        assessment = assess_risk(
            answers.model_dump(),
            hate_crime=flags.hate_crime,
            danger_unconfirmed=flags.danger_unconfirmed,
        )
        resolution: Literal["matched", "asked", "default"]
        if partnership in self._partnerships:
            chosen, resolution = self._partnerships.get(partnership or ""), "asked"
        else:
            match = self._partnerships.match_location(answers.incident_location)
            if match.resolution == "matched" and match.partnership:
                chosen, resolution = self._partnerships.get(match.partnership), "matched"
            else:
                chosen, resolution = self._partnerships.default, "default"
        created_at = datetime.now(UTC)
        repeat = (
            await self._repeats.record_and_check(chosen, contact, reference, created_at)
            if self._repeats is not None and contact.method != "none"
            else None
        )
        routed = route(
            chosen,
            CaseFacts(
                category=flags.category, subtype=flags.subtype, risk=assessment.level,
                emergency=flags.emergency, hate_crime=flags.hate_crime,
                consent_to_share=consent_to_share,
                repeat_victim=bool(repeat and repeat.repeat_victim), landlord=landlord,
            ),
        )  # fmt: skip
        case = Case(
            reference=reference,
            created_at=created_at,
            channel=channel,
            partnership=chosen.id,
            contact_key=self._contact_key(contact),
            contact_method=contact.method,
            anonymous=contact.method == "none",
            consent_to_share=consent_to_share,
            happening_now=answers.incident_time.strip().lower() in _NOW_WORDS,
            postcode_district=district,
            flags=SafetyFlags.model_validate(flags.contract_dict()),
            risk=Risk.model_validate(
                {
                    "level": assessment.level,
                    "score": assessment.score,
                    "reasons": assessment.reasons,
                }
            ),
            area_resolution=resolution,
            landlord=landlord,
            lead_agency=routed.lead,
            routed_to=list(routed.notify),
            unroutable=routed.unroutable,
            repeat_victim=bool(repeat and repeat.repeat_victim),
            prior_reports=(repeat.reports - 1) if repeat else 0,
            deadlines=case_deadlines(
                chosen, created_at, hate_crime=flags.hate_crime, risk_level=assessment.level
            ),
            acknowledgement="not_sent_anonymous" if contact.method == "none" else "pending",
            conversation_key=conversation_key,
        )
        media = await self._store.media_links(conversation_key) if conversation_key else []
        personal = CasePersonal(
            answers=answers, contact=contact, postcode=postcode, evidence=flags.evidence,
            media=media,
        )  # fmt: skip
        await self._store.save_new(case, personal)
        await self._jobs.case_created(reference)
        if self._counters is not None:
            await self._counters.add("cases")
        log.info("case.stored", reference=reference, channel=channel, risk=case.risk.level)
        return case

    async def case(self, reference: str) -> Case | None:
        return await self._store.get(reference)

    async def stored_since(self, conversation_key: str, since: float) -> Case | None:
        """The newest case the conversation stored at or after `since` (a Unix time)."""
        cases = [await self._store.get(r) for r in await self._store.submissions(conversation_key)]
        recent = [c for c in cases if c is not None and c.created_at.timestamp() >= since]
        return max(recent, key=lambda c: c.created_at, default=None)

    async def _earlier_case(self, reference: str) -> Case | None:
        """The case an identical submission stored, waiting a little if it is under way."""
        deadline = time.monotonic() + _EARLIER_SUBMISSION_WAIT_SECONDS
        while (case := await self._store.get(reference)) is None:
            if time.monotonic() > deadline:
                return None
            await asyncio.sleep(0.1)
        return case

    async def _claim_reference(self) -> str:
        while True:
            reference = new_reference()
            if await self._store.reserve(reference):
                return reference

    def _contact_key(self, contact: ContactDetails) -> str | None:
        if contact.phone:
            return pseudonymous_key(self._secret, "phone", contact.phone)
        if contact.email:
            return pseudonymous_key(self._secret, "email", contact.email.lower())
        return None


def _submission_digest(
    answers: ReportAnswers,
    contact: ContactDetails,
    consent_to_share: bool,
    channel: Channel,
    partnership: str | None,
    landlord: str | None,
) -> str:
    """Names the report's content, not the resident (only the conversation holds it); the
    calendar reading of when is left out, as it depends on when the report was sent."""
    said = answers.model_dump(mode="json", exclude={"incident_when"})
    content = json.dumps(
        [said, contact.model_dump(mode="json"), consent_to_share, channel, partnership, landlord],
        sort_keys=True,
    )  # fmt: skip
    return hashlib.sha256(content.encode()).hexdigest()[:32]
