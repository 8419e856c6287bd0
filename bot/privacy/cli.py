"""Operator commands for privacy: `asb-intake erase` and `asb-intake keys ...`."""

from __future__ import annotations

import argparse
import asyncio
import getpass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import WatchError

from bot.cases.store import CaseStore
from bot.community.subscriptions import rotate_contacts
from bot.platform.redis_keys import Keys
from bot.platform.settings import get_settings
from bot.privacy.audit import audit
from bot.privacy.contact import parse_uk_phone
from bot.privacy.crypto import Cipher, new_key
from bot.privacy.erase import Eraser


def add_commands(commands: Any) -> None:
    erase = commands.add_parser(
        "erase", help="erase a resident's personal data (by case reference or phone number)"
    )
    which = erase.add_mutually_exclusive_group(required=True)
    which.add_argument("--reference", help="a case reference, e.g. ASB-K7MP-4QXW")
    which.add_argument("--phone", help="the resident's phone number, e.g. 07911 123456")
    erase.add_argument("--by", default=getpass.getuser(), help="who asked (for the audit)")
    keys = commands.add_parser("keys", help="encryption keys of personal data")
    keys_commands = keys.add_subparsers(dest="keys_command", required=True)
    keys_commands.add_parser("new", help="print a new key to put first in ASB_ENCRYPTION_KEYS")
    keys_commands.add_parser("rotate", help="re-encrypt stored records with the newest key")


def run(args: argparse.Namespace) -> int:
    if args.command == "keys" and args.keys_command == "new":
        print(new_key())
        return 0
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    settings = get_settings()
    redis = Redis.from_url(settings.require_redis_url())
    keys = Keys(settings.key_prefix)
    cipher = settings.cipher()
    cases = CaseStore(redis, keys, cipher=cipher, retention_seconds=settings.retention_seconds)
    try:
        if args.command == "keys":
            count = await rotate(redis, keys, cases, cipher)
            await audit(redis, keys, actor=getpass.getuser(), action="keys.rotate",
                        subject="personal-records", records=count)  # fmt: skip
            print(f"re-encrypted {count} records with the newest key")
            return 0
        eraser = Eraser(redis, keys, cases, settings.secret_key(), settings.data_dir)
        if args.reference:
            done = await eraser.by_reference(args.reference.strip().upper(), args.by)
        else:
            phone = parse_uk_phone(args.phone)
            if phone is None:
                print("not a valid phone number")
                return 2
            done = await eraser.by_phone(phone, args.by)
        print(
            f"erased: cases {', '.join(done.references) or 'none'}; "
            f"{done.conversations} conversations, {done.redis_keys} records, "
            f"{done.deliveries} partner deliveries, {done.jobs} queued jobs, "
            f"{done.outbox_lines} SMS outbox lines, {done.files} files"
        )
        return 0
    finally:
        await redis.aclose()


async def rotate(redis: Redis, keys: Keys, cases: CaseStore, cipher: Cipher) -> int:
    """Every case personal record, emergency record, Rasa tracker and partner delivery body,
    re-encrypted with the newest key (and encrypted, if it was written before encryption
    was on; a tracker written in the clear is encrypted by Rasa at its next turn)."""
    count = 0
    for reference in await cases.references():
        count += int(await cases.rotate_personal(reference))
    for pattern in (keys.emergency("*"), keys.rasa_tracker("*")):
        count += await _rotate_strings(redis, pattern, cipher)
    async for key in redis.scan_iter(keys.delivery("*")):
        body = await redis.hget(key, "body")  # type: ignore[misc]
        if body is not None:
            sealed = cipher.rotate(body) if Cipher.is_token(body) else cipher.encrypt(body.decode())
            await redis.hset(key, "body", sealed.decode())  # type: ignore[misc]
            count += 1
    # Monthly neighbourhood updates: the subscribers' and offers' numbers and addresses.
    count += await rotate_contacts(redis, keys, cipher)
    return count


async def _rotate_strings(redis: Redis, pattern: str, cipher: Cipher) -> int:
    """Each value rewritten only if unchanged since read: a conversation's next turn may
    write its tracker meanwhile, and that newer tracker must not be replaced."""
    count = 0
    async for key in redis.scan_iter(pattern):
        async with redis.pipeline() as pipe:
            try:
                await pipe.watch(key)
                raw = await pipe.get(key)
                if raw is None or not Cipher.is_token(raw):
                    continue
                pipe.multi()  # type: ignore[no-untyped-call]
                pipe.set(key, cipher.rotate(raw), keepttl=True)
                await pipe.execute()
                count += 1
            except WatchError:
                continue  # rewritten meanwhile, by a process that has the keys
    return count
