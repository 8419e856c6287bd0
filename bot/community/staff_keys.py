"""Staff keys for a partnership's dashboard: issued by an operator
(`asb-intake staff issue-key --partnership ID`), shown once, stored only as a SHA-256 hash
(the keys are 256-bit random, so a fast hash is enough; as partner API keys are), each
bound to one partnership. Revoking deletes the hash, which also ends its sessions."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import hashlib
import hmac
import secrets
import sys
from typing import Any, TextIO

from redis.asyncio import Redis

from bot.partnerships import load_partnerships
from bot.platform.redis_keys import Keys
from bot.platform.settings import get_settings
from bot.privacy.audit import audit

PREFIX = "asbs_"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class StaffKeys:
    def __init__(self, redis: Redis, keys: Keys):
        self._redis = redis
        self._keys = keys

    async def issue(self, partnership: str) -> str:
        key = f"{PREFIX}{partnership}_{secrets.token_urlsafe(32)}"
        await self._redis.hset(self._keys.staff_keys(), key_hash(key), partnership)  # type: ignore[misc]
        return key

    async def revoke(self, key: str) -> bool:
        return bool(await self._redis.hdel(self._keys.staff_keys(), key_hash(key)))  # type: ignore[misc]

    async def revoke_partnership(self, partnership: str) -> int:
        stored = await self._redis.hgetall(self._keys.staff_keys())  # type: ignore[misc]
        mine = [h for h, p in stored.items() if hmac.compare_digest(p, partnership.encode())]
        if not mine:
            return 0
        return int(await self._redis.hdel(self._keys.staff_keys(), *mine))  # type: ignore[misc]

    async def partnership_for(self, key: str) -> str | None:
        if not key.startswith(PREFIX) or len(key) > 200:
            return None
        return await self.partnership_for_hash(key_hash(key))

    async def partnership_for_hash(self, digest: str) -> str | None:
        """The partnership of a key known by its hash (a session holds the hash only)."""
        found = await self._redis.hget(self._keys.staff_keys(), digest)  # type: ignore[misc]
        if found is None:
            return None
        return found.decode() if isinstance(found, bytes) else str(found)


def add_commands(commands: Any) -> None:
    staff = commands.add_parser("staff", help="staff keys for the partnership dashboard")
    s = staff.add_subparsers(dest="action", required=True)
    issue = s.add_parser("issue-key", help="issue a dashboard key for a partnership (shown once)")
    issue.add_argument("--partnership", required=True, help="a partnership id, e.g. coventry")
    revoke = s.add_parser("revoke-key", help="revoke one key, or every key of a partnership")
    which = revoke.add_mutually_exclusive_group(required=True)
    which.add_argument("key", nargs="?", help="the asbs_... key to revoke")
    which.add_argument("--partnership", help="revoke every key of this partnership")


def run(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    return asyncio.run(_run(args, out))


async def _run(args: argparse.Namespace, out: TextIO) -> int:
    settings = get_settings()
    redis = Redis.from_url(settings.require_redis_url())
    keys = Keys(settings.key_prefix)
    store = StaffKeys(redis, keys)
    operator = getpass.getuser()
    try:
        if args.action == "issue-key":
            served = load_partnerships(
                settings.partnerships_dir, settings.default_partnership, settings.partnership_ids()
            )
            if args.partnership not in served:
                print(f"no partnership {args.partnership!r} is served here", file=sys.stderr)
                return 2
            key = await store.issue(args.partnership)
            await audit(redis, keys, actor=operator, action="staff_key.issue",
                        subject=args.partnership, key=key_hash(key)[:12])  # fmt: skip
            print(key, file=out)
            return 0
        if args.key:
            revoked = await store.revoke(args.key.strip())
            await audit(redis, keys, actor=operator, action="staff_key.revoke",
                        subject=key_hash(args.key.strip())[:12], revoked=int(revoked))  # fmt: skip
            print("revoked" if revoked else "no such key", file=out)
            return 0 if revoked else 1
        count = await store.revoke_partnership(args.partnership)
        await audit(redis, keys, actor=operator, action="staff_key.revoke",
                    subject=args.partnership, revoked=count)  # fmt: skip
        print(f"revoked {count} key(s) of {args.partnership}", file=out)
        return 0
    finally:
        await redis.aclose()
