"""`asb-intake deliveries ...` and `asb-intake partners ...`: for operators."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TextIO

import httpx
from arq.connections import ArqRedis
from redis.asyncio import Redis

from bot.cases.events import CaseEvents
from bot.cases.reference import normalise_reference
from bot.cases.store import CaseStore
from bot.partners.api_keys import ApiKeys
from bot.partners.config import load_partners_file
from bot.partners.delivery import PartnerDelivery
from bot.partnerships import Partnership, load_partnerships
from bot.platform.job_queue import connect
from bot.platform.redis_keys import Keys
from bot.platform.settings import Settings, get_settings


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    deliveries = commands.add_parser("deliveries", help="partner webhook deliveries")
    d = deliveries.add_subparsers(dest="action", required=True)
    show = d.add_parser("show", help="the delivery log of a case (or an emergency id)")
    show.add_argument("subject", help="ASB-... reference or EM-... emergency id")
    show.add_argument("--json", action="store_true", help="one JSON object per line")
    d.add_parser("dead", help="list dead letters")
    replay = d.add_parser("replay", help="send dead letters again (same webhook-id)")
    replay.add_argument("webhook_ids", nargs="*", help="msg_... ids; none with --all")
    replay.add_argument("--all", action="store_true", help="every dead letter")

    partners = commands.add_parser("partners", help="partner agencies: API keys, endpoints")
    p = partners.add_subparsers(dest="action", required=True)
    issue = p.add_parser("issue-key", help="issue an API key for an agency (shown once)")
    issue.add_argument("agency")
    revoke = p.add_parser("revoke-keys", help="revoke every API key of an agency")
    revoke.add_argument("agency")
    enable = p.add_parser("enable", help="re-enable an endpoint disabled by a 410 answer")
    enable.add_argument("agency")


@asynccontextmanager
async def _delivery(settings: Settings) -> AsyncIterator[tuple[PartnerDelivery, Redis, Keys]]:
    url = settings.require_redis_url()
    redis = Redis.from_url(url)
    pool: ArqRedis = await connect(url)
    keys = Keys(settings.key_prefix)
    partnerships = load_partnerships(
        settings.partnerships_dir, settings.default_partnership, settings.partnership_ids()
    )
    cipher = settings.cipher()
    async with httpx.AsyncClient() as http:
        try:
            yield (
                PartnerDelivery(
                    redis,
                    keys,
                    pool,
                    CaseStore(redis, keys, cipher=cipher),
                    CaseEvents(redis, keys),
                    partnerships,
                    load_partners_file(settings.partners_file),
                    http,
                    base_url=settings.public_base_url,
                    schedule=settings.retry_schedule(),
                    cipher=cipher,
                ),
                redis,
                keys,
            )
        finally:
            await pool.aclose()
            await redis.aclose()


async def _run(args: argparse.Namespace, out: TextIO) -> int:
    settings = get_settings()
    async with _delivery(settings) as (delivery, redis, keys):
        if args.command == "deliveries":
            if args.action == "show":
                subject = normalise_reference(args.subject) or args.subject
                entries = await delivery.log_for(subject)
                for e in entries:
                    if args.json:
                        print(json.dumps(e), file=out)
                    else:
                        print(
                            f"{e['time']}  {e['agency']:<22} {e['type']:<18} "
                            f"try {e['attempt']:>2}  {e['outcome']:<17} {e['status'] or '-':>4}"
                            f"  {e['ms']:>7} ms  {e['webhook_id']}  {e['error']}",
                            file=out,
                        )
                if not entries:
                    print(f"no deliveries for {subject}", file=out)
                return 0
            if args.action == "dead":
                for wid in await delivery.dead_letters():
                    d = await delivery.get(wid)
                    print(
                        f"{wid}  {d.get('agency')}  {d.get('type')}  {d.get('subject')}  "
                        f"{d.get('dead_reason')}",
                        file=out,
                    )
                return 0
            ids = await delivery.dead_letters() if args.all else args.webhook_ids
            if not ids:
                print("name webhook ids, or --all", file=sys.stderr)
                return 2
            failed = 0
            for wid in ids:
                ok = await delivery.replay(wid)
                failed += not ok
                print(f"{wid}: {'queued again' if ok else 'not a dead letter'}", file=out)
            return 1 if failed else 0
        if args.action == "issue-key":
            known = {a.id for p in delivery_partnerships(settings) for a in p.agencies}
            if args.agency not in known:
                print(f"no agency {args.agency!r} in the partnership files", file=sys.stderr)
                return 2
            key = await ApiKeys(redis, keys).issue(args.agency)
            print(key, file=out)
            return 0
        if args.action == "revoke-keys":
            count = await ApiKeys(redis, keys).revoke_agency(args.agency)
            print(f"revoked {count} key(s) of {args.agency}", file=out)
            return 0
        enabled = await delivery.enable(args.agency)
        print(f"{args.agency}: {'enabled' if enabled else 'was not disabled'}", file=out)
        return 0


def delivery_partnerships(settings: Settings) -> list[Partnership]:
    return load_partnerships(
        settings.partnerships_dir, settings.default_partnership, settings.partnership_ids()
    ).all()


def run(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    return asyncio.run(_run(args, out))
