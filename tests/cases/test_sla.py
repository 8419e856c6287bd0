"""SLA clocks with the time passed in: Christmas, Easter, a bank holiday Monday, both clock
changes, a Friday 5pm report, closure days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.cases.sla import WorkingCalendar, case_deadlines, due, local_datetime_text
from bot.partnerships import Duration, Partnership, load_partnership
from bot.platform.settings import PROJECT_ROOT

LONDON = ZoneInfo("Europe/London")
DIR = PROJECT_ROOT / "partnerships"


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


@pytest.fixture(scope="module")
def coventry() -> Partnership:
    return load_partnership(DIR, "coventry")


def test_friday_5pm_one_working_day_is_monday_5pm(coventry: Partnership) -> None:
    assert due(at(2026, 11, 20, 17, 0), Duration(working_days=1), coventry) == at(
        2026, 11, 23, 17, 0
    )
    # Five working days from a Friday evening: the next Friday.
    assert due(at(2026, 11, 20, 17, 0), Duration(working_days=5), coventry) == at(
        2026, 11, 27, 17, 0
    )


def test_weekend_report_counts_from_monday(coventry: Partnership) -> None:
    assert due(at(2026, 11, 21, 23, 0), Duration(working_days=1), coventry) == at(
        2026, 11, 23, 17, 0
    )


def test_bank_holiday_monday_is_skipped(coventry: Partnership) -> None:
    # 31 August 2026 is the late summer bank holiday.
    assert due(at(2026, 8, 28, 17, 0), Duration(working_days=1), coventry) == at(2026, 9, 1, 17, 0)
    # 4 May 2026, early May bank holiday.
    assert due(at(2026, 5, 1, 12, 0), Duration(working_days=1), coventry) == at(2026, 5, 5, 17, 0)


def test_christmas(coventry: Partnership) -> None:
    # 25 Dec 2026 is a Friday; Boxing Day is a Saturday, so Monday 28 is the substitute.
    assert due(at(2026, 12, 24, 17, 0), Duration(working_days=1), coventry) == at(
        2026, 12, 29, 17, 0
    )
    # Five working days: 29, 30, 31 Dec, (1 Jan holiday), 4, 5 Jan.
    assert due(at(2026, 12, 24, 17, 0), Duration(working_days=5), coventry) == at(2027, 1, 5, 17, 0)


def test_easter(coventry: Partnership) -> None:
    # Good Friday 3 April 2026 and Easter Monday 6 April 2026.
    assert due(at(2026, 4, 2, 15, 0), Duration(working_days=1), coventry) == at(2026, 4, 7, 17, 0)
    # Hours clocks run through holidays.
    assert due(at(2026, 4, 2, 15, 0), Duration(hours=48), coventry) == at(2026, 4, 4, 15, 0)


def test_october_clock_change_hours_are_elapsed_time(coventry: Partnership) -> None:
    # Clocks go back at 02:00 BST on Sunday 25 October 2026.
    start = at(2026, 10, 24, 10, 0)
    deadline = due(start, Duration(hours=24), coventry)
    assert deadline - start.astimezone(UTC) == timedelta(hours=24)
    assert deadline.astimezone(LONDON) == at(2026, 10, 25, 9, 0)
    assert deadline.astimezone(LONDON).utcoffset() == timedelta(0)


def test_march_clock_change(coventry: Partnership) -> None:
    # Clocks go forward at 01:00 GMT on Sunday 29 March 2026.
    start = at(2026, 3, 28, 10, 0)
    assert due(start, Duration(hours=24), coventry).astimezone(LONDON) == at(2026, 3, 29, 11, 0)
    # A working-day deadline stays at 5pm local either side of the change.
    friday = due(at(2026, 3, 27, 12, 0), Duration(working_days=1), coventry)
    assert friday == at(2026, 3, 30, 17, 0)
    assert friday.astimezone(UTC).hour == 16  # 5pm BST


def test_closure_days() -> None:
    calendar = WorkingCalendar([date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)])
    assert not calendar.is_working_day(date(2026, 12, 30))
    assert calendar.add_working_days(at(2026, 12, 24, 9, 0), 1, at(2026, 1, 1, 17, 0).time()) == (
        at(2027, 1, 4, 17, 0)
    )


def test_naive_times_are_refused(coventry: Partnership) -> None:
    with pytest.raises(ValueError, match="aware"):
        due(datetime(2026, 1, 5, 9, 0), Duration(hours=1), coventry)


def test_case_deadlines_take_the_shortest_first_contact() -> None:
    cherwell = load_partnership(DIR, "cherwell")
    friday = at(2026, 11, 20, 17, 0)
    plain = {d.clock: d for d in case_deadlines(cherwell, friday, hate_crime=False,
                                                risk_level="standard")}  # fmt: skip
    assert plain["first_contact"].due == at(2026, 11, 22, 17, 0)  # 48 hours
    assert plain["first_contact"].promise == "48 hours"
    assert plain["meeting"].due == at(2026, 11, 25, 17, 0)  # 3 working days
    hate = {d.clock: d for d in case_deadlines(cherwell, friday, hate_crime=True,
                                               risk_level="standard")}  # fmt: skip
    assert hate["first_contact"].due == at(2026, 11, 21, 17, 0)  # 24 hours
    north = load_partnership(DIR, "northamptonshire")
    high = {d.clock: d for d in case_deadlines(north, friday, hate_crime=False,
                                               risk_level="high")}  # fmt: skip
    assert high["first_contact"].due == at(2026, 11, 23, 17, 0)
    assert "meeting" not in high
    low = case_deadlines(north, friday, hate_crime=False, risk_level="standard")
    assert low[1].due == at(2026, 11, 27, 17, 0)
    # at risk at three quarters of the time.
    ack = plain["acknowledgement"]
    assert ack.at_risk == friday.astimezone(UTC) + timedelta(hours=18)


def test_dates_read_in_plain_english() -> None:
    assert local_datetime_text(at(2026, 12, 29, 17, 0)) == "5pm on Tuesday 29 December"
    assert local_datetime_text(at(2026, 10, 25, 9, 30)) == "9:30am on Sunday 25 October"
