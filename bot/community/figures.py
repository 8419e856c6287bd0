"""The partnership dashboard's figures: pure functions over a list of cases.

Everything is counted in one pass over the cases (read once, in a few batched reads, by
the caller) and bucketed by England local time, as staff read a calendar. The windows:
- reports by week and category: the current week (from Monday) and the 25 before it;
- months (reports, satisfaction, perception) and the standards: the current month and the
  12 before it; a survey answer counts in the month it was given;
- hotspots: cases of the last `linking.window_days`;
- this year to date: 1 January to now, against 1 January to the same moment last year.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.cases.hotspots import OpenHotspot, OpenHotspots
from bot.cases.model import Case, Deadline, SlaClock
from bot.partnerships.schema import Partnership

LONDON = ZoneInfo("Europe/London")
CATEGORIES = ("personal", "nuisance", "environmental", "none")
CATEGORY_LABELS = {
    "personal": "Personal",
    "nuisance": "Nuisance",
    "environmental": "Environmental",
    "none": "Not ASB",
}
WEEKS = 26
MONTHS = 13
BIG_PROBLEM = ("very_big", "fairly_big")
StandardKey = Literal["acknowledgement", "first_contact", "high_risk", "meeting"]
Verdict = Literal["met", "missed", "pending"]
Cell = str | int | float | date | datetime | None
CSV_CLOCKS: tuple[SlaClock, ...] = ("acknowledgement", "first_contact", "meeting", "update")
CASE_COLUMNS = (
    "reference", "created_at", "week", "month", "category", "subtype", "risk", "status",
    "postcode_district",
    *(f"{clock}_{part}" for clock in CSV_CLOCKS for part in ("due", "met")),
    "satisfaction", "perception", "hotspot_id",
)  # fmt: skip


@dataclass
class Standard:
    """One published promise and how often it was kept. A clock whose due time has passed
    without being met is missed; one not yet due and not met is pending and not counted."""

    key: StandardKey
    label: str
    short: str  # for a chart's axis
    met: int = 0
    missed: int = 0
    pending: int = 0

    def count(self, verdict: Verdict) -> None:
        if verdict == "met":
            self.met += 1
        elif verdict == "missed":
            self.missed += 1
        else:
            self.pending += 1

    @property
    def percent(self) -> float | None:
        judged = self.met + self.missed
        return None if judged == 0 else 100 * self.met / judged


@dataclass
class Week:
    start: date  # a Monday
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Month:
    start: date  # the 1st
    reports: int = 0
    scores: int = 0  # satisfaction answers
    satisfied: int = 0  # of them, 4 or 5 out of 5
    score_sum: int = 0
    perceptions: int = 0  # perception answers
    big_problem: int = 0  # of them, a very or fairly big problem

    @property
    def satisfied_percent(self) -> float | None:
        return None if self.scores == 0 else 100 * self.satisfied / self.scores

    @property
    def mean_score(self) -> float | None:
        return None if self.scores == 0 else self.score_sum / self.scores

    @property
    def big_problem_percent(self) -> float | None:
        return None if self.perceptions == 0 else 100 * self.big_problem / self.perceptions


@dataclass
class YearToDate:
    this_year: int = 0
    last_year: int = 0  # 1 January to the same moment a year earlier
    cut_target_percent: float | None = None

    @property
    def change_percent(self) -> float | None:
        return (
            None
            if self.last_year == 0
            else 100 * (self.this_year - self.last_year) / self.last_year
        )

    @property
    def target_reports(self) -> float | None:
        """The most reports that still meet the published cut, if there is one."""
        if self.cut_target_percent is None:
            return None
        return self.last_year * (1 - self.cut_target_percent / 100)

    @property
    def on_track(self) -> bool | None:
        target = self.target_reports
        return None if target is None or self.last_year == 0 else self.this_year <= target


@dataclass
class Figures:
    partnership: str
    now: datetime
    weeks: list[Week]
    months: list[Month]
    standards: list[Standard]
    hotspots: list[OpenHotspot]
    year_to_date: YearToDate
    cases: int  # the partnership's cases read


@dataclass(frozen=True)
class Table:
    """The figures as a table: the dashboard's tables and figures.csv are made from these.
    The first column of each row is its header; in a monthly table it is a month's 1st."""

    id: str
    caption: str
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    monthly: bool = False


def since(now: datetime) -> datetime:
    """The oldest moment any figure looks at (1 January of last year, which is always
    before the first of the 13 months shown), for reading the cases once."""
    local = now.astimezone(LONDON)
    return datetime(local.year - 1, 1, 1, tzinfo=LONDON).astimezone(UTC)


def week_start(moment: datetime) -> date:
    day = moment.astimezone(LONDON).date()
    return day - timedelta(days=day.weekday())


def month_start(moment: datetime) -> date:
    return moment.astimezone(LONDON).date().replace(day=1)


def judge(deadline: Deadline, now: datetime) -> Verdict:
    if deadline.met_at is not None:
        return "met" if deadline.met_at <= deadline.due else "missed"
    return "missed" if deadline.due < now else "pending"


def standards_for(partnership: Partnership) -> list[Standard]:
    """The promises the partnership publishes, in the order staff read them."""
    sla = partnership.sla
    out = [
        Standard(
            "acknowledgement",
            f"Acknowledged within {sla.acknowledgement.describe()}",
            "Acknowledged",
        ),
        Standard("first_contact", f"Contacted within {sla.first_contact.describe()}", "Contacted"),
    ]
    if sla.first_contact_high_risk is not None:
        label = f"High risk: contacted within {sla.first_contact_high_risk.describe()}"
        out.append(Standard("high_risk", label, "High risk"))
    if sla.meeting is not None:
        out.append(Standard("meeting", f"Met within {sla.meeting.describe()}", "Meeting"))
    return out


def compute(cases: Iterable[Case], partnership: Partnership, now: datetime) -> Figures:
    """Every figure of the dashboard, in one pass over `cases` (any partnership's: the
    others are skipped)."""
    first_week = week_start(now) - timedelta(weeks=WEEKS - 1)
    weeks = {
        first_week + timedelta(weeks=n): Week(first_week + timedelta(weeks=n)) for n in range(WEEKS)
    }
    month_starts = _months_back(month_start(now), MONTHS)
    months = {m: Month(m) for m in month_starts}
    first_month = datetime(month_starts[0].year, month_starts[0].month, 1, tzinfo=LONDON)
    standards = {s.key: s for s in standards_for(partnership)}
    high_risk_apart = "high_risk" in standards
    hotspots = OpenHotspots(partnership, now)
    local_now = now.astimezone(LONDON)
    this_year = datetime(local_now.year, 1, 1, tzinfo=LONDON)
    last_year = datetime(local_now.year - 1, 1, 1, tzinfo=LONDON)
    last_year_until = _a_year_before(local_now)
    ytd = YearToDate(cut_target_percent=partnership.targets.calls_for_service_cut_percent_per_year)
    count = 0

    for case in cases:
        if case.partnership != partnership.id or case.created_at > now:
            continue
        count += 1
        created = case.created_at
        week = weeks.get(week_start(created))
        if week is not None:
            category = case.flags.category if case.flags.category in CATEGORIES else "none"
            week.counts[category] += 1
        month = months.get(month_start(created))
        if month is not None:
            month.reports += 1
        if created >= first_month:
            for deadline in case.deadlines:
                key = _standard_key(deadline, case, high_risk_apart)
                if key in standards:
                    standards[key].count(judge(deadline, now))
        _count_survey(case, months, now)
        hotspots.see(case)
        if this_year <= created:
            ytd.this_year += 1
        elif last_year <= created <= last_year_until:
            ytd.last_year += 1

    return Figures(
        partnership.id, now, list(weeks.values()), list(months.values()),
        list(standards.values()), hotspots.rows(), ytd, count,
    )  # fmt: skip


def tables(figures: Figures, partnership: Partnership) -> list[Table]:
    """The figures as the dashboard's tables, in page order."""
    targets = partnership.targets
    ytd = figures.year_to_date
    return [
        Table(
            "reports-by-week",
            "Reports by week and category",
            ("Week beginning", *CATEGORY_LABELS.values(), "Total"),
            [(w.start, *(w.counts[c] for c in CATEGORIES), w.total) for w in figures.weeks],
        ),
        Table(
            "hotspots",
            f"Open hotspots (cases of the last {partnership.linking.window_days} days)",
            ("Hotspot", "Kind", "Postcode district", "Reports", "Linked cases", "Latest report"),
            [
                (
                    h.id,
                    h.kind,
                    h.postcode_district,
                    h.reports,
                    " ".join(h.references),
                    h.last_report,
                )
                for h in figures.hotspots
            ],
        ),
        Table(
            "standards",
            "Standards of response met (cases reported in the last 13 months)",
            ("Standard", "Met", "Missed", "Pending", "Met (%)"),
            [(s.label, s.met, s.missed, s.pending, _round(s.percent)) for s in figures.standards],
        ),
        Table(
            "satisfaction",
            f"Satisfaction by month (target: {targets.satisfaction_percent:g}% satisfied)",
            ("Month", "Answers", "Satisfied, 4 or 5 of 5 (%)", "Mean score (of 5)"),
            [
                (m.start, m.scores, _round(m.satisfied_percent), _round(m.mean_score, 2))
                for m in figures.months
            ],
            monthly=True,
        ),
        Table(
            "perception",
            "Perception by month: anti-social behaviour a very or fairly big problem"
            + (
                f" (baseline {targets.perception.baseline_percent:g}%, target "
                f"{targets.perception.target_percent:g}% by {targets.perception.by.isoformat()})"
                if targets.perception
                else ""
            ),
            ("Month", "Answers", "Very or fairly big problem (%)"),
            [(m.start, m.perceptions, _round(m.big_problem_percent)) for m in figures.months],
            monthly=True,
        ),
        Table(
            "calls-by-month",
            "Calls for service (reports) by month",
            ("Month", "Reports"),
            [(m.start, m.reports) for m in figures.months],
            monthly=True,
        ),
        Table(
            "year-to-date",
            "Calls for service this year to date against the same period last year",
            ("Measure", "Value"),
            [
                ("This year to date", ytd.this_year),
                ("Same period last year", ytd.last_year),
                ("Change (%)", _round(ytd.change_percent)),
                *_cut_rows(ytd),
            ],
        ),
    ]


def cases_csv(cases: Iterable[Case], partnership: str, first: datetime) -> str:
    """One row per case of the partnership created from `first`: what is on the case that
    names nobody (no answers, contact, postcode or free text)."""
    rows: list[list[Cell]] = []
    for case in cases:
        if case.partnership != partnership or case.created_at < first:
            continue
        clocks: list[Cell] = []
        for clock in CSV_CLOCKS:
            deadline = case.deadline(clock)
            clocks += [deadline.due, deadline.met_at] if deadline else [None, None]
        hotspot = case.hotspot.id if case.hotspot else None
        rows.append([
            case.reference, case.created_at, week_start(case.created_at),
            month_start(case.created_at).isoformat()[:7], case.flags.category,
            case.flags.subtype, case.risk.level, case.status, case.postcode_district,
            *clocks, case.satisfaction, case.perception, hotspot,
        ])  # fmt: skip
    return _csv(CASE_COLUMNS, rows)


def figures_csv(tables: Iterable[Table]) -> str:
    """Every table in one tidy CSV: one line per number (table, row, column, value)."""
    rows: list[list[Cell]] = []
    for table in tables:
        for row in table.rows:
            name = _csv_cell(row[0], table.monthly)
            rows += [
                [table.id, name, column, value]
                for column, value in zip(table.columns[1:], row[1:], strict=True)
            ]
    return _csv(("table", "row", "column", "value"), rows)


def _csv(header: Iterable[str], rows: Iterable[Iterable[Cell]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return out.getvalue()


def _csv_cell(value: Cell, monthly: bool = False) -> str:
    """Dates and times in ISO 8601 (UTC), nothing for None; text that a spreadsheet would
    run as a formula gets a leading apostrophe (numbers are written as they are)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()[:7] if monthly else value.isoformat()
    if not isinstance(value, str):
        return str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _cut_rows(ytd: YearToDate) -> list[tuple[Cell, ...]]:
    """The published cut and whether this year is within it, where a cut is published."""
    if ytd.cut_target_percent is None:
        return []
    on_track = None if ytd.on_track is None else ("yes" if ytd.on_track else "no")
    return [
        ("Target cut a year (%)", ytd.cut_target_percent),
        ("Most reports within the target", _round(ytd.target_reports)),
        ("On track", on_track),
    ]


def _standard_key(deadline: Deadline, case: Case, high_risk_apart: bool) -> str:
    """Which published standard a case's clock counts towards: a high-risk case's first
    contact counts under its own promise when the partnership makes one."""
    if deadline.clock == "first_contact" and high_risk_apart and case.risk.level == "high":
        return "high_risk"
    return deadline.clock


def _count_survey(case: Case, months: dict[date, Month], now: datetime) -> None:
    if case.satisfaction is None and case.perception is None:
        return
    answered = case.surveyed_at or case.closed_at or case.created_at
    month = months.get(month_start(answered)) if answered <= now else None
    if month is None:
        return
    if case.satisfaction is not None:
        month.scores += 1
        month.score_sum += case.satisfaction
        month.satisfied += case.satisfaction >= 4
    if case.perception is not None:
        month.perceptions += 1
        month.big_problem += case.perception in BIG_PROBLEM


def _months_back(first_of_month: date, count: int) -> list[date]:
    """`count` month starts ending with `first_of_month`, oldest first."""
    index = first_of_month.year * 12 + first_of_month.month - 1
    return [date((index - n) // 12, (index - n) % 12 + 1, 1) for n in range(count - 1, -1, -1)]


def _a_year_before(local: datetime) -> datetime:
    """The same local moment a year earlier (29 February becomes the 28th)."""
    try:
        return local.replace(year=local.year - 1)
    except ValueError:
        return local.replace(year=local.year - 1, day=28)


def _round(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)
