"""A web chat message sent again is answered as it was the first time, and taken once.

The chat page gives each message a random id and, when no answer came (the connection
dropped, the request timed out, the gateway restarted), sends it again with the same id.
Taken twice, "Yes, send it" would answer the question after it, and an emergency would
reach the police twice.

The first request claims (conversation, id, text) in its turn's first round trip and keeps
its answer in the turn's last one. A resend gets that answer, waiting for it while the
first request is still being answered. A turn that fails drops its claim, so a resend runs
the message again; a claim left by a gateway that died mid-turn expires with its turn lock.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from bot.conversation.idempotency import PENDING, wait_for_answer
from bot.platform.messages import BotMessage
from bot.privacy.contact import pseudonymous_key
from bot.privacy.crypto import Cipher, seal, unseal

# A resend comes within the page's request timeout (45 s); ten minutes covers a resident
# who reconnects later, and keeps few answers at a time.
RESEND_SECONDS = 600


def message_digest(secret: bytes, message_id: str, text: str) -> str:
    """What a message's keys are named by: keyed, so the resident's words never appear
    in a key, even hashed guessably."""
    return pseudonymous_key(secret, "message", f"{message_id}\0{text}")


class MessageInProgress(Exception):
    """The first copy of a message is still being answered (or its gateway died)."""


class ResendClaim:
    """One message's claim, queued in the turn's pipelines like the turn lock."""

    def __init__(self, name: str, claim_seconds: float, cipher: Cipher | None):
        self._name = name
        self._claim_ms = int(claim_seconds * 1000)
        self._cipher = cipher  # answers read back what the resident told the bot

    def try_claim(self, pipe: Pipeline) -> None:
        """Queue the claim; its reply is None when this request is the first, else what the
        first one left (its answer, or the pending mark)."""
        pipe.set(self._name, PENDING, nx=True, get=True, px=self._claim_ms)

    def keep(self, pipe: Pipeline, messages: Sequence[BotMessage]) -> None:
        answer = json.dumps([m.as_json() for m in messages])
        pipe.set(self._name, seal(self._cipher, answer), ex=RESEND_SECONDS)

    def drop(self, pipe: Pipeline) -> None:
        pipe.delete(self._name)

    async def earlier_answer(
        self, redis: Redis, found: bytes, wait_seconds: float
    ) -> list[BotMessage]:
        """The first copy's answer (`found`: the claim's reply), waiting up to
        `wait_seconds` for a first copy still being answered."""
        if found == PENDING:
            answer = await wait_for_answer(redis, self._name, wait_seconds, self._cipher)
            if answer is None:
                raise MessageInProgress(self._name)
        else:
            answer = unseal(self._cipher, found)
        return [BotMessage.from_json(m) for m in json.loads(answer)]
