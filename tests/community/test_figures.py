"""The dashboard's figures over hand-built cases whose answers are known, and the charts
that draw them."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.cases.model import Case, PerceptionAnswer, RiskLevel
from bot.community import figures as fig
from bot.community.charts import Series, bar_chart, line_chart
from bot.partnerships import Partnership, load_partnership
from bot.platform.settings import PROJECT_ROOT
from tests.community.builders import case, deadline, hotspot

NOW = datetime(2025, 6, 18, 11, 0, tzinfo=UTC)  # a Wednesday, British Summer Time
DAY = timedelta(days=1)
SVG = "{http://www.w3.org/2000/svg}"


def partnership(pid: str) -> Partnership:
    return load_partnership(PROJECT_ROOT / "partnerships", pid)


COVENTRY = partnership("coventry")


def test_reports_are_counted_by_local_week_and_category() -> None:
    cases = [
        # 00:30 on Monday 16 June in England, still Sunday in UTC.
        case(datetime(2025, 6, 15, 23, 30, tzinfo=UTC), category="personal"),
        case(datetime(2025, 6, 15, 22, 30, tzinfo=UTC), category="nuisance"),  # Sunday 23:30
        case(datetime(2024, 12, 23, 9, tzinfo=UTC), category="environmental"),  # first week
        case(datetime(2024, 12, 22, 12, tzinfo=UTC), category="personal"),  # the week before
        case(datetime(2025, 6, 17, 9, tzinfo=UTC), category="something_new"),
        case(datetime(2025, 6, 17, 9, tzinfo=UTC), partnership="cherwell"),
    ]
    figures = fig.compute(cases, COVENTRY, NOW)

    assert len(figures.weeks) == 26
    assert figures.weeks[0].start == date(2024, 12, 23)
    assert figures.weeks[-1].start == date(2025, 6, 16)
    assert figures.weeks[-1].counts == {"personal": 1, "nuisance": 0, "environmental": 0, "none": 1}
    assert figures.weeks[-2].counts["nuisance"] == 1
    assert figures.weeks[0].counts["environmental"] == 1
    assert sum(w.total for w in figures.weeks) == 4
    assert figures.cases == 5  # the other partnership's case is not Coventry's


def test_each_standard_counts_met_missed_and_pending() -> None:
    def ack(due: datetime, met: datetime | None = None, created: datetime = NOW - 3 * DAY) -> Case:
        return case(created, deadlines=[deadline("acknowledgement", due, met)])

    def contact(risk: RiskLevel, met: datetime) -> Case:
        return case(NOW - 3 * DAY, risk=risk, deadlines=[deadline("first_contact", NOW - DAY, met)])

    old = NOW - timedelta(days=420)
    cases = [
        ack(NOW - 2 * DAY, NOW - 3 * DAY),  # met
        ack(NOW - 2 * DAY, NOW - DAY),  # met late: missed
        ack(NOW - timedelta(hours=1)),  # overdue: missed
        ack(NOW + timedelta(hours=1), created=NOW - timedelta(hours=2)),  # pending
        ack(NOW - DAY, NOW - DAY),  # met on the dot
        contact("standard", NOW - 2 * DAY),
        contact("high", NOW - timedelta(hours=2)),  # a day late for its own promise
        ack(old + DAY, created=old),  # before the 13 months
    ]
    standards = {s.key: s for s in fig.compute(cases, COVENTRY, NOW).standards}

    assert [s.label for s in standards.values()] == [
        "Acknowledged within 24 hours",
        "Contacted within 5 working days",
        "High risk: contacted within 1 working day",
    ]
    ack = standards["acknowledgement"]
    assert (ack.met, ack.missed, ack.pending, ack.percent) == (2, 2, 1, 50.0)
    assert (standards["first_contact"].met, standards["first_contact"].missed) == (1, 0)
    assert standards["first_contact"].percent == 100.0
    assert (standards["high_risk"].met, standards["high_risk"].missed) == (0, 1)
    assert standards["high_risk"].percent == 0.0


def test_a_partnership_without_a_high_risk_promise_counts_every_contact_together() -> None:
    cherwell = partnership("cherwell")
    cases = [
        case(NOW - 3 * DAY, partnership="cherwell", risk="high",
             deadlines=[deadline("first_contact", NOW - DAY, NOW - 2 * DAY),
                        deadline("meeting", NOW - DAY)]),
    ]  # fmt: skip
    standards = {s.key: s for s in fig.compute(cases, cherwell, NOW).standards}

    assert list(standards) == ["acknowledgement", "first_contact", "meeting"]
    assert standards["first_contact"].met == 1
    assert standards["meeting"].label == "Met within 3 working days"
    assert standards["meeting"].missed == 1
    assert standards["acknowledgement"].percent is None  # nothing judged: no percentage


def test_satisfaction_and_perception_count_in_the_month_answered() -> None:
    april = datetime(2025, 4, 10, 12, tzinfo=UTC)

    def answered(when: datetime, score: int, view: PerceptionAnswer | None = None) -> Case:
        return case(april, satisfaction=score, perception=view, surveyed_at=when)

    cases = [
        answered(datetime(2025, 6, 2, tzinfo=UTC), 5, "very_big"),
        answered(datetime(2025, 6, 3, tzinfo=UTC), 4, "not_a_problem"),
        answered(datetime(2025, 6, 4, tzinfo=UTC), 2),
        answered(datetime(2025, 5, 31, 23, 30, tzinfo=UTC), 3),  # 00:30 on 1 June in England
        answered(datetime(2025, 5, 20, tzinfo=UTC), 1),
        case(
            datetime(2024, 5, 1, tzinfo=UTC),
            satisfaction=5,
            surveyed_at=datetime(2024, 5, 20, tzinfo=UTC),
        ),  # answered before the 13 months
    ]
    months = {m.start: m for m in fig.compute(cases, COVENTRY, NOW).months}

    assert min(months) == date(2024, 6, 1) and max(months) == date(2025, 6, 1)
    june, may, april_month = (
        months[date(2025, 6, 1)],
        months[date(2025, 5, 1)],
        months[date(2025, 4, 1)],
    )
    assert (june.scores, june.satisfied) == (4, 2)
    assert june.satisfied_percent == 50.0
    assert june.mean_score == 3.5
    assert (june.perceptions, june.big_problem_percent) == (2, 50.0)
    assert (may.scores, may.satisfied_percent, may.mean_score) == (1, 0.0, 1.0)
    assert may.big_problem_percent is None
    assert april_month.reports == 5 and april_month.satisfied_percent is None


def test_open_hotspots_are_the_windows_newest_views_newest_first() -> None:
    cases = [
        case(NOW - 40 * DAY, hotspot=hotspot("hs-a", ["ASB-1", "ASB-2", "ASB-3"])),
        case(NOW - 10 * DAY, hotspot=hotspot("hs-a", ["ASB-2", "ASB-3", "ASB-4"])),
        case(NOW - 2 * DAY, hotspot=hotspot("hs-a", ["ASB-2", "ASB-3", "ASB-4", "ASB-5"])),
        case(
            NOW - 5 * DAY,
            hotspot=hotspot(
                "hs-b", ["ASB-6", "ASB-7", "ASB-8"], kind="perpetrator", district="CV2"
            ),
        ),
        case(NOW - 45 * DAY, hotspot=hotspot("hs-old", ["ASB-9", "ASB-10", "ASB-11"])),
    ]
    rows = fig.compute(cases, COVENTRY, NOW).hotspots

    assert [r.id for r in rows] == ["hs-a", "hs-b"]
    assert rows[0].reports == 4
    assert rows[0].references == ("ASB-2", "ASB-3", "ASB-4", "ASB-5")
    assert rows[0].last_report == NOW - 2 * DAY
    assert (rows[1].kind, rows[1].postcode_district) == ("perpetrator", "CV2")


def test_calls_for_service_year_to_date_against_last_year_and_the_cut() -> None:
    chesterfield = partnership("chesterfield")
    at = datetime(2024, 6, 18, 11, 0, tzinfo=UTC)  # the same moment a year before NOW

    def one(when: datetime) -> Case:
        return case(when, partnership="chesterfield", district="S40")

    cases = [one(datetime(2025, 1, 1, 9, tzinfo=UTC) + n * 9 * DAY) for n in range(18)]
    cases += [one(datetime(2024, 1, 1, 0, 30, tzinfo=UTC) + n * 8 * DAY) for n in range(19)]
    cases += [one(at), one(at + timedelta(seconds=1)), one(datetime(2024, 12, 1, tzinfo=UTC))]
    cases += [one(datetime(2023, 12, 31, 23, tzinfo=UTC))]
    figures = fig.compute(cases, chesterfield, NOW)
    ytd = figures.year_to_date

    assert (ytd.this_year, ytd.last_year) == (18, 20)
    assert ytd.change_percent == -10.0
    assert ytd.cut_target_percent == 5
    assert ytd.target_reports == 19.0
    assert ytd.on_track is True
    assert figures.months[-1].reports == 1  # 1 January + 17 x 9 days is 3 June
    assert fig.compute([], COVENTRY, NOW).year_to_date.on_track is None  # no target published


def test_year_to_date_on_29_february_compares_with_28_february() -> None:
    now = datetime(2024, 2, 29, 12, tzinfo=UTC)
    cases = [case(datetime(2023, 2, 28, 11, tzinfo=UTC)), case(datetime(2023, 3, 1, tzinfo=UTC))]
    assert fig.compute(cases, COVENTRY, now).year_to_date.last_year == 1


def test_since_reaches_back_to_every_figure() -> None:
    first = fig.since(NOW)
    figures = fig.compute([], COVENTRY, NOW)
    assert first == datetime(2024, 1, 1, tzinfo=UTC)
    assert first.date() <= figures.weeks[0].start and first.date() <= figures.months[0].start


def test_tables_and_figures_csv_carry_the_same_numbers() -> None:
    cases = [
        case(NOW - 3 * DAY, deadlines=[deadline("acknowledgement", NOW - 2 * DAY, NOW - 2 * DAY)]),
        case(NOW - 3 * DAY, deadlines=[deadline("acknowledgement", NOW - 2 * DAY)]),
        case(NOW - 3 * DAY, deadlines=[deadline("acknowledgement", NOW - 2 * DAY)]),
    ]
    tables = fig.tables(fig.compute(cases, COVENTRY, NOW), COVENTRY)
    standards = next(t for t in tables if t.id == "standards")
    assert standards.rows[0] == ("Acknowledged within 24 hours", 1, 2, 0, 33.3)

    lines = list(csv.DictReader(io.StringIO(fig.figures_csv(tables))))
    assert {"table": "standards", "row": "Acknowledged within 24 hours",
            "column": "Met (%)", "value": "33.3"} in lines  # fmt: skip
    assert {"table": "calls-by-month", "row": "2025-06", "column": "Reports", "value": "3"} in lines
    assert {
        "table": "reports-by-week",
        "row": "2025-06-09",
        "column": "Nuisance",
        "value": "3",
    } in lines


def test_cases_csv_has_a_row_per_case_and_nothing_a_spreadsheet_would_run() -> None:
    created = datetime(2025, 6, 15, 23, 30, tzinfo=UTC)
    cases = [
        case(created, reference="ASB-AAAA-1111", subtype="=HYPERLINK(1)",
             deadlines=[deadline("acknowledgement", created + DAY, created + timedelta(hours=3))],
             hotspot=hotspot("hs-a", ["ASB-AAAA-1111"]), satisfaction=4, perception="fairly_big",
             surveyed_at=NOW),
        case(created, partnership="cherwell"),
        case(datetime(2023, 12, 1, tzinfo=UTC)),  # before the export's window
    ]  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(fig.cases_csv(cases, "coventry", fig.since(NOW)))))

    assert len(rows) == 1
    row = rows[0]
    assert list(row) == list(fig.CASE_COLUMNS)
    assert row["reference"] == "ASB-AAAA-1111"
    assert (row["week"], row["month"]) == ("2025-06-16", "2025-06")  # England's calendar
    assert row["acknowledgement_due"] == "2025-06-16T23:30:00Z"
    assert row["acknowledgement_met"] == "2025-06-16T02:30:00Z"
    assert row["first_contact_due"] == ""
    assert row["subtype"] == "'=HYPERLINK(1)"
    assert (row["satisfaction"], row["perception"], row["hotspot_id"]) == (
        "4",
        "fairly_big",
        "hs-a",
    )


def test_bar_chart_is_a_named_image_with_a_pattern_per_series() -> None:
    svg = bar_chart(
        "weekly", "Reports by week", "Stacked bars of reports per week.", ["1 Jun", "8 Jun"],
        [Series("Personal", [1, 2]), Series("Nuisance", [3, 0]), Series("Environmental", [0, 4])],
    )  # fmt: skip
    root = ET.fromstring(str(svg))

    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Reports by week"  # type: ignore[union-attr]
    assert root.get("aria-labelledby") == root.find(f"{SVG}title").get("id")  # type: ignore[union-attr]
    assert root.get("aria-describedby") == root.find(f"{SVG}desc").get("id")  # type: ignore[union-attr]
    patterns = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    assert patterns == {"weekly-p0", "weekly-p1", "weekly-p2"}
    fills = [
        r.get("fill") for r in root.iter(f"{SVG}rect") if (r.get("fill") or "").startswith("url(")
    ]
    assert len(fills) == 4 + 3  # four non-zero segments and three legend swatches
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "4" in texts and "Environmental" in texts  # bar totals and the legend, written out


def test_line_chart_draws_a_dashed_target_and_breaks_at_gaps() -> None:
    svg = line_chart(
        "sat", "Satisfaction", "Monthly share satisfied.", ["Jan", "Feb", "Mar", "Apr"],
        [Series("Satisfied", [70, None, 85, 90])], target=80, target_label="Target", y_max=100,
        unit="%",
    )  # fmt: skip
    root = ET.fromstring(str(svg))

    dashed = [ln for ln in root.iter(f"{SVG}line") if ln.get("stroke-dasharray")]
    assert len(dashed) == 1
    assert len(list(root.iter(f"{SVG}polyline"))) == 1  # Mar-Apr; Jan stands alone
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Target 80%" in texts and "Satisfied 90%" in texts


def test_a_chart_refuses_values_that_do_not_match_its_labels() -> None:
    with pytest.raises(ValueError, match="2 values for 3 labels"):
        bar_chart("x", "t", "d", ["a", "b", "c"], [Series("s", [1, 2])])
