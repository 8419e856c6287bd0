"""Partner updates told to the resident on the channel they chose, and the satisfaction
question after closure.

The channel is chosen as for the acknowledgement (bot/acknowledgements/service.plan) and
sent by the same senders (SMS through the telephony sender, email, letter). Each notice is
claimed once (`asb:case:<ref>:notice:update-<id>`), so a job run twice does not send twice.

After a closure sent by text, the resident's number is asked for a score from 1 to 5 and
an optional comment; their next text is taken as the answer (`SatisfactionSurvey`), before
the dialogue sees it. A score of 1 or 2 is answered with the complaint route.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import structlog
from redis.asyncio import Redis

from bot.acknowledgements.channels import EmailSender, LetterPrinter, SmsPort, send_sms
from bot.acknowledgements.content import Acknowledgement
from bot.acknowledgements.service import plan
from bot.cases.events import CaseEvents
from bot.cases.model import Case
from bot.cases.store import CaseStore
from bot.contact import pseudonymous_key
from bot.partners.delivery import PartnerDelivery
from bot.partners.payload import CASE_CLOSED, CASE_UPDATED
from bot.partners.updates import CaseUpdates
from bot.partnerships import Partnership, Partnerships
from bot.redis_keys import Keys
from bot.sla import local_datetime_text

log = structlog.get_logger("asb.relay")

SURVEY_TTL_SECONDS = 14 * 86_400
SURVEY_QUESTION = (
    "How happy are you with how your report was handled? Reply with a number from 1 (very "
    "unhappy) to 5 (very happy), and a comment if you like."
)
_SCORE = re.compile(r"^\s*([1-5])(?:\s*(?:/\s*5|out of 5))?\b[\s.,:;!-]*(.*)$", re.DOTALL)


def update_text(case: Case, partnership: Partnership, update: dict[str, Any]) -> str:
    """The resident's message for one update, plain and short enough for a text."""
    ref = case.reference
    kind = update["kind"]
    who = _agency_name(partnership, update.get("lead_agency") or update["by_agency"])
    if kind == "accepted":
        text = f"Update on your ASB report {ref}: {who} is dealing with it."
    elif kind == "spoc":
        spoc = update.get("spoc") or {}
        how = " or ".join(v for v in (spoc.get("phone"), spoc.get("email")) if v)
        text = f"Update on {ref}: your named contact is {spoc.get('name')}" + (
            f", {how}." if how else "."
        )
    elif kind == "contacted":
        text = f"Update on {ref}: {who} has recorded that they have been in touch with you."
    elif kind == "meeting_arranged":
        when = datetime.fromisoformat(update["meeting_at"])
        text = f"Update on {ref}: a meeting is arranged for {local_datetime_text(when)}."
    elif kind == "action_taken":
        text = f"Update on {ref}: {update.get('note') or 'action has been taken.'}"
    else:
        text = f"Your ASB report {ref} is now closed. Outcome: {update.get('outcome')}"
    return text


def _agency_name(partnership: Partnership, agency_id: str) -> str:
    try:
        return partnership.agency(agency_id).name
    except KeyError:
        return agency_id


class ResidentNotifier:
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
        secret: bytes,
    ):
        self._redis = redis
        self._keys = keys
        self._cases = cases
        self._events = events
        self._partnerships = partnerships
        self._sms = sms
        self._email = email
        self._letters = letters
        self._secret = secret

    async def send(self, case: Case, kind: str, subject: str, paragraphs: list[str]) -> str:
        """One notice, at most once. Returns the channel's outcome."""
        key = self._keys.notice(case.reference, kind)
        if not await self._redis.hsetnx(key, "state", "sending"):  # type: ignore[misc]
            return "already"
        personal = await self._cases.get_personal(case.reference)
        decision = plan(case, personal, self._partnerships.get(case.partnership))
        content = Acknowledgement(subject, paragraphs, " ".join(paragraphs))
        outcome: str = decision.channel
        if decision.channel == "sms" and decision.to:
            outcome = (await send_sms(self._sms, decision.to, content, case.reference)).outcome
        elif decision.channel == "email" and decision.to:
            outcome = (await self._email.send(decision.to, content, case.reference, kind)).outcome
        elif decision.channel == "letter" and decision.to:
            name = personal.contact.name if personal else None
            delivery = await self._letters.send(decision.to, name, content, case.reference, kind)
            outcome = delivery.outcome
        elif decision.channel == "callback":
            await self._events.alert(
                case.reference, "resident_update_by_phone", f"{kind}: phone the resident"
            )
        await self._redis.hset(  # type: ignore[misc]
            key, mapping={"state": outcome, "channel": decision.channel,
                          "at": datetime.now(UTC).isoformat()},
        )  # fmt: skip
        log.info("resident.notice", reference=case.reference, kind=kind, outcome=outcome)
        return outcome

    async def relay(
        self, updates: CaseUpdates, partners: PartnerDelivery, reference: str, update_id: str
    ) -> str:
        """Relay one partner update: to the case's other agencies, then to the resident."""
        case = await self._cases.get(reference)
        update = await updates.get_update(reference, update_id)
        if case is None or update is None:
            return "missing"
        partnership = self._partnerships.get(case.partnership)
        closed = update["kind"] == "closed"
        extra = {"update": update, **({"outcome": update.get("outcome")} if closed else {})}
        await partners.publish_case(
            case, CASE_CLOSED if closed else CASE_UPDATED, f"{reference}:update:{update_id}",
            extra, exclude=(update["by_agency"],),
        )  # fmt: skip
        text = update_text(case, partnership, update)
        paragraphs = [text]
        if closed:
            paragraphs += [SURVEY_QUESTION, partnership.complaint_text()]
        subject = f"Your anti-social behaviour report {reference}"
        outcome = await self.send(case, f"update-{update_id}", subject, paragraphs)
        if closed and outcome in ("sent", "outbox"):
            await self._ask_satisfaction(case)
        return outcome

    async def _ask_satisfaction(self, case: Case) -> None:
        personal = await self._cases.get_personal(case.reference)
        if personal is None or not personal.contact.phone:
            return
        conversation = pseudonymous_key(self._secret, "sms", personal.contact.phone)
        await self._redis.set(
            self._keys.satisfaction_pending(conversation), case.reference, ex=SURVEY_TTL_SECONDS
        )


class SatisfactionSurvey:
    """Takes a resident's reply to the satisfaction question, on the conversation it was
    asked on (a text conversation is keyed by the number)."""

    def __init__(self, redis: Redis, keys: Keys, cases: CaseStore, partnerships: Partnerships):
        self._redis = redis
        self._keys = keys
        self._cases = cases
        self._partnerships = partnerships

    def pending_key(self, conversation_key: str) -> str:
        """Holds the case reference whose satisfaction question awaits a reply."""
        return self._keys.satisfaction_pending(conversation_key)

    async def answer(self, conversation_key: str, reference: str, text: str) -> str | None:
        """The reply when `text` answers the question asked about `reference` (as held
        at `pending_key`); None to carry on as usual."""
        pending = self.pending_key(conversation_key)
        match = _SCORE.match(text)
        if match is None:
            return None
        score, comment = int(match.group(1)), match.group(2).strip()[:1000] or None
        case = await self._cases.update(
            reference, lambda c: c.model_copy(update={"satisfaction": score})
        )
        if case is None:
            return None
        if comment:
            personal = await self._cases.get_personal(reference)
            if personal is not None:
                personal = personal.model_copy(update={"satisfaction_comment": comment})
                await self._cases.set_personal(reference, personal)
        await self._redis.delete(pending)
        await self._cases.wait_durable()
        log.info("satisfaction.recorded", reference=reference, score=score)
        reply = f"Thank you, we have recorded your answer for {reference}."
        if score <= 2:
            reply += " We are sorry. " + self._partnerships.get(case.partnership).complaint_text()
        return reply
