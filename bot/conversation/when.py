"""When an incident happened, from the resident's words, as a date partners can sort by.

The case keeps what the resident said ("last night about 11, every night this week");
this adds what it means on the calendar in the partnership's time zone (England and
Wales: Europe/London): the date and time of the latest occurrence, whether it keeps
happening, and whether it is going on now. Dates are read by `dateparser`, relative to
when the report is made, preferring the past ("Tuesday" is the last Tuesday).
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import dateparser

from bot.cases.model import IncidentWhen
from bot.conversation.report_answers import HAPPENING_NOW, UNKNOWN
from bot.conversation.understanding import find_when

_ONGOING = re.compile(
    r"\b(?:happening now|right now|going on now|at the moment|as we speak|still|"
    r"on-?going|rn|atm)\b",
    re.IGNORECASE,
)
_RECURRING = re.compile(
    r"\b(?:every|each|most (?:nights|days|evenings|weekends)|night after night|since|"
    r"for (?:the (?:last|past) )?(?:a few |several |\d+ |two |three )?(?:weeks|months|years|"
    r"ages)|all the time|constantly|always|keeps?|regularly|again|daily|nightly|weekly)\b",
    re.IGNORECASE,
)
_CLOCK = re.compile(
    r"(?P<lead>\b(?:at|about|around|after|gone|from)\s+)?\b(?P<hour>\d{1,2})(?:[:.](?P<min>\d{2}))?"
    r"\s*(?P<suffix>am|pm|o'?clock)?(?:\s+(?P<part>at night|in the morning|in the evening))?\b",
    re.IGNORECASE,
)
_UNTIL = re.compile(r"\b(?:till|until|to)\s*$", re.IGNORECASE)
_EVENING = re.compile(r"\b(?:night|evening|tonight|pm)\b", re.IGNORECASE)
# "night" as residents spell it, to the word the date parser knows
_NIGHT_SPELT = re.compile(r"\b(?:nite|neet|nicht)\b", re.IGNORECASE)
_SINCE = re.compile(r"\bsince\s+(.+)$", re.IGNORECASE)
_DATE_SETTINGS = {
    "PREFER_DATES_FROM": "past",
    "DATE_ORDER": "DMY",
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def read_when(said: str, now: datetime, timezone: str = "Europe/London") -> IncidentWhen | None:
    """What the resident's words mean on the calendar, `now` being when they reported."""
    if not said or said in (UNKNOWN,):
        return None
    local_now = now.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
    said = _NIGHT_SPELT.sub("night", said)
    phrases = find_when(said) or said  # the time phrases of a longer answer
    ongoing = HAPPENING_NOW in (said, phrases) or bool(_ONGOING.search(said))
    recurring = bool(_RECURRING.search(said))
    day = local_now if ongoing else _date(phrases, local_now)
    clock = None if ongoing else _clock(phrases)
    if day is None and clock is None and not (ongoing or recurring):
        return None
    return IncidentWhen(
        date=day.date().isoformat() if day else None,
        time=clock,
        recurring=recurring,
        ongoing=ongoing,
    )


def _date(said: str, local_now: datetime) -> datetime | None:
    settings = {**_DATE_SETTINGS, "RELATIVE_BASE": local_now}
    since = _SINCE.search(said)
    pieces = [since.group(1)] if since else [p.strip() for p in said.split(",")]
    for piece in pieces:
        words = _CLOCK.sub(" ", piece).strip() or piece
        if not re.search(r"[a-z]", words, re.IGNORECASE):
            continue  # a time alone: the date is not said
        found = dateparser.parse(words, languages=["en"], settings=settings)
        if isinstance(found, datetime) and found <= local_now:
            return found
    return None


def _clock(said: str) -> str | None:
    """The time it happened ("about 11" at night is 23:00); a time it went on until
    ("till 3am") is not when it happened, and a bare number is no time."""
    for match in _CLOCK.finditer(said):
        suffix = (match.group("suffix") or "").lower()
        part = (match.group("part") or "").lower()
        said_as_time = suffix or part or match.group("lead") or match.group("min")
        if _UNTIL.search(said[: match.start()]) or not said_as_time:
            continue
        hours, minutes = int(match.group("hour")), int(match.group("min") or 0)
        if hours > 23 or minutes > 59:
            continue
        evening = suffix == "pm" or part in ("at night", "in the evening")
        if hours < 12 and (evening or (not suffix and hours >= 6 and _EVENING.search(said))):
            hours += 12
        if suffix == "am" and hours == 12:
            hours = 0
        return f"{hours:02d}:{minutes:02d}"
    return None
