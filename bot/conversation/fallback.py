"""A short scripted report for when the dialogue engine is down or too slow.

Three questions (what happened, where, how to contact you) are enough for a partner to
act on, so a resident is never turned away because the NLU engine is unavailable. The
state lives in Redis per conversation, so any gateway process can carry on, and a
fallback that has started is finished even if the engine comes back (switching the
resident to a different set of questions halfway would confuse them). The answers are
personal (what happened, where, a phone number or email): they are kept encrypted, as one
sealed field of the conversation's fallback hash.
"""

from __future__ import annotations

import json
import re
import time
from typing import Literal

import structlog
from redis.asyncio import Redis

from bot.cases.intake import CaseIntake
from bot.cases.model import (
    Case,
    ContactDetails,
    ContactMethod,
    ReportAnswers,
)
from bot.cases.store import NotDurableError
from bot.conversation.report_answers import (
    HAPPENING_NOW,
    UNKNOWN,
    non_answer,
    parse_contact_method,
    parse_location,
)
from bot.partnerships import Partnership
from bot.platform.messages import BotMessage, Channel
from bot.platform.redis_keys import Keys
from bot.privacy.contact import is_mobile, parse_email, parse_uk_phone
from bot.privacy.crypto import Cipher, seal, unseal
from bot.safety.flags import TriageFlags

log = structlog.get_logger("asb.fallback")

Step = Literal["what", "where", "contact", "submit"]
NOT_GIVEN = "not given"
_THIS_NUMBER = re.compile(r"\b(this|same|my) (number|phone|mobile)\b|^\s*(yes|y)\s*$", re.I)

WHAT_TEXT = "What happened?"
WHERE_TEXT = "Where did it happen? A postcode, or a street or landmark, is fine."
WHERE_AGAIN_TEXT = "Sorry, I need a place: a postcode, or a street or landmark."


class FallbackReport:
    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        intake: CaseIntake,
        partnership: Partnership,
        ttl_seconds: int,
        cipher: Cipher | None = None,
    ):
        self._redis = redis
        self._keys = keys
        self._intake = intake
        self._partnership = partnership
        self._ttl = ttl_seconds
        self._cipher = cipher  # None only in unit tests: the service always passes one

    def report_key(self, key: str) -> str:
        """Exists while a scripted report is under way."""
        return self._keys.fallback_report(key)

    async def start(
        self, key: str, first_text: str, category: str, since: float | None = None
    ) -> BotMessage:
        """Begin after the engine failed on `first_text`. When triage already recognised
        what kind of ASB it describes, it is taken as the answer to "what happened".

        `since` is when the conversation was last answered in full. The engine can fail
        after its action stored the report (Rasa killed while answering "Yes, send it", or
        its tracker not saved while Redis restarted, so the resident sent it again): a
        case stored since then is the report under way, and the resident is told its
        reference rather than asked to report it again."""
        line = self._partnership.main_line()
        if since is not None and (case := await self._intake.stored_since(key, since)):
            await self._redis.delete(self._keys.pending_messages(key))
            await self._settled(key)
            log.info("fallback.already_saved", reference=case.reference)
            return self._saved(case)
        intro = (
            "Sorry, part of our system isn't answering right now, but I can still take a "
            f"short report. (You can also call {line.label} on {line.phone}. "
            "In an emergency call 999.)"
        )
        state: dict[str, str] = {"step": "what"}
        question = WHAT_TEXT
        if category != "none":
            state = {"step": "where", "what": first_text}
            question = WHERE_TEXT
        if since is not None:
            state["since"] = repr(since)
        await self._save(key, state)
        log.info("fallback.started", step=state["step"])
        return BotMessage(f"{intro}\n\n{question}")

    async def answer(
        self, key: str, channel: Channel, text: str, flags: TriageFlags, sender: str | None
    ) -> list[BotMessage]:
        """One answer to the scripted questions; the case is created after the last."""
        state = await self._load(key)
        step = state.get("step", "what")
        if step == "what":
            if len(text.strip()) < 3 or non_answer(text) is not None:
                return [BotMessage(f"Please tell me in a few words. {WHAT_TEXT}")]
            await self._save(key, {**state, "step": "where", "what": text.strip()})
            return [BotMessage(WHERE_TEXT)]
        if step == "where":
            # A non-answer is never kept as the place: not knowing is "unknown", anything
            # else is asked again.
            kind = non_answer(text)
            place = UNKNOWN if kind == "unknown" else parse_location(text) if kind is None else None
            if place is None:
                return [BotMessage(WHERE_AGAIN_TEXT)]
            await self._save(key, {**state, "step": "contact", "where": place})
            return [BotMessage(self._contact_question(channel, sender))]
        if step == "contact":
            contact = _parse_contact(text, channel, sender)
            if contact is None:
                return [
                    BotMessage(
                        "Sorry, I couldn't read that. Send a UK phone number or an email "
                        'address, or "none" to stay anonymous.'
                    )
                ]
            state = {**state, "step": "submit", **_contact_fields(contact)}
            await self._save(key, state)
        return [await self._submit(key, channel, state, flags)]

    def _contact_question(self, channel: Channel, sender: str | None) -> str:
        this_number = ' Reply "this number" to use the number you are texting from.'
        return (
            "How can we contact you about it? Send a phone number or an email address, "
            'or "none" to stay anonymous (then nobody can reply to you).'
            + (this_number if channel == "sms" and sender else "")
        )

    async def _submit(
        self, key: str, channel: Channel, state: dict[str, str], flags: TriageFlags
    ) -> BotMessage:
        method: ContactMethod = _method(state.get("method", "none"))
        answers = ReportAnswers(
            incident_description=state.get("what", NOT_GIVEN),
            # Triage raises an emergency only for something happening now (its tense reader).
            incident_time=HAPPENING_NOW if flags.emergency else NOT_GIVEN,
            incident_location=state.get("where", NOT_GIVEN),
        )
        contact = ContactDetails(
            method=method, phone=state.get("phone") or None, email=state.get("email") or None
        )
        line = self._partnership.main_line()
        if "since" in state and (
            case := await self._intake.stored_since(key, float(state["since"]))
        ):
            # The action the engine was running when it failed finished after all.
            await self._redis.delete(
                self._keys.fallback_report(key), self._keys.pending_messages(key)
            )
            await self._settled(key)
            log.info("fallback.already_saved", reference=case.reference)
            return self._saved(case)
        try:
            # No consent to share was asked, so none is assumed: only the agencies that
            # must act (the lead, police for emergencies and hate crime) are routed it.
            case = await self._intake.submit(
                answers=answers, contact=contact, consent_to_share=False,
                channel=channel, flags=flags, conversation_key=key,
            )  # fmt: skip
        except NotDurableError as exc:
            log.error("fallback.not_durable", reason=str(exc))
            return BotMessage(
                "Sorry, I couldn't save your report because of a problem on our side. "
                f"Please send any message to try again, or call {line.label} on "
                f"{line.phone}. In an emergency call 999."
            )
        # The report is stored: the conversation's kept words belong to it, so they are not
        # replayed into the engine when it returns.
        await self._redis.delete(self._keys.fallback_report(key), self._keys.pending_messages(key))
        await self._settled(key)
        log.info("fallback.case_created", reference=case.reference, channel=channel)
        follow_up = (
            "As you chose to stay anonymous, nobody can contact you about it."
            if method == "none"
            else "Someone will be in touch."
        )
        return BotMessage(
            f"Thank you. Your report is saved. Your reference is {case.reference}. "
            f"{follow_up} If you need to add anything, call {line.label} on {line.phone} "
            "and give your reference. In an emergency call 999."
        )

    async def _load(self, key: str) -> dict[str, str]:
        raw = await self._redis.hgetall(self._keys.fallback_report(key))  # type: ignore[misc]
        fields = {_str(k): v for k, v in raw.items()}
        if "sealed" not in fields:  # written before the answers were encrypted
            return {k: _str(v) for k, v in fields.items()}
        state: dict[str, str] = json.loads(unseal(self._cipher, fields["sealed"]))
        return state

    async def _settled(self, key: str) -> None:
        """The report is told: a later case of the conversation is a new report."""
        await self._redis.set(self._keys.conversation_settled(key), time.time(), ex=self._ttl)

    async def saved_message(self, reference: str) -> BotMessage | None:
        case = await self._intake.case(reference)
        return self._saved(case) if case is not None else None

    def _saved(self, case: Case) -> BotMessage:
        line = self._partnership.main_line()
        follow_up = (
            "As you chose to stay anonymous, nobody can contact you about it."
            if case.anonymous
            else "Someone will be in touch."
        )
        return BotMessage(
            "Sorry, part of our system stopped answering, but your report was saved. "
            f"Your reference is {case.reference}. {follow_up} If you need to add anything, "
            f"call {line.label} on {line.phone} and give your reference. "
            "In an emergency call 999."
        )

    async def _save(self, key: str, state: dict[str, str]) -> None:
        name = self._keys.fallback_report(key)
        async with self._redis.pipeline(transaction=True) as tx:
            tx.delete(name)
            tx.hset(name, "sealed", seal(self._cipher, json.dumps(state)))
            tx.expire(name, self._ttl)
            await tx.execute()


def _parse_contact(text: str, channel: Channel, sender: str | None) -> ContactDetails | None:
    if parse_contact_method(text) == "none":
        return ContactDetails(method="none")
    if (email := parse_email(text)) is not None:
        return ContactDetails(method="email", email=email)
    if channel == "sms" and sender and _THIS_NUMBER.search(text):
        text = sender
    if (phone := parse_uk_phone(text)) is not None:
        # A mobile can be sent the written acknowledgement; a landline needs a call.
        return ContactDetails(method="sms" if is_mobile(phone) else "phone", phone=phone)
    return None


def _contact_fields(contact: ContactDetails) -> dict[str, str]:
    return {"method": contact.method, "phone": contact.phone or "", "email": contact.email or ""}


def _method(value: str) -> ContactMethod:
    methods: dict[str, ContactMethod] = {
        "phone": "phone", "sms": "sms", "email": "email", "letter": "letter", "none": "none",
    }  # fmt: skip
    return methods.get(value, "none")


def _str(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
