"""Counting and suppression of the public neighbourhood summaries, without a store: what a
reader can and cannot work out from the published cells."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import pytest

from bot.cases.model import Case
from bot.community.summaries import (
    AreaSummary,
    Contact,
    DistrictCounts,
    Outcome,
    count_months,
    month_figures,
    month_of,
    parse_month,
)
from bot.community.suppression import Cell, protect
from bot.partnerships import Partnerships, load_partnerships
from bot.platform.settings import PROJECT_ROOT
from bot.safety.flags import SafetyFlags

N = 5  # every shipped partnership's community.suppress_below
MARCH = date(2025, 3, 1)


@pytest.fixture(scope="module")
def partnerships() -> Partnerships:
    return load_partnerships(PROJECT_ROOT / "partnerships", "coventry")


def report(
    created: datetime,
    category: str = "nuisance",
    subtype: str = "noise",
    district: str | None = "CV1",
    partnership: str = "coventry",
    hate: bool = False,
) -> Case:
    return Case(
        reference="ASB-TEST-0001", created_at=created, channel="sms", partnership=partnership,
        contact_key=None, contact_method="none", anonymous=True, consent_to_share=False,
        happening_now=False, postcode_district=district,
        flags=SafetyFlags(category=category, subtype=subtype, hate_crime=hate),
    )  # fmt: skip


def possible_values(
    cells: list[Cell], total: int | None, rest: bool = False, threshold: int = N, cap: int = 40
) -> list[set[int]]:
    """Every value each cell can take for a reader who sees the cells and the total (or,
    with the total not shown, knows it is at least N) and knows the rule: "fewer than N"
    is 0..N-1, "not shown" at least N. With `rest`, the parts are a selection and an
    unshown remainder makes up the total. Brute force, independent of the code."""
    ranges = []
    for cell in cells:
        if cell.count is not None:
            ranges.append(range(cell.count, cell.count + 1))
        elif cell.display == f"fewer than {threshold}":
            ranges.append(range(threshold))
        else:
            assert cell.display == "not shown"
            ranges.append(range(threshold, cap + 1))
    seen: list[set[int]] = [set() for _ in cells]
    for combo in itertools.product(*ranges):
        if total is None:
            fits = sum(combo) >= threshold
        else:
            fits = sum(combo) <= total if rest else sum(combo) == total
        if fits:
            for i, value in enumerate(combo):
                seen[i].add(value)
    return seen


def test_reports_are_counted_by_district_month_category_and_kind(
    partnerships: Partnerships,
) -> None:
    coventry = partnerships.get("coventry")
    mid_march = datetime(2025, 3, 15, 12, tzinfo=UTC)
    cases = [
        report(mid_march),
        report(mid_march, subtype="drugs", hate=True),
        report(mid_march, category="environmental", subtype="vandalism"),
        report(mid_march, category="personal", subtype="harassment"),
        report(mid_march, category="none", subtype="none"),  # not anti-social behaviour
        report(mid_march, district="CV2"),
        report(mid_march, district="OX16"),  # not Coventry's district
        report(mid_march, district=None),
        report(mid_march, partnership="cherwell"),
        report(datetime(2025, 4, 2, tzinfo=UTC)),
    ]
    counts = count_months(cases, coventry, [MARCH])[MARCH]
    assert set(counts) == {"CV1", "CV2"}
    cv1 = counts["CV1"]
    assert cv1.categories == {"nuisance": 2, "environmental": 1, "personal": 1}
    assert cv1.total == 4
    # Graffiti and vandalism are one kind; harassment is not broken out.
    assert cv1.kinds == {"noise": 1, "drugs": 1, "graffiti": 1}
    assert cv1.hate == 1


def test_months_are_london_months() -> None:
    # 23:30 UTC on 31 March 2025 is 00:30 on 1 April in London (summer time).
    assert month_of(datetime(2025, 3, 31, 23, 30, tzinfo=UTC)) == date(2025, 4, 1)
    # In winter London is on UTC.
    assert month_of(datetime(2025, 1, 31, 23, 30, tzinfo=UTC)) == date(2025, 1, 1)


def test_month_parameter_is_checked() -> None:
    now = datetime(2025, 5, 10, tzinfo=UTC)
    assert parse_month("2025-03", now) == MARCH
    assert parse_month("2025-05", now) == date(2025, 5, 1)
    for bad, why in [("2025-3", "YYYY-MM"), ("2025-13", "YYYY-MM"), ("March", "YYYY-MM"),
                     ("2025-06", "not started"), ("1999-12", "before 2000"),
                     ("0000-01", "before 2000"),
                     ("\uff12\uff10\uff12\uff15-03", "YYYY-MM")]:  # fmt: skip
        with pytest.raises(ValueError, match=why):
            parse_month(bad, now)


def test_four_reports_show_as_fewer_than_five_and_five_show_as_five() -> None:
    four = month_figures(DistrictCounts(categories={"nuisance": 4}), MARCH, False, N)
    assert four.total.model_dump() == {"count": None, "suppressed": True, "display": "fewer than 5"}
    # A month below the threshold shows nothing else.
    assert (four.categories, four.kinds, four.hate_incidents) == ({}, [], None)
    five = month_figures(
        DistrictCounts(categories={"nuisance": 5}, kinds={"noise": 5}), MARCH, False, N
    )
    assert five.total.model_dump() == {"count": 5, "suppressed": False, "display": "5"}
    assert five.categories["nuisance"].count == 5
    assert five.categories["personal"].display == "fewer than 5"
    assert next(k for k in five.kinds if k.kind == "noise").reports.count == 5


def test_one_small_category_is_not_left_to_be_worked_out_from_the_total() -> None:
    counts = DistrictCounts(categories={"personal": 3, "nuisance": 12, "environmental": 7})
    figures = month_figures(counts, MARCH, False, N)
    cells = [figures.categories[c] for c in ("personal", "nuisance", "environmental")]
    assert figures.total.count == 22
    assert [c.display for c in cells] == ["fewer than 5", "12", "not shown"]
    personal = possible_values(cells, 22)[0]
    assert 3 in personal and len(personal) > 1


@pytest.mark.parametrize("threshold", [2, 5])
def test_no_small_count_of_any_category_table_can_be_worked_out(threshold: int) -> None:
    """Every table of three categories with counts up to 12: each non-zero count below the
    threshold keeps two or more possible values, and every shown figure is true."""
    for values in itertools.product(range(13), repeat=3):
        total = sum(values)
        if total < threshold:
            continue
        protected = protect(values, threshold)
        for cell, value in zip(protected.cells, values, strict=True):
            assert cell.count in (None, value)
        margin = total if protected.margin_shown else None
        seen = possible_values(protected.cells, margin, threshold=threshold)
        for value, options in zip(values, seen, strict=True):
            assert value in options
            if 0 < value < threshold:
                assert len(options) > 1, (values, protected)


def test_four_four_four_hides_the_total() -> None:
    figures = month_figures(
        DistrictCounts(categories={"personal": 4, "nuisance": 4, "environmental": 4}),
        MARCH, False, N,
    )  # fmt: skip
    assert figures.total.display == "not shown"
    assert {c.display for c in figures.categories.values()} == {"fewer than 5"}


def test_kinds_with_an_unshown_remainder_give_no_small_count_away() -> None:
    """Kinds are a selection of a shown category: the rest is never shown, but when the
    kinds shown add up to nearly the whole, a small kind or the rest could be worked out."""
    for values in itertools.product(range(9), repeat=3):
        for rest in range(0, 7):
            margin = sum(values) + rest
            protected = protect(values, N, rest=rest)
            seen = possible_values(protected.cells, margin, rest=True)
            for value, options in zip(values, seen, strict=True):
                if 0 < value < N:
                    assert len(options) > 1, (values, rest)
            if 0 < rest < N:  # the rest is the margin minus every kind
                combos = itertools.product(*map(sorted, seen))
                rests = {margin - sum(c) for c in combos if sum(c) <= margin}
                assert len(rests) > 1, (values, rest)


def test_a_category_not_shown_is_not_broken_down() -> None:
    counts = DistrictCounts(
        categories={"personal": 2, "nuisance": 9, "environmental": 6},
        kinds={"noise": 6, "fly_tipping": 6},
    )
    figures = month_figures(counts, MARCH, False, N)
    assert figures.categories["environmental"].display == "not shown"
    assert {k.category for k in figures.kinds} == {"nuisance"}
    assert "fly_tipping" not in {k.kind for k in figures.kinds}


def test_hate_incidents_all_of_a_small_total_are_shown_only_as_a_whole() -> None:
    counts = DistrictCounts(categories={"nuisance": 7}, hate=3)
    figures = month_figures(counts, MARCH, False, N)
    assert figures.hate_incidents is not None
    assert figures.hate_incidents.display == "fewer than 5"
    every = month_figures(DistrictCounts(categories={"nuisance": 8}, hate=6), MARCH, False, N)
    # 8 reports of which 6 hate incidents would leave 2 others to be worked out.
    assert every.hate_incidents is not None and every.hate_incidents.display == "not shown"


def test_the_text_version_fits_one_or_two_messages() -> None:
    figures = month_figures(
        DistrictCounts(
            categories={"personal": 2, "nuisance": 15, "environmental": 6},
            kinds={"noise": 9, "fly_tipping": 6},
        ),
        MARCH, False, N,
    )  # fmt: skip
    summary = AreaSummary(
        partnership="coventry", partnership_name="Coventry Community Safety Partnership",
        area="CV1", month="2025-03", suppress_below=N, months=[figures], trend=[],
        outcomes=[Outcome(month="2025-03", label="March 2025", category="Nuisance",
                          text="Extra patrols on Spon Street at weekends. " * 5)],
        report=[Contact(label="Council", phone="024 7683 1999")],
    )  # fmt: skip
    text = summary.as_text()
    assert text.startswith("Anti-social behaviour in CV1, March 2025: 23 reports")
    assert "personal fewer than 5" in text and "noise 9" in text
    assert len(text) <= 306
    short = summary.as_text(80)
    assert len(short) <= 80 and short.endswith("…")
