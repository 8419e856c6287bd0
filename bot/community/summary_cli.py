"""`asb-intake summary`: a partnership's public neighbourhood summary for a month, as a
table or JSON, from the store of the service running here (or REDIS_URL)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, date, datetime
from typing import TextIO

from redis.asyncio import Redis

from bot.cases.store import CaseStore
from bot.community.summaries import (
    CATEGORY_LABELS,
    KINDS,
    PUBLIC_CATEGORIES,
    AreaSummary,
    Summaries,
    month_key,
    parse_month,
)
from bot.partnerships import Partnership, load_partnerships
from bot.platform.redis_keys import Keys
from bot.platform.settings import Settings, get_settings


def summary_table(partnership: Partnership, summaries: list[AreaSummary]) -> str:
    """The month's figures of each area as a plain-text table, its kinds and its outcomes."""
    if not summaries:
        return ""
    first = summaries[0].months[0]
    when = first.label + (" (so far)" if first.partial else "")
    columns = ["area", "reports", *(CATEGORY_LABELS[c].lower() for c in PUBLIC_CATEGORIES)]
    columns.append("hate incidents")
    rows = [columns]
    kind_rows = [["area", *(k.label.lower() for k in KINDS)]]
    outcomes: list[str] = []
    for summary in summaries:
        figures = summary.months[0]
        hate = figures.hate_incidents.display if figures.hate_incidents else "-"
        cats = [
            figures.categories[c].display if c in figures.categories else "-"
            for c in PUBLIC_CATEGORIES
        ]
        rows.append([summary.area, figures.total.display, *cats, hate])
        by_kind = {k.kind: k.reports.display for k in figures.kinds}
        kind_rows.append([summary.area, *(by_kind.get(k.id, "-") for k in KINDS)])
        outcomes += [
            f"{summary.area}  {o.label}  {o.category}: {o.text}"
            for o in summary.outcomes
            if o.month == figures.month
        ]
    lines = [f"{partnership.name}: reports of anti-social behaviour, {when}", ""]
    lines += [*_columns(rows), "", *_columns(kind_rows)]
    lines += ["", "You said, we did:", *(outcomes or ["(none published)"])]
    lines += ["", f"Counts below {partnership.community.suppress_below} are shown as "
              f"\"fewer than {partnership.community.suppress_below}\"; \"not shown\" hides a "
              "figure that would give one away; \"-\" is not broken down."]  # fmt: skip
    return "\n".join(lines) + "\n"


def _columns(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    summary = commands.add_parser(
        "summary", help="a partnership's public neighbourhood summary for a month"
    )
    summary.add_argument("--partnership", required=True, metavar="ID")
    summary.add_argument("--month", required=True, metavar="YYYY-MM")
    summary.add_argument("--area", metavar="DISTRICT", help="one postcode district, like CV1")
    summary.add_argument("--json", action="store_true", help="JSON instead of a table")


def run(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """`asb-intake summary`: every district of the partnership, or one, for a month, from
    the store of the service running here (or REDIS_URL)."""
    settings = get_settings()
    partnerships = load_partnerships(
        settings.partnerships_dir, settings.default_partnership, settings.partnership_ids()
    )
    if args.partnership not in partnerships:
        raise RuntimeError(f"no partnership {args.partnership!r} is served here")
    partnership = partnerships.get(args.partnership)
    try:
        month = parse_month(args.month, datetime.now(UTC))
    except ValueError as exc:
        raise RuntimeError(str(exc)) from None
    districts = partnership.area.districts
    if args.area is not None:
        district = args.area.strip().upper()
        if district not in districts:
            raise RuntimeError(
                f"{district} is not one of {partnership.name}'s districts: {', '.join(districts)}"
            )
        districts = [district]
    found = asyncio.run(_summaries(settings, partnership, districts, month))
    if args.json:
        body = {"partnership": partnership.id, "month": month_key(month),
                "areas": [s.model_dump(mode="json") for s in found]}  # fmt: skip
        out.write(json.dumps(body, indent=2) + "\n")
    else:
        out.write(summary_table(partnership, found))
    return 0


async def _summaries(
    settings: Settings, partnership: Partnership, districts: list[str], month: date
) -> list[AreaSummary]:
    redis = Redis.from_url(settings.require_redis_url())
    try:
        keys = Keys(settings.key_prefix)
        summaries = Summaries(redis, keys, CaseStore(redis, keys))
        return [await summaries.area_summary(partnership, d, month) for d in districts]
    finally:
        await redis.aclose()
