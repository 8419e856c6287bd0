"""One conversation turn, the same for every channel.

Safety triage runs on every message before the dialogue engine sees it, so a flag never
depends on the model and an emergency is answered even when the engine is down.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import structlog
from redis.asyncio import Redis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError

from bot import metrics
from bot.cases.model import Channel, TriageFlags
from bot.contact import pseudonymous_key
from bot.dialogue import BotMessage, DialogueUnavailable, RasaClient
from bot.emergency import HATE_TEXT, EmergencyDesk, emergency_message
from bot.privacy.crypto import Cipher, seal, unseal
from bot.redis_keys import Keys
from bot.safety import merge_flags
from bot.triage import Verdict, triage

log = structlog.get_logger("asb.conversation")


class UnknownConversation(LookupError):
    """The conversation id was never issued or has expired."""


class SurveyPort(Protocol):
    """The satisfaction question asked after closure (bot/partners/relay.py)."""

    async def pending(self, conversation_key: str) -> str | None: ...

    async def answer(self, conversation_key: str, reference: str, text: str) -> str | None: ...


class FallbackPort(Protocol):
    """The scripted report taken while the dialogue engine is down (bot/fallback.py)."""

    async def active(self, key: str) -> bool: ...

    async def start(
        self, key: str, first_text: str, category: str, since: float | None = None
    ) -> BotMessage: ...

    async def answer(
        self, key: str, channel: Channel, text: str, flags: TriageFlags, sender: str | None
    ) -> list[BotMessage]: ...


@dataclass(frozen=True)
class TurnResult:
    messages: Sequence[BotMessage]
    verdict: Verdict
    delivered: bool  # False when the engine was down and the text was kept for later


class Conversations:
    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        dialogue: RasaClient,
        secret: bytes,
        ttl_seconds: int,
        unavailable_text: str,
        emergencies: EmergencyDesk,
        survey: SurveyPort | None = None,
        fallback: FallbackPort | None = None,
        cipher: Cipher | None = None,
        *,
        turn_wait_seconds: float = 10.0,
        turn_lock_seconds: float = 30.0,
    ):
        self._redis = redis
        self._keys = keys
        self._dialogue = dialogue
        self._secret = secret
        self._ttl = ttl_seconds
        self._unavailable_text = unavailable_text
        self._emergencies = emergencies
        self._survey = survey
        self._fallback = fallback
        self._turn_wait = turn_wait_seconds
        self._turn_lock = turn_lock_seconds
        # Flags carry the resident's words as evidence, and kept messages are their words:
        # both are sealed (None only in unit tests; the service always passes a cipher).
        self._cipher = cipher

    async def start_web_chat(self) -> tuple[str, str]:
        """A new unguessable id for the browser and the pseudonymous key the service uses."""
        token = secrets.token_urlsafe(24)
        key = self.web_chat_key(token)
        await self._redis.set(self._keys.conversation(key), "chat", ex=self._ttl)
        return token, key

    def web_chat_key(self, token: str) -> str:
        return pseudonymous_key(self._secret, "chat", token)

    async def require(self, key: str) -> None:
        if not await self._redis.expire(self._keys.conversation(key), self._ttl):
            raise UnknownConversation(key)

    async def turn(
        self, key: str, channel: Channel, text: str, contact: str | None = None
    ) -> TurnResult:
        """Triage, act on an emergency, then one turn of the dialogue. `contact` is the
        number a message came from, where the channel knows it (passed to the police)."""
        started = time.perf_counter()
        verdict = triage(text, channel)
        # The police are told while the turn waits for the conversation's previous one,
        # never after it.
        raise_emergency = self._emergencies.handle(key, channel, text, verdict, contact)
        async with self._one_turn_at_a_time(key, meanwhile=raise_emergency):
            return await self._dialogue_turn(key, channel, text, contact, verdict, started)

    @asynccontextmanager
    async def _one_turn_at_a_time(
        self, key: str, meanwhile: Awaitable[None]
    ) -> AsyncIterator[None]:
        """Run a conversation's turns one after another, in the order they take its lock,
        whichever gateway received them (two texts sent a moment apart can reach two
        gateways). A turn reads and then writes the flags, a scripted report, the kept
        messages and the engine's tracker; two turns of one conversation at once could
        each overwrite the other's update. Rasa's lock store cannot stand in: it guards
        only the engine's part of a turn, after the gateway's, and keeps no order.

        The lock is redis-py's, with an expiry, so a gateway that dies mid-turn holds up
        its conversation for `turn_lock_seconds` at most. A turn that has waited
        `turn_wait_seconds` (as long as a turn may take) goes ahead without the lock
        rather than lose the message. `meanwhile` runs while the lock is being taken (one
        wait for Redis instead of two), and is not held up by a previous turn."""
        lock = self._redis.lock(
            self._keys.conversation_turn_lock(key),
            timeout=self._turn_lock,
            sleep=0.01,
            blocking_timeout=self._turn_wait,
            thread_local=False,
        )
        done, acquired = await asyncio.gather(meanwhile, _take(lock), return_exceptions=True)
        if isinstance(acquired, BaseException):
            raise done if isinstance(done, BaseException) else acquired
        if not acquired:
            log.warning("turn.lock_wait_exceeded", waited_s=self._turn_wait)
        try:
            if isinstance(done, BaseException):
                raise done
            yield
        finally:
            if acquired:
                try:
                    await lock.release()
                except LockError:  # it expired during a very slow turn
                    log.warning("turn.lock_expired", lock_s=self._turn_lock)

    async def _dialogue_turn(
        self,
        key: str,
        channel: Channel,
        text: str,
        contact: str | None,
        verdict: Verdict,
        started: float,
    ) -> TurnResult:
        # What the turn needs to know, read at once rather than one after another: every
        # write is fsync'd, so each reply waits for the disk.
        stored_flags, in_fallback, survey_reference, kept = await asyncio.gather(
            self._redis.get(self._keys.conversation_flags(key)),
            self._fallback.active(key) if self._fallback is not None else _none(),
            self._survey.pending(key)
            if self._survey is not None and not verdict.emergency
            else _none(),
            self._redis.lindex(self._keys.pending_messages(key), 0),  # type: ignore[arg-type]
        )
        previous, flags = await self._record_flags(key, verdict, stored_flags)
        lead = self._safety_messages(
            verdict, newly_hate=flags.hate_crime and not previous.hate_crime
        )
        # The verdict travels to Rasa only when the conversation carries a flag: any
        # metadata costs Rasa ~10 ms a turn, and an unflagged verdict tells it nothing.
        metadata = (
            {"triage": verdict.contract_dict(), "flags": flags.contract_dict()}
            if flags.emergency or flags.hate_crime
            else None
        )
        # A scripted report under way is finished first, even if the engine is back.
        if self._fallback is not None and in_fallback:
            answers = await self._fallback.answer(key, channel, text, flags, contact)
            self._measure(channel, verdict, started, "fallback")
            return TurnResult([*lead, *answers], verdict, delivered=True)
        if self._survey is not None and survey_reference is not None:
            answered = await self._survey.answer(key, survey_reference, text)
            if answered is not None:  # a reply to the satisfaction question after closure
                return TurnResult([*lead, BotMessage(answered)], verdict, delivered=True)
        try:
            await self._replay_pending(key, channel, metadata, kept)
            replies = await self._dialogue.send(key, text, channel, metadata)
            await self._redis.set(self._keys.conversation_settled(key), time.time(), ex=self._ttl)
        except DialogueUnavailable as exc:
            await self._keep_pending(key, text)
            log.warning("dialogue.unavailable", channel=channel, reason=str(exc))
            apology = BotMessage(self._unavailable_text)
            # Text channels take the report by script instead; a call is only told the
            # number (a spoken script would need its own speech handling).
            if self._fallback is not None and channel != "voice":
                # A case stored since the last answer belongs to the report under way.
                settled = await self._redis.get(self._keys.conversation_settled(key))
                since = float(settled) if settled else 0.0
                apology = await self._fallback.start(key, text, verdict.category, since)
            self._measure(channel, verdict, started, "dialogue_unavailable")
            return TurnResult([*lead, apology], verdict, delivered=False)
        self._measure(channel, verdict, started, "answered")
        return TurnResult([*lead, *replies], verdict, delivered=True)

    @staticmethod
    def _measure(channel: Channel, verdict: Verdict, started: float, outcome: str) -> None:
        elapsed = time.perf_counter() - started
        metrics.TURNS.labels(channel, outcome).inc()
        metrics.TURN_SECONDS.labels(channel).observe(elapsed)
        for flag in ("emergency", "hate_crime"):
            if getattr(verdict, flag):
                metrics.TRIAGE_FLAGS.labels(flag).inc()
        log.info(
            "turn",
            channel=channel,
            outcome=outcome,
            emergency=verdict.emergency,
            hate=verdict.hate_crime,
            ms=round(elapsed * 1000, 1),
        )

    @staticmethod
    def _safety_messages(verdict: Verdict, newly_hate: bool) -> list[BotMessage]:
        lead = [emergency_message()] if verdict.emergency else []
        if newly_hate:
            lead.append(BotMessage(HATE_TEXT))
        return lead

    async def _record_flags(
        self, key: str, verdict: Verdict, stored: bytes | str | None
    ) -> tuple[TriageFlags, TriageFlags]:
        """The conversation's flags before and after this message (`stored`: as read)."""
        current = open_flags(stored, self._cipher)
        merged = merge_flags(current, verdict)
        if merged != current or stored is None:
            sealed = seal(self._cipher, merged.model_dump_json())
            await self._redis.set(self._keys.conversation_flags(key), sealed, ex=self._ttl)
        return current, merged

    async def _keep_pending(self, key: str, text: str) -> None:
        pending = self._keys.pending_messages(key)
        async with self._redis.pipeline(transaction=True) as tx:
            tx.rpush(pending, seal(self._cipher, text))
            tx.expire(pending, self._ttl)
            await tx.execute()

    async def _replay_pending(
        self,
        key: str,
        channel: Channel,
        metadata: dict[str, Any] | None,
        kept: bytes | str | None,
    ) -> None:
        """Send kept messages first, in order, so nothing typed during an outage is lost
        (`kept`: the first of them, as read at the start of the turn)."""
        pending = self._keys.pending_messages(key)
        # redis-py's asyncio hints are unions with the sync ones: hence the ignores.
        while kept is not None:
            await self._dialogue.send(key, unseal(self._cipher, kept), channel, metadata)
            await self._redis.lpop(pending)  # type: ignore[misc]
            kept = await self._redis.lindex(pending, 0)  # type: ignore[misc]


async def _none() -> None:
    return None


async def _take(lock: Lock) -> bool:
    return bool(await lock.acquire())


def open_flags(stored: bytes | str | None, cipher: Cipher | None) -> TriageFlags:
    """A conversation's stored flags (none yet: no flags)."""
    return TriageFlags.model_validate_json(unseal(cipher, stored)) if stored else TriageFlags()
