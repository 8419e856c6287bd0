"""Who may see a partnership's dashboard, and the signed session that remembers them.

A key opens a partnership's dashboard when it is a staff key issued for that partnership
or a partner API key of an agency in that partnership's `agencies` list. The session
cookie holds the partnership, who signed in, the key's hash and an expiry, signed with
HMAC-SHA256 under a key derived from the deployment secret; every request checks that
the key is still issued, so revoking a key ends its sessions at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass

from redis.asyncio import Redis

from bot.community.staff_keys import StaffKeys, key_hash
from bot.partners.api_keys import PREFIX as PARTNER_PREFIX
from bot.partnerships import Partnerships
from bot.platform.redis_keys import Keys

SESSION_SECONDS = 8 * 3600
_PURPOSE = b"asb partnership dashboard session v1"


@dataclass(frozen=True)
class Principal:
    """Someone allowed to see one partnership's dashboard."""

    partnership: str
    actor: str  # "staff:<partnership>" or "agency:<agency id>": never a person's name
    key_hash: str  # SHA-256 of the key they signed in with


class Access:
    def __init__(self, redis: Redis, keys: Keys, partnerships: Partnerships):
        self._redis = redis
        self._keys = keys
        self._partnerships = partnerships
        self._staff = StaffKeys(redis, keys)

    async def by_key(self, key: str, partnership: str) -> Principal | None:
        """The principal a key gives for `partnership`, or None (unknown key, a key of
        another partnership, or no such partnership here: the caller cannot tell which)."""
        key = key.strip()
        if len(key) > 200:
            return None
        return await self._by_hash(
            key_hash(key), partnership, partner=key.startswith(PARTNER_PREFIX)
        )

    async def still_allowed(self, principal: Principal) -> bool:
        again = await self._by_hash(
            principal.key_hash, principal.partnership, principal.actor.startswith("agency:")
        )
        return again == principal

    async def actor_elsewhere(self, key: str) -> str | None:
        """Who a valid key belongs to, whatever partnership it opens (for the audit of a
        refused sign-in); None for a key that is not issued."""
        key = key.strip()
        if key.startswith(PARTNER_PREFIX):
            agency = await self._hget(self._keys.partner_api_keys(), key_hash(key))
            return None if agency is None else f"agency:{agency}"
        partnership = await self._staff.partnership_for(key)
        return None if partnership is None else f"staff:{partnership}"

    async def _by_hash(self, digest: str, partnership: str, partner: bool) -> Principal | None:
        if partnership not in self._partnerships:
            return None
        if partner:
            # Partner API keys are stored as their SHA-256 hash -> agency id (redis_keys).
            agency = await self._hget(self._keys.partner_api_keys(), digest)
            agencies = {a.id for a in self._partnerships.get(partnership).agencies}
            if agency is None or agency not in agencies:
                return None
            return Principal(partnership, f"agency:{agency}", digest)
        if await self._staff.partnership_for_hash(digest) != partnership:
            return None
        return Principal(partnership, f"staff:{partnership}", digest)

    async def _hget(self, name: str, field: str) -> str | None:
        found = await self._redis.hget(name, field)  # type: ignore[misc]
        if found is None:
            return None
        return found.decode() if isinstance(found, bytes) else str(found)


class SessionSigner:
    """Session cookies: a signed, expiring statement of a principal."""

    def __init__(self, secret: bytes):
        self._key = hmac.new(secret, _PURPOSE, hashlib.sha256).digest()

    def issue(self, principal: Principal, now: float) -> str:
        body = json.dumps(
            [
                principal.partnership,
                principal.actor,
                principal.key_hash,
                int(now) + SESSION_SECONDS,
            ],
            separators=(",", ":"),
        ).encode()
        return f"{_b64(body)}.{_b64(self._sign(body))}"

    def read(self, token: str, partnership: str, now: float) -> Principal | None:
        """The principal of a genuine, unexpired session for `partnership`, else None."""
        try:
            body_part, signature_part = token.split(".")
            body = _unb64(body_part)
            if not hmac.compare_digest(_unb64(signature_part), self._sign(body)):
                return None
            owner, actor, digest, expires = json.loads(body)
        except (ValueError, TypeError):
            return None
        if owner != partnership or not isinstance(expires, int) or expires <= now:
            return None
        return Principal(str(owner), str(actor), str(digest))

    def _sign(self, body: bytes) -> bytes:
        return hmac.new(self._key, body, hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
