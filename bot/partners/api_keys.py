"""Partner API keys: issued by an operator (`asb-intake partners issue-key AGENCY`), shown
once, stored only as a SHA-256 hash (the keys are 256-bit random, so a fast hash is
enough), each bound to one agency id. Revoking deletes the hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from redis.asyncio import Redis

from bot.platform.redis_keys import Keys

PREFIX = "asbp_"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeys:
    def __init__(self, redis: Redis, keys: Keys):
        self._redis = redis
        self._keys = keys

    async def issue(self, agency: str) -> str:
        key = f"{PREFIX}{agency}_{secrets.token_urlsafe(32)}"
        await self._redis.hset(self._keys.partner_api_keys(), _hash(key), agency)  # type: ignore[misc]
        return key

    async def revoke(self, key: str) -> bool:
        return bool(await self._redis.hdel(self._keys.partner_api_keys(), _hash(key)))  # type: ignore[misc]

    async def revoke_agency(self, agency: str) -> int:
        stored = await self._redis.hgetall(self._keys.partner_api_keys())  # type: ignore[misc]
        mine = [h for h, a in stored.items() if hmac.compare_digest(a, agency.encode())]
        if not mine:
            return 0
        return int(await self._redis.hdel(self._keys.partner_api_keys(), *mine))  # type: ignore[misc]

    async def agency_for(self, key: str) -> str | None:
        if not key.startswith(PREFIX) or len(key) > 200:
            return None
        agency = await self._redis.hget(self._keys.partner_api_keys(), _hash(key))  # type: ignore[misc]
        if agency is None:
            return None
        return agency.decode() if isinstance(agency, bytes) else str(agency)
