"""Partner updates told to the resident on the channel they chose, and the questions
asked after closure (bot/partners/survey.py).

The channel is chosen as for the acknowledgement (bot/acknowledgements/service.plan) and
sent by the same senders (SMS through the telephony sender, email, letter). Each notice is
claimed once (`asb:case:<ref>:notice:update-<id>`), so a job run twice does not send twice.
The first text after the acknowledgement ends with the offer of the monthly neighbourhood
update (bot/community/subscriptions.py), for which the acknowledgement's own has no room.

At closure the satisfaction question goes the resident's way (`survey_way`):
- a notice by email or letter carries a personal link to the survey page;
- a resident who chose phone, or who reported by phone, gets a call that speaks the
  outcome and takes the answers by keypad (`SurveyCallPort`, telephony/survey_call.py);
  with no way to place calls, an operator is alerted to phone them, as for any update;
- a notice by text asks for a score from 1 to 5 and an optional comment; their next text
  is taken as the answer (`SatisfactionSurvey`), before the dialogue sees it, and the
  thank-you asks the perception question, answered A-D or SKIP. A score of 1 or 2 is
  answered with the complaint route.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

import structlog
from redis.asyncio import Redis

from bot.acknowledgements.channels import EmailSender, LetterPrinter, SmsPort, send_sms
from bot.acknowledgements.content import Acknowledgement, updates_offer_sms
from bot.acknowledgements.offers import UpdateOfferPort
from bot.acknowledgements.service import plan
from bot.cases.events import CaseEvents
from bot.cases.model import Case, CasePersonal
from bot.cases.sla import local_datetime_text
from bot.cases.store import CaseStore
from bot.partners.delivery import PartnerDelivery
from bot.partners.payload import CASE_CLOSED, CASE_UPDATED
from bot.partners.survey import SurveyAnswers, SurveyLinks, read_perception
from bot.partners.updates import CaseUpdates
from bot.partnerships import Partnership, Partnerships
from bot.platform.redis_keys import Keys
from bot.privacy.contact import pseudonymous_key

log = structlog.get_logger("asb.relay")

SURVEY_TTL_SECONDS = 14 * 86_400
SURVEY_QUESTION = (
    "How happy are you with how your report was handled? Reply with a number from 1 (very "
    "unhappy) to 5 (very happy), and a comment if you like."
)
# Asked once, in the thank-you for the score: the next text either answers it or lapses it.
PERCEPTION_TTL_SECONDS = 2 * 86_400
PERCEPTION_SMS = (
    "One more question: how much of a problem is anti-social behaviour in your area? "
    "A: a very big problem, B: a fairly big problem, C: not a very big problem, "
    "D: not a problem at all. Reply A, B, C or D, or SKIP."
)
SURVEY_CALL_NOTICE = "We will phone you to ask how we did."
_SCORE = re.compile(r"^\s*([1-5])(?:\s*(?:/\s*5|out of 5))?\b[\s.,:;!-]*(.*)$", re.DOTALL)

SurveyWay = Literal["sms", "link", "call", "none"]


class SurveyCallPort(Protocol):
    """Places the survey call after closure (telephony/survey_call.py): the core imports
    no channel."""

    async def request(self, case: Case, phone: str) -> None: ...


def survey_way(
    case: Case, personal: CasePersonal | None, channel: str, *, links: bool, calls: bool
) -> SurveyWay:
    """How the resident is asked at closure, given the channel the closing notice goes by."""
    if channel in ("email", "letter") and links:
        return "link"
    phone = personal.contact.phone if personal is not None else None
    if phone and calls and (case.contact_method == "phone" or case.channel == "voice"):
        return "call"
    return "sms" if channel == "sms" else "none"


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
        links: SurveyLinks | None = None,
        calls: SurveyCallPort | None = None,
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
        self._secret = secret
        self._links = links
        self._calls = calls
        self._updates = updates

    async def send(
        self, case: Case, kind: str, subject: str, paragraphs: list[str], *, phoned: bool = False
    ) -> str:
        """One notice, at most once. Returns the channel's outcome. `phoned`: a call will
        tell the resident, so a phone-only resident needs no operator to ring them."""
        key = self._keys.notice(case.reference, kind)
        if not await self._redis.hsetnx(key, "state", "sending"):  # type: ignore[misc]
            return "already"
        personal = await self._cases.get_personal(case.reference)
        decision = plan(case, personal, self._partnerships.get(case.partnership))
        sms = " ".join(paragraphs)
        if decision.channel == "sms" and decision.to:
            sms += await self._updates_offer(case, decision.to)
        content = Acknowledgement(subject, paragraphs, sms)
        outcome: str = decision.channel
        if decision.channel == "sms" and decision.to:
            outcome = (await send_sms(self._sms, decision.to, content, case.reference)).outcome
        elif decision.channel == "email" and decision.to:
            outcome = (await self._email.send(decision.to, content, case.reference, kind)).outcome
        elif decision.channel == "letter" and decision.to:
            name = personal.contact.name if personal else None
            delivery = await self._letters.send(decision.to, name, content, case.reference, kind)
            outcome = delivery.outcome
        elif decision.channel == "callback" and not phoned:
            await self._events.alert(
                case.reference, "resident_update_by_phone", f"{kind}: phone the resident"
            )
        await self._redis.hset(  # type: ignore[misc]
            key, mapping={"state": outcome, "channel": decision.channel,
                          "at": datetime.now(UTC).isoformat()},
        )  # fmt: skip
        log.info("resident.notice", reference=case.reference, kind=kind, outcome=outcome)
        return outcome

    async def _updates_offer(self, case: Case, to: str) -> str:
        """The monthly neighbourhood update's offer, ending the first text about a case
        after its acknowledgement (which has no room for it); "" when not offered."""
        marker = self._keys.notice(case.reference, "updates-offer")
        if self._updates is None or not await self._redis.hsetnx(marker, "state", "made"):  # type: ignore[misc]
            return ""
        try:
            partnership = self._partnerships.get(case.partnership)
            offer = await self._updates.make(partnership, case.postcode_district, "sms", to)
        except Exception:  # an optional extra: the update itself still goes
            log.exception("resident.updates_offer_error", reference=case.reference)
            return ""
        return f" {updates_offer_sms(offer.district)}" if offer else ""

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
        subject = f"Your anti-social behaviour report {reference}"
        if not closed:
            return await self.send(case, f"update-{update_id}", subject, [text])
        return await self._close(case, partnership, f"update-{update_id}", subject, text)

    async def _close(
        self, case: Case, partnership: Partnership, kind: str, subject: str, text: str
    ) -> str:
        """The closing notice, with the satisfaction question the resident's way."""
        personal = await self._cases.get_personal(case.reference)
        channel = plan(case, personal, partnership).channel
        way = survey_way(
            case, personal, channel, links=self._links is not None, calls=self._calls is not None
        )
        ask = SURVEY_QUESTION
        if way == "link" and self._links is not None:
            ask = (
                "Please tell us how we did: two short questions, on the page at\n"
                f"{self._links.url(case.reference)}\nThe link works for four weeks."
            )
        elif way == "call":
            ask = SURVEY_CALL_NOTICE
        paragraphs = [text, ask, partnership.complaint_text()]
        outcome = await self.send(case, kind, subject, paragraphs, phoned=way == "call")
        if way == "sms" and outcome in ("sent", "outbox"):
            await self._ask_satisfaction(case)
        elif way == "call" and self._calls is not None and personal and personal.contact.phone:
            await self._calls.request(case, personal.contact.phone)
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
    """Takes a resident's replies to the questions after closure, on the conversation
    they were asked on (a text conversation is keyed by the number): the score, then the
    perception question its thank-you asks."""

    def __init__(self, redis: Redis, keys: Keys, cases: CaseStore, partnerships: Partnerships):
        self._redis = redis
        self._keys = keys
        self._cases = cases
        self._answers = SurveyAnswers(cases)
        self._partnerships = partnerships

    def pending_key(self, conversation_key: str) -> str:
        """Holds the case reference whose satisfaction question awaits a reply."""
        return self._keys.satisfaction_pending(conversation_key)

    def perception_key(self, conversation_key: str) -> str:
        """Holds the case reference whose perception question awaits a reply."""
        return self._keys.perception_pending(conversation_key)

    async def answer(self, conversation_key: str, reference: str, text: str) -> str | None:
        """The reply when `text` answers the question asked about `reference` (as held
        at `pending_key`); None to carry on as usual."""
        match = _SCORE.match(text)
        if match is None:
            return None
        score, comment = int(match.group(1)), match.group(2).strip() or None
        case = await self._answers.satisfaction(reference, score, comment)
        await self._redis.delete(self.pending_key(conversation_key))
        if case is None:
            if await self._cases.get(reference) is None:
                return None
            return f"Thank you, we already have your answer for {reference}."
        await self._redis.set(
            self.perception_key(conversation_key), reference, ex=PERCEPTION_TTL_SECONDS
        )
        reply = f"Thank you, we have recorded your answer for {reference}."
        if score <= 2:
            reply += " We are sorry. " + self._partnerships.get(case.partnership).complaint_text()
        return f"{reply}\n\n{PERCEPTION_SMS}"

    async def answer_perception(
        self, conversation_key: str, reference: str, text: str | None
    ) -> str | None:
        """The reply when `text` answers the perception question about `reference`; None
        to carry on as usual. The question is asked once: any other reply (and `text`
        None, for a message that may not be taken as an answer) lets it lapse."""
        await self._redis.delete(self.perception_key(conversation_key))
        answer = read_perception(text) if text is not None else None
        if answer is None:
            return None
        if answer != "skip":
            await self._answers.perception(reference, answer)
        return "Thank you for your answers."
