"""One conversation turn, the same for every channel.

Safety triage runs on every message before the dialogue engine sees it, so a flag never
depends on the model and an emergency is answered even when the engine is down.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import structlog
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.asyncio.lock import Lock

from bot.cases.reference import find_reference
from bot.conversation.dialogue import DialogueUnavailable
from bot.conversation.dialogue_watch import DialogueWatch
from bot.conversation.resends import RESEND_SECONDS, ResendClaim, message_digest
from bot.conversation.turn_lock import TurnLock
from bot.platform import metrics
from bot.platform.messages import BotMessage, Channel
from bot.platform.redis_keys import Keys
from bot.privacy.contact import parse_uk_phone, pseudonymous_key
from bot.privacy.crypto import Cipher, seal, unseal
from bot.safety import danger_question as dq
from bot.safety.desk import HATE_TEXT, EmergencyDesk, emergency_message
from bot.safety.flags import TriageFlags, merge_flags
from bot.safety.triage import default_model, triage
from bot.safety.verdict import Evidence, Verdict

log = structlog.get_logger("asb.conversation")

# The resident's earlier messages the safety triage reads each message with, and how long
# they are kept for it: an incident's length (an emergency's open hour), not the
# conversation's.
RECENT_MESSAGES = 3
RECENT_SECONDS = 3600


class UnknownConversation(LookupError):
    """The conversation id was never issued or has expired."""


class SenderTooFast(Exception):
    """The sender is over its rate limit: the message is refused, not acted on."""


class SurveyPort(Protocol):
    """The satisfaction question asked after closure, then the perception question
    (bot/partners/relay.py)."""

    def pending_key(self, conversation_key: str) -> str:
        """Holds the reference whose question awaits a reply (read in the turn's first
        round trip)."""
        ...

    def perception_key(self, conversation_key: str) -> str:
        """Holds the reference whose perception question awaits a reply (read likewise)."""
        ...

    async def answer(self, conversation_key: str, reference: str, text: str) -> str | None: ...

    async def answer_perception(
        self, conversation_key: str, reference: str, text: str | None
    ) -> str | None: ...


class UpdatesPort(Protocol):
    """UPDATES and STOP UPDATES, texted by a number offered the monthly neighbourhood
    update (bot/community/subscriptions.py)."""

    def known_keys(self, conversation_key: str) -> list[str]:
        """Any of them exists when the number was offered the update or gets it (read in
        the turn's first round trip)."""
        ...

    async def answer(self, conversation_key: str, text: str) -> str | None: ...


class FallbackPort(Protocol):
    """The scripted report taken while the dialogue engine is down
    (bot/conversation/fallback.py)."""

    def report_key(self, key: str) -> str:
        """Exists while a scripted report is under way (read in the turn's first round
        trip)."""
        ...

    async def saved_message(self, reference: str) -> BotMessage | None:
        """Tells a stored case's reference (None: no such case)."""
        ...

    async def start(
        self, key: str, first_text: str, category: str, since: float | None = None
    ) -> BotMessage: ...

    async def answer(
        self, key: str, channel: Channel, text: str, flags: TriageFlags, sender: str | None
    ) -> list[BotMessage]: ...


@dataclass(frozen=True)
class _Message:
    """One message of a conversation, triaged in its context before anything else happens."""

    key: str
    channel: Channel
    text: str
    contact: str | None  # the number it came from, where the channel knows it
    verdict: Verdict | None = None  # set once the context is read
    # The message a danger question held back, when this one answers it.
    held: str | None = None

    @property
    def judged(self) -> Verdict:
        assert self.verdict is not None, "triaged in Conversations._start"
        return self.verdict

    @property
    def emergency_text(self) -> str:
        """What the police are sent of it: with the message it answers, if any."""
        return f"{self.held}\n{self.text}" if self.held else self.text


@dataclass(frozen=True)
class _TurnState:
    """What a turn reads before it acts, as queued by `Conversations._queue_reads`."""

    flags: bytes | None
    kept: bytes | None  # the first message kept while the engine was down
    in_fallback: bool
    survey_reference: str | None
    perception_reference: str | None  # asked once: the next message answers or lapses it
    untold_reference: str | None  # a case whose answer may not have reached the resident
    recent: list[str]  # the resident's last few messages, oldest first
    danger: dq.PendingQuestion | None  # a danger question awaiting its answer
    updates_known: bool = False  # the number was offered the monthly update, or gets it


@dataclass(frozen=True)
class TurnResult:
    messages: Sequence[BotMessage]
    verdict: Verdict
    delivered: bool  # False when the engine was down and the text was kept for later
    engine_seconds: float = 0.0  # spent waiting for the dialogue engine's answer
    repeated: bool = False  # a resend, answered as the first copy was

    def server_timing(self) -> str:
        """An HTTP `Server-Timing` value: how much of the reply's time was the engine's."""
        return f"engine;dur={self.engine_seconds * 1000:.1f}"


class Conversations:
    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        dialogue: DialogueWatch,
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
        updates: UpdatesPort | None = None,
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
        self._updates = updates
        self._turn_wait = turn_wait_seconds
        self._turn_lock = turn_lock_seconds
        # Flags carry the resident's words as evidence, and kept messages are their words:
        # both are sealed (None only in unit tests; the service always passes a cipher).
        self._cipher = cipher

    async def start_web_chat(
        self, message_id: str | None = None, text: str = ""
    ) -> tuple[str, str]:
        """A new unguessable id for the browser and the pseudonymous key the service uses.

        With the first message's `message_id`: a resend of that message gets the
        conversation the first copy started, so its turn is answered once."""
        token = secrets.token_urlsafe(24)
        key = self.web_chat_key(token)
        if message_id is None:
            await self._redis.set(self._keys.conversation(key), "chat", ex=self._ttl)
            return token, key
        start = self._keys.chat_start(message_digest(self._secret, message_id, text))
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.set(start, seal(self._cipher, token), nx=True, get=True, ex=RESEND_SECONDS)
            pipe.set(self._keys.conversation(key), "chat", ex=self._ttl)
            earlier, _ = await pipe.execute()
        if earlier is None:
            return token, key
        await self._redis.delete(self._keys.conversation(key))  # never told to anyone
        token = unseal(self._cipher, earlier)
        return token, self.web_chat_key(token)

    def web_chat_key(self, token: str) -> str:
        return pseudonymous_key(self._secret, "chat", token)

    async def turn(
        self,
        key: str,
        channel: Channel,
        text: str,
        contact: str | None = None,
        *,
        known: bool = False,
        admit: Awaitable[bool] | None = None,
        message_id: str | None = None,
    ) -> TurnResult:
        """Triage, act on an emergency, then one turn of the dialogue. `contact` is the
        number a message came from, where the channel knows it (passed to the police).

        `known`: the conversation must exist already (a web chat's id is issued by
        `start_web_chat`, and its expiry is renewed here), else UnknownConversation.
        `admit`: the sender's rate limits, else SenderTooFast. Both are checked in the
        turn's first round trip, and a refused message is not acted on.
        `message_id`: the sender's id for the message; a message sent again with the same
        id and text gets the first copy's answer and is not acted on again (or
        MessageInProgress, while the first copy has not been answered)."""
        started = time.perf_counter()
        message = _Message(key, channel, text, contact)
        lock = TurnLock(
            self._redis, self._keys.conversation_turn_lock(key), self._turn_lock, self._turn_wait
        )
        claim = None
        if message_id is not None:
            digest = message_digest(self._secret, message_id, text)
            name = self._keys.conversation_message(key, digest)
            claim = ResendClaim(name, self._turn_lock, self._cipher)
        opened = await self._start(message, lock, known, admit, claim)
        if isinstance(opened, list):  # a resend
            metrics.TURNS.labels(channel, "repeated").inc()
            log.info("turn.repeated", channel=channel)
            return TurnResult(opened, triage(text, channel), delivered=True, repeated=True)
        state, locked, message = opened
        outcome = None
        try:
            outcome = await self._dialogue_turn(message, started, state)
        finally:
            await self._end(key, lock if locked else None, claim, outcome, text)
        return outcome[0]

    async def _start(
        self,
        message: _Message,
        lock: TurnLock,
        known: bool,
        admit: Awaitable[bool] | None,
        claim: ResendClaim | None,
    ) -> tuple[_TurnState, bool, _Message] | list[BotMessage]:
        """Admit the message, take the conversation's turn lock, act on an emergency and
        read what the turn needs: one round trip when no other turn of it is running.

        Turns run one after another, in the order they take the lock, whichever gateway
        received them (two texts sent a moment apart can reach two gateways). A turn reads
        and then writes the flags, a scripted report, the kept messages and the engine's
        tracker; two turns of one conversation at once could each overwrite the other's
        update. Rasa's lock store cannot stand in: it guards only the engine's part of a
        turn, after the gateway's, and keeps no order.

        The lock expires, so a gateway that dies mid-turn holds up its conversation for
        `turn_lock_seconds` at most. A turn that has waited `turn_wait_seconds` (as long as
        a turn may take) goes ahead without the lock rather than lose the message. The
        reads are queued after the lock in one pipeline, so when it is taken they see
        every write of the turn before. Returns the state read and whether it is locked,
        or, for a message sent again (`claim` already held), the first copy's answer.
        The message is triaged here, once its recent context is read."""
        key = message.key
        first, admitted = await asyncio.gather(
            self._first_round_trip(key, lock, known, claim),
            admit if admit is not None else _admitted(),
            return_exceptions=True,
        )
        if isinstance(first, BaseException):
            raise first
        taken, exists, earlier, open_emergency, reads = first
        claimed = claim if claim is not None and earlier is None else None
        first_state = self._state_from(reads)
        message = self._judged(message, first_state, emergency_open=open_emergency is not None)
        try:
            if isinstance(admitted, BaseException):
                raise admitted
            if not admitted:
                raise SenderTooFast(key)
            if not exists:
                raise UnknownConversation(key)
            if claim is not None and earlier is not None:
                # Sent again: the first copy's turn acts on it (and its emergency).
                if taken:
                    await self._end(key, lock, None, None)
                    taken = False
                return await claim.earlier_answer(self._redis, earlier, self._turn_wait)
            # The police are told while the turn waits for the conversation's previous
            # one, never after it.
            raise_emergency = self._emergencies.handle(
                open_emergency,
                key,
                message.channel,
                message.emergency_text,
                message.judged,
                message.contact,
            )
            if taken:
                await raise_emergency
                return first_state, True, message
        except BaseException:
            await self._end(key, lock if taken else None, claimed, None)
            raise
        raised, locked = await asyncio.gather(raise_emergency, lock.take(), return_exceptions=True)
        if isinstance(locked, BaseException):
            await self._end(key, None, claimed, None)
            raise raised if isinstance(raised, BaseException) else locked
        if isinstance(raised, BaseException):
            await self._end(key, lock if locked else None, claimed, None)
            raise raised
        if not locked:
            log.warning("turn.lock_wait_exceeded", waited_s=self._turn_wait)
        async with self._redis.pipeline(transaction=False) as pipe:
            self._queue_reads(pipe, key)
            return self._state_from(await pipe.execute()), locked, message

    def _judged(self, message: _Message, state: _TurnState, emergency_open: bool) -> _Message:
        """The message with its verdict, read in the resident's recent messages. A "yes"
        to the danger question makes the message it held back an emergency, as if it had
        been flagged: its words, with the answer, go to the police. `emergency_open`: an
        emergency of this conversation is still open (bot/safety/desk.py)."""
        verdict = default_model().in_conversation(
            triage(message.text, message.channel, state.recent),
            message.text,
            emergency_before=emergency_open,
            context=state.recent,
        )
        pending = state.danger
        if pending is None:
            return replace(message, verdict=verdict)
        answered_yes = dq.read_answer(message.text) == "yes"
        if verdict.emergency or not answered_yes:
            return replace(
                message, verdict=verdict, held=pending.text if verdict.emergency else None
            )
        held = triage(pending.text, message.channel, state.recent[:-1])
        category = held.category if held.category in ("personal", "environmental") else "personal"
        confirmed = replace(
            held,
            emergency=True,
            danger_question=False,
            category=category,
            subtype=held.subtype if category == held.category else "violence",
            evidence=[
                *held.evidence,
                Evidence("emergency", "answer", f"yes to '{dq.QUESTION_TEXT}'"),
            ],
        )
        return replace(message, verdict=confirmed, held=pending.text)

    async def _first_round_trip(
        self, key: str, lock: TurnLock, known: bool, claim: ResendClaim | None
    ) -> tuple[bool, bool, bytes | None, bytes | None, list[Any]]:
        """(lock taken, conversation exists, what an earlier copy of the message left,
        open emergency id, the turn's reads)."""
        async with self._redis.pipeline(transaction=False) as pipe:
            if known:
                pipe.expire(self._keys.conversation(key), self._ttl)
            lock.try_take(pipe)
            if claim is not None:
                claim.try_claim(pipe)
            pipe.get(self._emergencies.open_key(key))
            self._queue_reads(pipe, key)
            replies = await pipe.execute()
        exists = bool(replies.pop(0)) if known else True
        taken = bool(replies.pop(0))
        earlier = replies.pop(0) if claim is not None else None
        open_emergency, *reads = replies
        return taken, exists, earlier, open_emergency, reads

    def _queue_reads(self, pipe: Pipeline, key: str) -> None:
        pipe.lrange(self._keys.conversation_recent(key), 0, -1)
        pipe.get(self._keys.conversation_danger(key))
        pipe.get(self._keys.conversation_flags(key))
        pipe.lindex(self._keys.pending_messages(key), 0)
        pipe.get(self._keys.conversation_untold_case(key))
        if self._fallback is not None:
            pipe.exists(self._fallback.report_key(key))
        if self._survey is not None:
            pipe.get(self._survey.pending_key(key))
            pipe.get(self._survey.perception_key(key))
        if self._updates is not None:
            pipe.exists(*self._updates.known_keys(key))

    def _state_from(self, reads: list[Any]) -> _TurnState:
        """The replies to `_queue_reads`, in the order it queued them."""
        recent, danger, flags, kept, untold, *rest = reads
        in_fallback = bool(rest.pop(0)) if self._fallback is not None else False
        survey = rest.pop(0) if self._survey is not None else None
        perception = rest.pop(0) if self._survey is not None else None
        updates_known = bool(rest.pop(0)) if self._updates is not None else False
        return _TurnState(
            flags,
            kept,
            in_fallback,
            survey.decode() if survey else None,
            perception.decode() if perception else None,
            untold.decode() if untold else None,
            [unseal(self._cipher, m) for m in recent],
            dq.PendingQuestion.model_validate_json(unseal(self._cipher, danger))
            if danger
            else None,
            updates_known,
        )

    async def _end(
        self,
        key: str,
        lock: TurnLock | None,
        claim: ResendClaim | None,
        outcome: tuple[TurnResult, bool] | None,
        text: str | None = None,
    ) -> None:
        """After the turn's answer (`outcome`: it, and whether the engine answered in full;
        None: no answer), in one round trip: keep the message (`text`) among the recent
        ones the next is triaged with, mark the conversation answered in full, forget its
        untold case if the answer tells that reference, keep the answer for a resend (or
        drop the claim), and free the lock, last, so the next turn sees the rest."""
        result, settled = outcome if outcome is not None else (None, False)
        told = _references_in(result.messages) if result is not None else set()
        remember = result is not None and text is not None
        if lock is None and claim is None and not settled and not told and not remember:
            return
        async with self._redis.pipeline(transaction=False) as pipe:
            if remember:
                recent = self._keys.conversation_recent(key)
                pipe.rpush(recent, seal(self._cipher, text or ""))
                pipe.ltrim(recent, -RECENT_MESSAGES, -1)
                pipe.expire(recent, RECENT_SECONDS)
            if settled:
                pipe.set(self._keys.conversation_settled(key), time.time(), ex=self._ttl)
            if claim is not None:
                if result is not None:
                    claim.keep(pipe, result.messages)
                else:
                    claim.drop(pipe)
            for reference in told:
                # Only if it is still that case (redis-py's compare-and-delete script): a
                # case Rasa stored meanwhile for a message whose answer was lost stays.
                untold = self._keys.conversation_untold_case(key)
                pipe.eval(Lock.LUA_RELEASE_SCRIPT, 1, untold, reference)
            if lock is not None:
                lock.release(pipe)
            replies = await pipe.execute()
        if lock is not None and not replies[-1]:  # it expired during a very slow turn
            log.warning("turn.lock_expired", lock_s=self._turn_lock)

    async def _dialogue_turn(
        self, message: _Message, started: float, state: _TurnState
    ) -> tuple[TurnResult, bool]:
        """The turn's answer, and whether the engine answered it in full (the
        conversation's "settled" mark is then moved on)."""
        key, channel, verdict = message.key, message.channel, message.judged
        previous = open_flags(state.flags, self._cipher)
        text, question, answer = _danger_step(message, state.danger, previous)
        flags = await self._record_flags(key, previous, verdict, state.flags is None, answer)
        lead = self._safety_messages(verdict, newly_hate=flags.hate_told and not previous.hate_told)
        if question is not None or state.danger is not None:
            await self._hold_for_question(key, question)
        if state.untold_reference is not None and self._fallback is not None:
            # The last turn stored a report but never finished (its gateway died before
            # passing on the answer with the reference): the resident is told it now.
            saved = await self._fallback.saved_message(state.untold_reference)
            if saved is not None:
                log.info("turn.untold_reference", reference=state.untold_reference)
                lead.append(saved)
        if question is not None:
            # Nothing else happens to the message until the resident has answered.
            lead.append(dq.question(again=question.asked > 1))
            self._measure(channel, verdict, started, "danger_question")
            return TurnResult(lead, verdict, delivered=True), False
        # The verdict travels to Rasa only when the conversation carries a flag: any
        # metadata costs Rasa ~10 ms a turn, and an unflagged verdict tells it nothing.
        metadata: dict[str, Any] | None = (
            {"triage": verdict.contract_dict(), "flags": flags.contract_dict()}
            if flags.emergency or flags.hate_crime
            else None
        )
        held_unsure = state.danger is not None and state.danger.hate_question
        if not flags.hate_told and (flags.hate_crime or verdict.hate_question or held_unsure):
            # Unsure whether it was hate (or flagged, but not surely, so not told): the form
            # asks about identity next (actions/report_form.py), not late in the form.
            metadata = {**(metadata or {}), "hate_question": True}
        sender = _sender_phone(channel, message.contact)
        if sender is not None:
            # The report form offers it instead of asking for a number (actions/report_form).
            metadata = {**(metadata or {}), "sender_phone": sender}
        if self._updates is not None and state.updates_known and not verdict.emergency:
            # UPDATES or STOP UPDATES from a number offered the monthly update.
            answered = await self._updates.answer(key, message.text)
            if answered is not None:
                result = TurnResult([*lead, BotMessage(answered)], verdict, delivered=True)
                return result, False
        # A scripted report under way is finished first, even if the engine is back.
        if self._fallback is not None and state.in_fallback:
            answers = await self._fallback.answer(key, channel, text, flags, message.contact)
            self._measure(channel, verdict, started, "fallback")
            return TurnResult([*lead, *answers], verdict, delivered=True), False
        # An emergency is never taken as a score for the satisfaction question.
        if self._survey is not None and state.survey_reference and not verdict.emergency:
            answered = await self._survey.answer(key, state.survey_reference, text)
            if answered is not None:  # a reply to the satisfaction question after closure
                result = TurnResult([*lead, BotMessage(answered)], verdict, delivered=True)
                return result, False
        if self._survey is not None and state.perception_reference:
            # Nor as an answer to the perception question: it lapses, as for any other text.
            answered = await self._survey.answer_perception(
                key, state.perception_reference, None if verdict.emergency else text
            )
            if answered is not None:
                result = TurnResult([*lead, BotMessage(answered)], verdict, delivered=True)
                return result, False
        asked = time.perf_counter()
        try:
            await self._replay_pending(key, channel, metadata, state.kept)
            replies = await self._dialogue.send(key, text, channel, metadata)
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
                if apology in lead:  # the untold reference just found again: told once
                    lead.remove(apology)
            self._measure(channel, verdict, started, "dialogue_unavailable")
            return TurnResult([*lead, apology], verdict, delivered=False), False
        engine_seconds = time.perf_counter() - asked
        self._measure(channel, verdict, started, "answered")
        return TurnResult([*lead, *replies], verdict, True, engine_seconds), True

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

    async def _hold_for_question(self, key: str, question: dq.PendingQuestion | None) -> None:
        """Keep the danger question's message until it is answered (None: answered)."""
        name = self._keys.conversation_danger(key)
        if question is None:
            await self._redis.delete(name)
        else:
            sealed = seal(self._cipher, question.model_dump_json())
            await self._redis.set(name, sealed, ex=dq.WAIT_SECONDS)

    async def _record_flags(
        self,
        key: str,
        current: TriageFlags,
        verdict: Verdict,
        none_stored: bool,
        answer: dict[str, object],
    ) -> TriageFlags:
        """The conversation's flags after this message (`current`: before it; `answer`:
        what the danger question's answer adds), stored when they changed."""
        merged = merge_flags(current, verdict).model_copy(update=answer)
        if merged != current or none_stored:
            sealed = seal(self._cipher, merged.model_dump_json())
            await self._redis.set(self._keys.conversation_flags(key), sealed, ex=self._ttl)
        return merged

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


def _danger_step(
    message: _Message, pending: dq.PendingQuestion | None, flags: TriageFlags
) -> tuple[str, dq.PendingQuestion | None, dict[str, object]]:
    """The danger question's part in a turn: (the text the report goes on with, the
    question to ask now or None, what the answer adds to the flags).

    Asked as `dq.would_ask` says. Its answer releases the message it held back: "yes" has already
    made that message an emergency (`Conversations._judged`); "no" lets it go on; no
    usable answer asks once more, then goes on with danger unconfirmed."""
    verdict = message.judged
    if pending is None:
        if dq.would_ask(verdict, flags):
            metrics.DANGER_QUESTIONS.labels("asked").inc()
            held = dq.PendingQuestion(text=message.text, hate_question=verdict.hate_question)
            return message.text, held, {}
        return message.text, None, {}
    said = dq.read_answer(message.text)
    answer = "yes" if message.held is not None else said
    if answer == "unclear":
        if pending.asked < dq.ASKS:
            return message.text, pending.model_copy(update={"asked": pending.asked + 1}), {}
        metrics.DANGER_QUESTIONS.labels("unanswered").inc()
        return pending.text, None, {"danger_question": "unanswered", "danger_unconfirmed": True}
    metrics.DANGER_QUESTIONS.labels(answer).inc()
    # An emergency told instead of a yes goes on with the words it was told in.
    text = pending.text if said != "unclear" else f"{pending.text}\n{message.text}"
    return text, None, {"danger_question": answer}


def _references_in(messages: Sequence[BotMessage]) -> set[str]:
    return {ref for m in messages if (ref := find_reference(m.text)) is not None}


def open_flags(stored: bytes | str | None, cipher: Cipher | None) -> TriageFlags:
    """A conversation's stored flags (none yet: no flags)."""
    return TriageFlags.model_validate_json(unseal(cipher, stored)) if stored else TriageFlags()


async def _admitted() -> bool:
    return True


def _sender_phone(channel: str, contact: str | None) -> str | None:
    """The number a text or call came from, in E.164, when the channel tells it (a
    withheld caller's number does not parse)."""
    if channel not in ("sms", "voice") or not contact:
        return None
    return parse_uk_phone(contact)
