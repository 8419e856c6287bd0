"""A resident asking "what's happening with ASB-...?" on any channel.

The status is given only to whoever reported it: the same conversation, a text from the
number the case's updates go to, or anyone with the PIN from the acknowledgement
(bot/cases/pin.py). Everyone else gets the same answer whether or not the reference exists,
so references cannot be probed. Wrong PINs are counted per case: after five in an hour
even the right one is refused until the hour is up.
"""

from __future__ import annotations

from redis.asyncio import Redis

from bot.cases.model import Case
from bot.cases.pin import MAX_FAILURES_PER_HOUR, pin_matches
from bot.cases.sla import local_date_text, local_datetime_text
from bot.cases.store import CaseStore
from bot.partnerships import Partnerships
from bot.platform.redis_keys import Keys
from bot.privacy.contact import pseudonymous_key

ASK_FOR_PIN = (
    "I can only tell you about {ref} in the conversation or from the phone number it was "
    "reported from, or with the PIN in your acknowledgement. Send the reference and the "
    "PIN together, like: {ref} PIN 123456. In an emergency call 999."
)
TOO_MANY = (
    "Too many wrong PINs have been tried for {ref}. Please try again in an hour, or call "
    "the number in your acknowledgement."
)
_UPDATE_WORDS = {
    "accepted": "accepted the case",
    "spoc": "named your contact",
    "contacted": "been in touch with you",
    "meeting_arranged": "arranged a meeting",
    "action_taken": "taken action",
    "closed": "closed the case",
}


class CaseStatus:
    def __init__(
        self, redis: Redis, keys: Keys, cases: CaseStore, partnerships: Partnerships, secret: bytes
    ):
        self._redis = redis
        self._keys = keys
        self._cases = cases
        self._partnerships = partnerships
        self._secret = secret

    async def answer(
        self,
        reference: str,
        *,
        conversation_key: str | None,
        same_conversation: bool = False,
        pin: str | None = None,
    ) -> str:
        case = await self._cases.get(reference)
        if case is None:
            return ASK_FOR_PIN.format(ref=reference)
        attempts = self._keys.status_attempts(reference)
        failures = int(await self._redis.get(attempts) or 0)
        if same_conversation or await self._same_number(case, conversation_key):
            return self.describe(case)
        if pin is None:
            return ASK_FOR_PIN.format(ref=reference)
        if failures >= MAX_FAILURES_PER_HOUR:
            return TOO_MANY.format(ref=reference)
        if pin_matches(self._secret, reference, pin):
            return self.describe(case)
        async with self._redis.pipeline(transaction=True) as tx:
            tx.incr(attempts)
            tx.expire(attempts, 3600)
            await tx.execute()
        return ASK_FOR_PIN.format(ref=reference)

    async def _same_number(self, case: Case, conversation_key: str | None) -> bool:
        if not conversation_key or case.anonymous:
            return False
        personal = await self._cases.get_personal(case.reference)
        phone = personal.contact.phone if personal else None
        return phone is not None and conversation_key == pseudonymous_key(
            self._secret, "sms", phone
        )

    def describe(self, case: Case) -> str:
        partnership = self._partnerships.get(case.partnership)
        lead = partnership.agency(case.lead_agency or partnership.routing.lead_agency)
        ref = case.reference
        if case.status == "closed":
            when = f" on {local_date_text(case.closed_at)}" if case.closed_at else ""
            text = f"{ref} was closed{when}. Outcome: {case.outcome or 'not given'}."
            return text + f" Not happy? {partnership.complaint_text()}"
        lines = [f"{ref} is open. {lead.name} is dealing with it."]
        if case.spoc:
            how = " or ".join(v for v in (case.spoc.phone, case.spoc.email) if v)
            lines.append(f"Your named contact is {case.spoc.name}" + (f", {how}." if how else "."))
        if case.last_update and case.last_update_at:
            words = _UPDATE_WORDS.get(case.last_update, case.last_update)
            lines.append(f"Latest: they have {words} ({local_date_text(case.last_update_at)}).")
        contact = case.deadline("first_contact")
        if contact and contact.met_at is None and not case.anonymous:
            lines.append(f"They will contact you by {local_datetime_text(contact.due)}.")
        lines.append(f"To talk to them: {lead.contact_line()}. In an emergency call 999.")
        return " ".join(lines)
