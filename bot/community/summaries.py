"""Public neighbourhood summaries: the reports of anti-social behaviour in a postcode
district month by month, and what the partnership did about them ("you said, we did").

Only the non-personal case record is read (the month, in London, a report was made in;
its postcode district, category, subtype and hate-crime flag) and the outcomes partners
chose to publish (bot/community/outcomes.py); never a case's personal record. Small
counts are suppressed (`protect`) so that no figure can point at a household.

The same `AreaSummary` serves the public page (bot/gateway/community_pages.py), its JSON, the
operator command `asb-intake summary` (bot/community/summary_cli.py), and, through
`as_text`, a monthly text message. The suppression rule: bot/community/suppression.py.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from pydantic import BaseModel, Field
from redis.asyncio import Redis

from bot.cases.model import Case
from bot.cases.sla import LONDON
from bot.cases.store import CaseStore
from bot.community.outcomes import PublicOutcome, PublishedOutcomes
from bot.community.suppression import Cell, protect
from bot.partnerships import Partnership
from bot.platform.redis_keys import Keys

CACHE_SECONDS = 300
TREND_MONTHS = 12
FIRST_YEAR = 2000
# Two concatenated SMS of 153 GSM characters.
SMS_CHARS = 306
PUBLIC_CATEGORIES = ("personal", "nuisance", "environmental")
CATEGORY_LABELS = {
    "personal": "Personal",
    "nuisance": "Nuisance",
    "environmental": "Environmental",
}
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")


@dataclass(frozen=True)
class Kind:
    """A kind of report broken out on the page: one or more subtypes of one category."""

    id: str
    category: str
    label: str
    subtypes: frozenset[str]


# A short list of common kinds. Personal reports (harassment, threats, violence) are about
# people, so only criminal damage is broken out of them.
KINDS = (
    Kind("noise", "nuisance", "Noise", frozenset({"noise"})),
    Kind("drugs", "nuisance", "Drugs", frozenset({"drugs"})),
    Kind("vehicles", "nuisance", "Vehicle nuisance", frozenset({"vehicle_nuisance"})),
    Kind("rowdy_behaviour", "nuisance", "Rowdy behaviour", frozenset({"rowdy_behaviour"})),
    Kind("criminal_damage", "personal", "Criminal damage", frozenset({"criminal_damage"})),
    Kind("fly_tipping", "environmental", "Fly-tipping", frozenset({"fly_tipping"})),
    Kind(
        "graffiti", "environmental", "Graffiti and vandalism", frozenset({"graffiti", "vandalism"})
    ),
    Kind("litter", "environmental", "Litter and dog fouling", frozenset({"litter", "dog_fouling"})),
)
_KIND_OF = {(k.category, s): k.id for k in KINDS for s in k.subtypes}


# Months ------------------------------------------------------------------------------


def month_of(moment: datetime) -> date:
    """The month (its first day) a moment falls in, in London."""
    local = moment.astimezone(LONDON)
    return date(local.year, local.month, 1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_start(month: date) -> datetime:
    return datetime(month.year, month.month, 1, tzinfo=LONDON)


def month_key(month: date) -> str:
    return f"{month:%Y-%m}"


def month_label(month: date) -> str:
    return f"{month:%B %Y}"


def parse_month(text: str, now: datetime) -> date:
    """A `YYYY-MM` month from 2000 to the current one; ValueError saying what is wrong."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError("month: give a month as YYYY-MM, like 2025-03")
    if int(match.group(1)) < FIRST_YEAR:
        raise ValueError(f"month: there are no figures before {FIRST_YEAR}")
    month = date(int(match.group(1)), int(match.group(2)), 1)
    if month > month_of(now):
        raise ValueError("month: that month has not started yet")
    return month


# Counting ----------------------------------------------------------------------------


class DistrictCounts(BaseModel):
    """The true counts of one district in one month: never shown as they are."""

    categories: dict[str, int] = Field(default_factory=dict)
    kinds: dict[str, int] = Field(default_factory=dict)
    hate: int = 0

    @property
    def total(self) -> int:
        return sum(self.categories.values())


def count_months(
    cases: Iterable[Case], partnership: Partnership, months: Collection[date]
) -> dict[date, dict[str, DistrictCounts]]:
    """Reports of anti-social behaviour (category `none` is not one) of the partnership's
    districts in these months, by district."""
    districts = set(partnership.area.districts)
    out: dict[date, dict[str, DistrictCounts]] = {m: {} for m in months}
    for case in cases:
        category, district = case.flags.category, case.postcode_district
        month = month_of(case.created_at)
        if (
            case.partnership != partnership.id
            or category not in PUBLIC_CATEGORIES
            or district not in districts
            or month not in out
        ):
            continue
        counts = out[month].setdefault(district, DistrictCounts())
        counts.categories[category] = counts.categories.get(category, 0) + 1
        kind = _KIND_OF.get((category, case.flags.subtype))
        if kind is not None:
            counts.kinds[kind] = counts.kinds.get(kind, 0) + 1
        counts.hate += case.flags.hate_crime
    return out


# What is published -------------------------------------------------------------------


class KindFigure(BaseModel):
    category: str
    kind: str
    label: str
    reports: Cell


class MonthFigures(BaseModel):
    """One month of one district as published. `total` is the sum of the three
    categories; below the threshold it is all that is shown."""

    month: str
    label: str
    partial: bool  # the current month, so far
    total: Cell
    categories: dict[str, Cell]
    kinds: list[KindFigure]
    hate_incidents: Cell | None  # counted in their categories too


def month_figures(
    counts: DistrictCounts, month: date, partial: bool, threshold: int
) -> MonthFigures:
    """A month's published figures. The categories are protected against the total; the
    kinds of a shown category against that category (their remainder, other kinds, is
    never shown); hate incidents against the total (the rest is never shown). A category
    that is not shown is not broken down, or its kinds would give it away."""
    figures = MonthFigures(
        month=month_key(month),
        label=month_label(month),
        partial=partial,
        total=Cell.fewer_than(threshold),
        categories={},
        kinds=[],
        hate_incidents=None,
    )
    total = counts.total
    if total < threshold:
        return figures
    parts = protect([counts.categories.get(c, 0) for c in PUBLIC_CATEGORIES], threshold)
    figures.categories = dict(zip(PUBLIC_CATEGORIES, parts.cells, strict=True))
    if not parts.margin_shown:
        figures.total = Cell.withheld()
        return figures
    figures.total = Cell.shown(total)
    for category, cell in figures.categories.items():
        if cell.count is None:
            continue
        kinds = [k for k in KINDS if k.category == category]
        values = [counts.kinds.get(k.id, 0) for k in kinds]
        cells = protect(values, threshold, rest=cell.count - sum(values)).cells
        figures.kinds += [
            KindFigure(category=category, kind=k.id, label=k.label, reports=c)
            for k, c in zip(kinds, cells, strict=True)
        ]
    figures.hate_incidents = protect([counts.hate], threshold, rest=total - counts.hate).cells[0]
    return figures


class TrendRow(BaseModel):
    month: str
    label: str
    partial: bool
    total: Cell
    categories: dict[str, Cell]


class Outcome(BaseModel):
    """'You said, we did': a published outcome with its category and month, nothing more."""

    month: str
    label: str
    category: str
    text: str


class Contact(BaseModel):
    label: str
    phone: str
    hours: str | None = None


class AreaSummary(BaseModel):
    partnership: str
    partnership_name: str
    area: str
    month: str  # the month asked for, or by default the last complete one
    suppress_below: int
    months: list[MonthFigures]  # that month, then (by default) the current month so far
    trend: list[TrendRow]  # the 12 months to `month`, oldest first
    outcomes: list[Outcome]  # newest first
    report: list[Contact]  # how to report anti-social behaviour
    chat_path: str = "/chat"

    def as_text(self, max_chars: int = SMS_CHARS) -> str:
        """The month asked for in plain text of at most `max_chars` characters, fit for
        one or two text messages: the figures, then as many outcomes as fit."""
        figures = self.months[0]
        head = f"Anti-social behaviour in {self.area}, {figures.label}: "
        if not figures.categories:
            head += f"{figures.total.display} reports."
        else:
            shown = [
                f"{CATEGORY_LABELS[c].lower()} {cell.display}"
                for c, cell in figures.categories.items()
            ]
            total = figures.total.count
            head += f"{'' if total is None else f'{total:,} '}reports ({', '.join(shown)})."
            common = [k for k in figures.kinds if k.reports.count is not None]
            if common:
                common.sort(key=lambda k: -(k.reports.count or 0))
                head += (
                    " Most reported: "
                    + ", ".join(f"{k.label.lower()} {k.reports.display}" for k in common[:2])
                    + "."
                )
        text = _clip(head, max_chars)
        for outcome in self.outcomes:
            more = f" You said, we did: {outcome.text}"
            if len(text) + len(more) > max_chars:
                break
            text += more
        return text


def _clip(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    return text[: max_chars - 1].rsplit(" ", 1)[0] + "…"


def _trend_row(figures: MonthFigures) -> TrendRow:
    return TrendRow(
        month=figures.month,
        label=figures.label,
        partial=figures.partial,
        total=figures.total,
        categories=figures.categories,
    )


# Reading the store -------------------------------------------------------------------


class Summaries:
    """Area summaries from the case store. Each month's counts of a partnership (every
    district at once) are kept in Redis for a few minutes, and one process reads the store
    for one computation at a time: a burst of requests, or a crawl of every district and
    month, reads each month of cases once per few minutes, not once per request."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        cases: CaseStore,
        cache_seconds: int = CACHE_SECONDS,
    ):
        self._redis = redis
        self._keys = keys
        self._cases = cases
        self._outcomes = PublishedOutcomes(redis, keys)
        self._cache_seconds = cache_seconds
        self._reading = asyncio.Lock()

    async def area_summary(
        self,
        partnership: Partnership,
        district: str,
        month: date | None = None,
        now: datetime | None = None,
    ) -> AreaSummary:
        """The summary of one of the partnership's districts (canonical, like "CV1") for
        `month`; by default the last complete month followed by the current month so far."""
        now = now or datetime.now(UTC)
        current = month_of(now)
        chosen = month or add_months(current, -1)
        shown = [chosen] + ([current] if month is None else [])
        window = [add_months(chosen, n) for n in range(1 - TREND_MONTHS, 1)]
        months = sorted({*window, *shown})
        counts = await self._counts(partnership, months)
        threshold = partnership.community.suppress_below
        figures = {
            m: month_figures(counts[m].get(district, DistrictCounts()), m, m == current, threshold)
            for m in months
        }
        published = await self._outcomes.for_area(
            partnership.id, district, [month_key(m) for m in months]
        )
        return AreaSummary(
            partnership=partnership.id,
            partnership_name=partnership.name,
            area=district,
            month=month_key(chosen),
            suppress_below=threshold,
            months=[figures[m] for m in shown],
            trend=[_trend_row(figures[m]) for m in window],
            outcomes=[_outcome(o) for o in published],
            report=[
                Contact(label=c.label, phone=c.phone, hours=c.hours) for c in partnership.contacts
            ],
        )

    async def _counts(
        self, partnership: Partnership, months: list[date]
    ) -> dict[date, dict[str, DistrictCounts]]:
        found = await self._cached(partnership.id, months)
        if len(found) == len(months):
            return found
        async with self._reading:
            # Another request may have read them while this one waited.
            found.update(await self._cached(partnership.id, [m for m in months if m not in found]))
            missing = [m for m in months if m not in found]
            if missing:
                cases = await self._cases.cases_between(
                    month_start(missing[0]).timestamp(),
                    month_start(add_months(missing[-1], 1)).timestamp(),
                    partnership=partnership.id,
                )
                fresh = count_months(cases, partnership, missing)
                await self._keep(partnership.id, fresh)
                found.update(fresh)
        return found

    async def _cached(
        self, partnership: str, months: list[date]
    ) -> dict[date, dict[str, DistrictCounts]]:
        if not months:
            return {}
        names = [self._keys.community_counts(partnership, month_key(m)) for m in months]
        found: dict[date, dict[str, DistrictCounts]] = {}
        for month, raw in zip(months, await self._redis.mget(names), strict=True):
            if raw is not None:
                found[month] = {
                    district: DistrictCounts.model_validate(counts)
                    for district, counts in json.loads(raw).items()
                }
        return found

    async def _keep(self, partnership: str, counts: dict[date, dict[str, DistrictCounts]]) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            for month, districts in counts.items():
                body = {d: c.model_dump() for d, c in districts.items()}
                pipe.set(
                    self._keys.community_counts(partnership, month_key(month)),
                    json.dumps(body),
                    ex=self._cache_seconds,
                )
            await pipe.execute()


def _outcome(published: PublicOutcome) -> Outcome:
    return Outcome(
        month=published.month,
        label=month_label(date.fromisoformat(f"{published.month}-01")),
        category=CATEGORY_LABELS.get(published.category, "Other"),
        text=published.text,
    )
