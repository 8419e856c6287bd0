"""MMS media sent to the line, kept on the conversation until its report is stored.

Case intake reads them (`CaseStore.media_links`) into the case's personal record, which
partners receive as `media`, and clears them for the next report. A photo of a person or
a home is personal, so each link is kept sealed like the rest of the conversation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from redis.asyncio import Redis

from bot.platform.redis_keys import Keys
from bot.privacy.crypto import Cipher, seal

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
    redis: Redis,
    keys: Keys,
    conversation_key: str,
    urls: Sequence[str],
    ttl: int,
    cipher: Cipher | None,
) -> None:
    if not urls:
        return
    key = keys.conversation_media(conversation_key)
    async with redis.pipeline(transaction=True) as tx:
        tx.rpush(key, *(seal(cipher, url) for url in urls))
        tx.expire(key, ttl)
        await tx.execute()
