"""MMS media sent to the line, kept as evidence links on the conversation.

Case submission reads them with `media_links` and puts them on the case.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from redis.asyncio import Redis

from bot.redis_keys import Keys

MAX_MEDIA = 10  # Twilio sends at most ten media items per message


def media_urls(params: Mapping[str, str]) -> list[str]:
    """`MediaUrl0` .. `MediaUrl{NumMedia-1}` of an inbound message."""
    try:
        count = min(int(params.get("NumMedia") or 0), MAX_MEDIA)
    except ValueError:
        count = 0
    urls = [params.get(f"MediaUrl{i}", "") for i in range(count)]
    return [u for u in urls if u.startswith("https://") or u.startswith("http://")]


async def keep_media(
    redis: Redis, keys: Keys, conversation_key: str, urls: Sequence[str], ttl: int
) -> None:
    if not urls:
        return
    key = keys.conversation_media(conversation_key)
    async with redis.pipeline(transaction=True) as tx:
        tx.rpush(key, *urls)
        tx.expire(key, ttl)
        await tx.execute()


async def media_links(redis: Redis, keys: Keys, conversation_key: str) -> list[str]:
    """Every evidence link sent on the conversation, oldest first, without repeats."""
    raw = await redis.lrange(keys.conversation_media(conversation_key), 0, -1)  # type: ignore[misc]
    links = [item.decode() if isinstance(item, bytes) else str(item) for item in raw]
    return list(dict.fromkeys(links))
