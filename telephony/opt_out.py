"""SMS opt-out keywords, as Twilio and UK carriers honour them.

STOP and the other opt-out words are always obeyed: the number is recorded (by its
pseudonymous key) and nothing is sent to it again until it opts back in. START, UNSTOP
and YES opt back in, but only from an opted-out number: "yes" is otherwise an answer.
HELP and INFO get what the line is and the 999 reminder.
"""

from __future__ import annotations

import re
from typing import Literal

from redis.asyncio import Redis

from bot.partnerships import Partnership
from bot.platform.redis_keys import Keys

Keyword = Literal["stop", "start", "help"]

STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
START_WORDS = frozenset({"START", "YES", "UNSTOP"})
HELP_WORDS = frozenset({"HELP", "INFO"})


def keyword(body: str) -> Keyword | None:
    """The keyword a message is, if the whole message is one (as carriers match them)."""
    word = re.sub(r"[^A-Z]", "", body.strip().upper())
    if len(body.strip()) > 16:
        return None
    if word in STOP_WORDS:
        return "stop"
    if word in START_WORDS:
        return "start"
    if word in HELP_WORDS:
        return "help"
    return None


def help_text(partnership: Partnership) -> str:
    line = partnership.main_line()
    return (
        f"This is the {partnership.name} text line for reporting anti-social behaviour. "
        "Text us what happened and we'll ask a few questions. "
        "In an emergency or if you're in danger call 999 now. "
        f"Or call {line.label} on {line.phone}. Text STOP to stop texts from this number."
    )


def opted_in_text(partnership: Partnership) -> str:
    return (
        f"You'll get texts from the {partnership.name} line again. "
        "Text us to report anti-social behaviour. In an emergency call 999."
    )


class OptOuts:
    """Opted-out numbers, by pseudonymous key (never the number)."""

    def __init__(self, redis: Redis, keys: Keys):
        self._redis = redis
        self._keys = keys

    async def opt_out(self, contact_key: str) -> None:
        await self._redis.sadd(self._keys.sms_opted_out(), contact_key)  # type: ignore[misc]

    async def opt_in(self, contact_key: str) -> bool:
        """True when the number had opted out."""
        removed = await self._redis.srem(self._keys.sms_opted_out(), contact_key)  # type: ignore[misc]
        return bool(removed)

    async def is_opted_out(self, contact_key: str) -> bool:
        member = await self._redis.sismember(self._keys.sms_opted_out(), contact_key)  # type: ignore[misc]
        return bool(member)
