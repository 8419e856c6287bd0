"""Rate limits per sender and per source address, kept in Redis so that every gateway
process shares them. Keys are keyed hashes: no number or IP address is stored."""

from __future__ import annotations

from limits import RateLimitItem, parse
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter

from bot.privacy.contact import pseudonymous_key


class RateLimits:
    def __init__(
        self, redis_url: str, secret: bytes, per_sender: str, per_source: str, prefix: str
    ):
        storage = RedisStorage(
            redis_url.replace("redis://", "async+redis://", 1).replace(
                "rediss://", "async+rediss://", 1
            ),
            implementation="redispy",
            key_prefix=f"{prefix}:ratelimit",
        )
        self._limiter = MovingWindowRateLimiter(storage)
        self._secret = secret
        self._per_sender: RateLimitItem = parse(per_sender)
        self._per_source: RateLimitItem = parse(per_source)

    async def allow_sender(self, sender_key: str) -> bool:
        """`sender_key` is already pseudonymous (a conversation or contact key)."""
        return await self._limiter.hit(self._per_sender, "sender", sender_key)

    async def allow_source(self, address: str) -> bool:
        return await self._limiter.hit(
            self._per_source, "source", pseudonymous_key(self._secret, "ip", address)
        )
