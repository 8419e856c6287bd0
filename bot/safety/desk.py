"""Emergencies: told to call 999 at once, and a P1 case.emergency event queued for the
police before anything else happens, whether or not the dialogue engine is up."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from bot.platform import metrics
from bot.platform.job_queue import JobQueue
from bot.platform.messages import BotMessage, Channel
from bot.platform.redis_keys import Keys
from bot.privacy.contact import find_postcode
from bot.privacy.crypto import Cipher
from bot.safety.verdict import Verdict

# Short enough for two SMS segments (GSM-7), so every channel can say it whole.
EMERGENCY_TEXT = (
    "If anyone is in danger, call 999 now. Can't speak? Call 999 on a mobile and press 55. "
    "Deaf or speech-impaired: text relay 18000, or text 999 if registered with emergencySMS. "
    "I'm passing this to the police now, but don't wait: call 999. "
    "If it's safe, tell me where this is happening (postcode or street)."
)
HATE_TEXT = (
    "What you've described will be treated as a hate incident, and the police will be "
    "involved. Hate incidents are never tolerated."
)


# What one emergency record holds of the resident's words (the police get it all).
MAX_TEXT_CHARS = 8000


def emergency_message() -> BotMessage:
    return BotMessage(EMERGENCY_TEXT, urgent=True)


class Emergency(BaseModel):
    """What is known of an emergency; `location` and `contact` are personal, so the record
    lives under its own id, never in a key named after the person."""

    id: str
    conversation_key: str
    channel: Channel
    raised_at: datetime
    priority: Literal["P1"] = "P1"
    # What raised it: "model" (the safety model), "context" (with earlier messages),
    # "answer" (yes to the danger question); and the words that drove it.
    cues: list[str] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    text: str
    location: str | None = None
    contact: str | None = None
    revision: int = 0
    # Whether the resident's next message, their answer to "where is this happening?",
    # has gone to the police (a street, not only a postcode, is an answer).
    reply_taken: bool = False


def seal_emergency(emergency: Emergency, cipher: Cipher | None) -> bytes | str:
    """The stored form: encrypted whole, since text, location and contact are personal."""
    plain = emergency.model_dump_json()
    return plain if cipher is None else cipher.encrypt(plain)


def open_emergency(raw: bytes | str, cipher: Cipher | None) -> Emergency:
    if Cipher.is_token(raw):
        if cipher is None:
            raise RuntimeError("an encrypted emergency record needs ASB_ENCRYPTION_KEYS")
        raw = cipher.decrypt(raw)
    return Emergency.model_validate_json(raw)


class EmergencyDesk:
    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        jobs: JobQueue,
        ttl_seconds: int,
        cipher: Cipher | None = None,
        open_seconds: int = 3600,
    ):
        self._redis = redis
        self._keys = keys
        self._jobs = jobs
        self._ttl = ttl_seconds
        self._cipher = cipher
        self._open_seconds = open_seconds

    def open_key(self, key: str) -> str:
        """Holds the id of the conversation's open emergency, if it has one: for
        `open_seconds` after it was raised (its incident), not for the conversation's
        life. Within it the resident's reply, a postcode or a further emergency message
        goes to the police as an update; after it, an emergency is a new one and a
        postcode belongs to whatever is reported then."""
        return self._keys.conversation_emergency(key)

    async def handle(
        self,
        open_id: bytes | None,
        key: str,
        channel: Channel,
        text: str,
        verdict: Verdict,
        contact: str | None,
    ) -> None:
        """Raise a new emergency, or add to the open one for this conversation (`open_id`:
        as read from `open_key`, in the turn's first round trip): a location given, or a
        further emergency message, whose words the police are then sent."""
        if open_id is not None:
            await self._update(open_id.decode(), text, verdict)
        elif verdict.emergency:
            await self._raise(key, channel, text, verdict, contact)

    async def _raise(
        self, key: str, channel: Channel, text: str, verdict: Verdict, contact: str | None
    ) -> None:
        emergency = Emergency(
            id=f"EM-{secrets.token_hex(8)}",
            conversation_key=key,
            channel=channel,
            raised_at=datetime.now(UTC),
            cues=_cues(verdict),
            evidence=_evidence(verdict),
            text=text,
            location=find_postcode(text),
            contact=contact,
        )
        async with self._redis.pipeline(transaction=True) as tx:
            tx.set(
                self._keys.emergency(emergency.id),
                seal_emergency(emergency, self._cipher),
                ex=self._ttl,
            )
            tx.set(self.open_key(key), emergency.id, ex=self._open_seconds)
            await tx.execute()
        await self._jobs.case_emergency(emergency.id, emergency.revision)
        metrics.EMERGENCIES.inc()

    async def _update(self, emergency_id: str, text: str, verdict: Verdict) -> None:
        """A new revision for the police when the message adds to what they have. Most
        messages of an open emergency add nothing, and the turn waits here: one read.
        Two messages of one conversation can reach two gateways at once, so a change is
        written under WATCH (redis-py's `transaction` retries it on a concurrent write)."""
        name = self._keys.emergency(emergency_id)
        raw = await self._redis.get(name)
        if raw is None or _added_to(open_emergency(raw, self._cipher), text, verdict) is None:
            return

        async def rewrite(pipe: Pipeline) -> Emergency | None:
            raw = await pipe.get(name)
            if raw is None:
                return None
            updated = _added_to(open_emergency(raw, self._cipher), text, verdict)
            if updated is not None:
                pipe.multi()  # type: ignore[no-untyped-call]
                pipe.set(name, seal_emergency(updated, self._cipher), ex=self._ttl)
            return updated

        updated = await self._redis.transaction(rewrite, name, value_from_callable=True)
        if updated is not None:
            await self._jobs.case_emergency(emergency_id, updated.revision)


def _cues(verdict: Verdict) -> list[str]:
    return list(dict.fromkeys(e.cue for e in verdict.evidence if e.flag == "emergency"))


def _evidence(verdict: Verdict) -> list[str]:
    return [e.short() for e in verdict.evidence if e.flag == "emergency"]


def _added_to(emergency: Emergency, text: str, verdict: Verdict) -> Emergency | None:
    """The emergency with what this message adds (None: nothing for the police)."""
    change: dict[str, object] = {}
    postcode = find_postcode(text)
    if postcode is not None and postcode != emergency.location:
        change["location"] = postcode
    # The first message after the emergency is the resident's reply (to "where are
    # you?"), flagged itself or not; what comes later goes only if it is an emergency.
    reply = not verdict.emergency and not emergency.reply_taken
    if not emergency.reply_taken:
        change["reply_taken"] = True
    # The same message taken again (its answer lost with a gateway) is not news.
    repeated = emergency.text == text or emergency.text.endswith(f"\n{text}")
    if (verdict.emergency or reply) and not repeated:
        # The resident's emergency messages and their reply, oldest first, one a line;
        # the newest kept whole when they grow long.
        joined = f"{emergency.text}\n{text}"
        change["text"] = joined if len(joined) <= MAX_TEXT_CHARS else "…" + joined[-MAX_TEXT_CHARS:]
        change["cues"] = list(dict.fromkeys([*emergency.cues, *_cues(verdict)]))
        change["evidence"] = list(dict.fromkeys([*emergency.evidence, *_evidence(verdict)]))
    if not change:
        return None
    return emergency.model_copy(update={**change, "revision": emergency.revision + 1})
