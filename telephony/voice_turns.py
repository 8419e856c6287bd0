"""Conversation turns on a call run in the background, keyed by CallSid and step.

Twilio waits at most 15 seconds for TwiML. A turn that takes longer than about three
seconds is left running; the caller hears a holding phrase and Twilio is redirected to a
URL that picks the result up from Redis (any gateway process can serve it). A retried
request for the same step finds the same turn instead of starting another.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

import structlog
from redis.asyncio import Redis

from bot.cases.reference import find_reference
from bot.conversation import idempotency
from bot.conversation.turn import Conversations
from bot.partnerships import Partnership
from bot.platform.messages import BotMessage
from bot.platform.redis_keys import Keys
from bot.privacy.crypto import Cipher, seal, unseal
from telephony.sms_format import sms_bodies
from telephony.sms_sender import SmsSender
from telephony.voice_flow import without_sentence_of

log = structlog.get_logger("asb.voice")

RESULT_SECONDS = idempotency.ANSWER_SECONDS  # a repeated request finds the turn, not a new one


@dataclass(frozen=True)
class TurnOutcome:
    messages: list[BotMessage]
    emergency: bool = False
    reference: str | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "messages": [m.as_json() for m in self.messages],
                "emergency": self.emergency,
                "reference": self.reference,
            }
        )

    @classmethod
    def from_json(cls, raw: str | bytes) -> TurnOutcome:
        data: dict[str, Any] = json.loads(raw)
        messages = [BotMessage.from_json(m) for m in data["messages"]]
        return cls(messages, bool(data.get("emergency")), data.get("reference"))


@dataclass
class VoiceTurns:
    redis: Redis
    keys: Keys
    conversations: Conversations
    sms: SmsSender
    partnership: Partnership
    cipher: Cipher | None  # outcomes hold the bot's words, which may repeat the resident's
    _running: dict[str, asyncio.Task[None]] = field(default_factory=dict)

    async def start(
        self,
        call_sid: str,
        step: int,
        conversation_key: str,
        text: str,
        sms_to: str | None,
        caller: str | None = None,
    ) -> None:
        """Run the turn for this step unless it already ran (or is running) somewhere.
        `caller` is the calling number, passed to the police if the turn is an emergency."""
        key = self.keys.call_turn(call_sid, step)
        if not await idempotency.claim(self.redis, key):
            return
        task = asyncio.create_task(self._run(key, conversation_key, text, sms_to, caller))
        self._running[key] = task
        task.add_done_callback(lambda _t: self._running.pop(key, None))

    async def result(self, call_sid: str, step: int, wait: float) -> TurnOutcome | None:
        """The turn's outcome, waiting up to `wait` seconds for it."""
        key = self.keys.call_turn(call_sid, step)
        task = self._running.get(key)
        if task is not None:
            await asyncio.wait({task}, timeout=wait)
            wait = 0.05
        deadline = time.monotonic() + wait
        while True:
            raw = await self.redis.get(key)
            if raw is not None and raw != idempotency.PENDING:
                return TurnOutcome.from_json(unseal(self.cipher, raw))
            if time.monotonic() >= deadline:
                return None
            await asyncio.sleep(0.05)

    async def _run(
        self, key: str, conversation_key: str, text: str, sms_to: str | None, caller: str | None
    ) -> None:
        try:
            async with idempotency.holding(self.redis, key):
                result = await self.conversations.turn(conversation_key, "voice", text, caller)
        except Exception:
            log.exception("voice.turn_failed")
            await idempotency.release(self.redis, key)
            raise
        messages = list(result.messages)
        reference = next((r for m in messages if (r := find_reference(m.text))), None)
        outcome = TurnOutcome(messages, result.verdict.emergency, reference)
        await self.redis.set(key, seal(self.cipher, outcome.to_json()), ex=RESULT_SECONDS)
        if reference and sms_to:
            # The call says the reference; the details that follow it go in writing.
            for body in self.reference_texts(reference, messages):
                await self.sms.send(sms_to, body, reference=reference)

    def reference_texts(self, reference: str, messages: list[BotMessage]) -> list[str]:
        """The reference and what happens next, as texts of at most two segments."""
        opening = BotMessage(
            f"Thank you for calling the {self.partnership.name} line. "
            f"Your report reference is {reference}. Please keep it to ask about your report."
        )
        details = [BotMessage(without_sentence_of(m.text, reference)) for m in messages]
        return sms_bodies([opening, *(m for m in details if m.text)])

    async def aclose(self) -> None:
        running = list(self._running.values())
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
