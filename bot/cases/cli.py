"""`asb-intake hotspots`: the open hotspots of each partnership, for operators."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime, timedelta
from typing import TextIO

from redis.asyncio import Redis

from bot.cases.hotspots import OpenHotspot, open_hotspots
from bot.cases.store import CaseStore
from bot.partnerships import load_partnerships
from bot.platform.redis_keys import Keys
from bot.platform.settings import get_settings


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    hotspots = commands.add_parser(
        "hotspots", help="places and alleged perpetrators reported again and again"
    )
    hotspots.add_argument("--partnership", help="one partnership id (default: every one served)")
    hotspots.add_argument("--json", action="store_true", help="one JSON object per line")


def run(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    return asyncio.run(_hotspots(args.partnership, args.json, out))


async def _hotspots(only: str | None, as_json: bool, out: TextIO) -> int:
    settings = get_settings()
    partnerships = load_partnerships(
        settings.partnerships_dir, settings.default_partnership, settings.partnership_ids()
    )
    if only is not None and only not in partnerships:
        print(f"asb-intake: no partnership {only!r} is served here", file=sys.stderr)
        return 2
    chosen = [partnerships.get(only)] if only else partnerships.all()
    now = datetime.now(UTC)
    redis = Redis.from_url(settings.require_redis_url())
    found = 0
    try:
        store = CaseStore(redis, Keys(settings.key_prefix))
        for partnership in chosen:
            since = (now - timedelta(days=partnership.linking.window_days)).timestamp()
            cases = await store.cases_between(since, partnership=partnership.id)
            for hotspot in open_hotspots(cases, partnership, now):
                found += 1
                out.write(_line(partnership.id, hotspot, as_json) + "\n")
    finally:
        await redis.aclose()
    if not found and not as_json:
        out.write("No open hotspots.\n")
    return 0


def _line(partnership: str, h: OpenHotspot, as_json: bool) -> str:
    if as_json:
        return json.dumps(
            {"partnership": partnership, "id": h.id, "kind": h.kind,
             "postcode_district": h.postcode_district, "reports": h.reports,
             "references": list(h.references), "last_report": h.last_report.isoformat()}
        )  # fmt: skip
    where = h.postcode_district or "district unknown"
    return (
        f"{partnership}  {h.id}  {h.kind}  {where}  {h.reports} reports, latest "
        f"{h.last_report:%Y-%m-%d %H:%M} UTC: {', '.join(h.references)}"
    )
