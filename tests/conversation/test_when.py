"""What the resident's words about when mean on the calendar (bot/conversation/when.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.cases.model import IncidentWhen
from bot.conversation.when import read_when

# Sunday 6 December 2026, 5pm in London (GMT).
REPORTED = datetime(2026, 12, 6, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("last night, about 11", IncidentWhen(date="2026-12-05", time="23:00")),
        ("last Friday, about 10pm", IncidentWhen(date="2026-12-04", time="22:00")),
        ("Tuesday", IncidentWhen(date="2026-12-01")),
        ("yesterday at 4pm", IncidentWhen(date="2026-12-05", time="16:00")),
        ("around 9 last night", IncidentWhen(date="2026-12-05", time="21:00")),
        ("it started again last night", IncidentWhen(date="2026-12-05", recurring=True)),
        ("till 3am, every night this week", IncidentWhen(recurring=True)),  # 3am is the end
        ("happening now", IncidentWhen(date="2026-12-06", ongoing=True)),
        ("5th March at 2pm", IncidentWhen(date="2026-03-05", time="14:00")),
        ("last neet about 11", IncidentWhen(date="2026-12-05", time="23:00")),  # as spelt
    ],
)
def test_words_about_when_become_dates(said: str, expected: IncidentWhen) -> None:
    assert read_when(said, REPORTED) == expected


def test_summer_time_is_the_partnerships_clock() -> None:
    # 00:30 UTC on 1 July is 01:30 in London: "last night" is 30 June.
    reported = datetime(2026, 7, 1, 0, 30, tzinfo=UTC)
    assert read_when("last night", reported) == IncidentWhen(date="2026-06-30")


def test_no_date_is_made_up() -> None:
    assert read_when("unknown", REPORTED) is None
    assert read_when("not long ago I think", REPORTED) is None
