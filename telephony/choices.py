"""What the last SMS reply asked: its choices, so "2" can mean the second of them, and its
question, asked again after the resident texts HELP."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from redis.asyncio import Redis

from bot.platform.messages import BotMessage, Choice
from bot.platform.redis_keys import Keys


def _question_of(messages: Sequence[BotMessage]) -> str | None:
    """The question the reply ends with, from its sentence to the end of its line ("When
    did it happen? You can give a time ..."): our words, never the resident's (a
    read-back's answers are on the lines above it)."""
    for message in reversed(messages):
        lines = [line.strip() for line in message.text.splitlines() if "?" in line]
        if lines:
            sentences = re.split(r"(?<=[.!?])\s+", lines[-1])
            last = max(i for i, sentence in enumerate(sentences) if "?" in sentence)
            return " ".join(sentences[last:])
    return None


async def remember_choices(
    redis: Redis, keys: Keys, conversation_key: str, messages: Sequence[BotMessage], ttl: int
) -> None:
    """Keep the choices of the last message that offered any, and the question asked;
    forget them when the reply asked nothing."""
    offered = next((m.choices for m in reversed(messages) if m.choices), None) or []
    question = _question_of(messages)
    key = keys.conversation_choices(conversation_key)
    if not offered and question is None:
        await redis.delete(key)
        return
    payload = {"choices": [[c.title, c.payload] for c in offered], "question": question}
    await redis.set(key, json.dumps(payload), ex=ttl)


@dataclass(frozen=True)
class LastAsked:
    """What the conversation's last reply asked (nothing, after one that asked nothing)."""

    question: str | None = None
    choices: list[Choice] = field(default_factory=list)


async def last_asked(redis: Redis, keys: Keys, conversation_key: str) -> LastAsked:
    raw = await redis.get(keys.conversation_choices(conversation_key))
    loaded = json.loads(raw) if raw else {}
    if not isinstance(loaded, dict):
        return LastAsked()
    question = loaded.get("question")
    return LastAsked(
        question=question if isinstance(question, str) else None,
        choices=[Choice(title=t, payload=p) for t, p in loaded.get("choices") or []],
    )
