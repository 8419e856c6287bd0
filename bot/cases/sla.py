"""SLA clocks: when each of a partnership's promises falls due for a case.

- An hours clock is elapsed time: 24 hours after 10:00 on the Saturday the clocks go back
  is 09:00 local on the Sunday (24 real hours). Arithmetic is done on aware datetimes in UTC.
- A working-days clock counts whole working days after the day of the report (the report
  day itself never counts, whatever the time) and falls due at the partnership's
  `working_day_ends` local time (default 17:00) on the last of them. Weekends,
  England-and-Wales bank holidays (the `holidays` package) and the partnership's closure
  days are not working days. A report at 5pm on a Friday with a one-working-day clock is
  due at 5pm on Monday (Tuesday when that Monday is a bank holiday).
- `at_risk` is when `at_risk_fraction` of the time has gone (case.sla_at_risk).

Every function takes `now`/`start` explicitly: nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from bot.cases.model import Deadline, SlaClock
from bot.partnerships.schema import Duration, Partnership

LONDON = ZoneInfo("Europe/London")


@lru_cache(maxsize=1)
def _bank_holidays() -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG")


class WorkingCalendar:
    """Working days in England: not a weekend, a bank holiday or a closure day."""

    def __init__(self, closure_days: Iterable[date] = ()):
        self._closed = frozenset(closure_days)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in _bank_holidays() and day not in self._closed

    def add_working_days(self, start: datetime, days: int, ends: time) -> datetime:
        _aware(start)
        day = start.astimezone(LONDON).date()
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return datetime.combine(day, ends, tzinfo=LONDON).astimezone(UTC)


def calendar_for(partnership: Partnership) -> WorkingCalendar:
    return WorkingCalendar(partnership.sla.closure_days)


def due(start: datetime, duration: Duration, partnership: Partnership) -> datetime:
    """When a clock of `duration` started at `start` falls due (aware, UTC)."""
    _aware(start)
    if duration.hours is not None:
        return start.astimezone(UTC) + timedelta(hours=duration.hours)
    return calendar_for(partnership).add_working_days(
        start, duration.working_days or 0, partnership.sla.working_day_ends
    )


def deadline(
    clock: SlaClock, start: datetime, duration: Duration, partnership: Partnership
) -> Deadline:
    due_at = due(start, duration, partnership)
    start_utc = start.astimezone(UTC)
    at_risk = start_utc + (due_at - start_utc) * partnership.sla.at_risk_fraction
    return Deadline(clock=clock, due=due_at, at_risk=at_risk, promise=duration.describe())


def case_deadlines(
    partnership: Partnership, created_at: datetime, *, hate_crime: bool, risk_level: str
) -> list[Deadline]:
    """Every promise the partnership makes for this case, with its due time."""
    sla = partnership.sla
    out = [deadline("acknowledgement", created_at, sla.acknowledgement, partnership)]
    contact = [sla.first_contact]
    if hate_crime and sla.first_contact_hate_crime:
        contact.append(sla.first_contact_hate_crime)
    if risk_level == "high" and sla.first_contact_high_risk:
        contact.append(sla.first_contact_high_risk)
    options = [deadline("first_contact", created_at, d, partnership) for d in contact]
    out.append(min(options, key=lambda d: d.due))
    if sla.meeting:
        out.append(deadline("meeting", created_at, sla.meeting, partnership))
    if sla.update_every:
        out.append(deadline("update", created_at, sla.update_every, partnership))
    return out


def local_date_text(when: datetime) -> str:
    """'Monday 28 December' (England local date), for residents."""
    local = when.astimezone(LONDON)
    return f"{local:%A} {local.day} {local:%B}"


def local_datetime_text(when: datetime) -> str:
    """'5pm on Monday 28 December' or '10:30am on ...' (England local time)."""
    local = when.astimezone(LONDON)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    clock = f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"
    return f"{clock} on {local_date_text(when)}"


def _aware(value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("SLA clocks need an aware datetime (with a time zone)")
