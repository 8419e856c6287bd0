"""The choices last offered on an SMS conversation, so "2" can mean the second of them."""

from __future__ import annotations

import json
from collections.abc import Sequence

from redis.asyncio import Redis

from bot.dialogue import BotMessage, Choice
from bot.redis_keys import Keys


async def remember_choices(
    redis: Redis, keys: Keys, conversation_key: str, messages: Sequence[BotMessage], ttl: int
) -> None:
    """Keep the choices of the last message that offered any; forget them when none did."""
    offered = next((m.choices for m in reversed(messages) if m.choices), None)
    key = keys.conversation_choices(conversation_key)
    if not offered:
        await redis.delete(key)
        return
    payload = json.dumps([[c.title, c.payload] for c in offered])
    await redis.set(key, payload, ex=ttl)


async def last_choices(redis: Redis, keys: Keys, conversation_key: str) -> list[Choice]:
    raw = await redis.get(keys.conversation_choices(conversation_key))
    if not raw:
        return []
    return [Choice(title=t, payload=p) for t, p in json.loads(raw)]
