"""Time-aware signposting: the right number for a topic at the time a resident asks."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.partnerships.schema import Partnership, Signpost, SignpostTopic, is_open

LONDON = ZoneInfo("Europe/London")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TOPIC_WORDS: dict[str, str] = {
    "noise": "the noise line",
    "housing": "for housing",
    "victim_support": "for support as a victim",
    "non_emergency": "the police non-emergency number",
    "environmental": "for rubbish, graffiti and fly-tipping",
    "mental_health": "for mental health support",
    "domestic_abuse": "for domestic abuse",
    "council": "the council",
}


def spoken_time(now: datetime) -> str:
    """'11pm on a Saturday', '9:30am on a Monday' (England local time)."""
    local = now.astimezone(LONDON)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    clock = f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"
    if (local.hour, local.minute) == (12, 0):
        clock = "midday"
    elif (local.hour, local.minute) == (0, 0):
        clock = "midnight"
    return f"{clock} on a {_DAY_NAMES[local.weekday()]}"


def choose(partnership: Partnership, topic: SignpostTopic, now: datetime) -> Signpost | None:
    """The first entry of the topic open at `now`; entries without hours are always open."""
    for entry in partnership.signposting:
        if entry.topic != topic:
            continue
        if not entry.opening_hours or is_open(entry.opening_hours, now):
            return entry
    return None


def signpost(partnership: Partnership, topic: SignpostTopic, now: datetime) -> str | None:
    """A plain-English answer naming the time, e.g. "It's 11pm on a Saturday: the noise
    line is ... on ... ." None when the partnership has nothing for the topic."""
    entry = choose(partnership, topic, now)
    if entry is None:
        return None
    how = entry.label
    if entry.phone:
        how += f" on {entry.phone}"
    if entry.hours:
        how += f" ({entry.hours})"
    if entry.web:
        how += f", {entry.web}"
    text = f"It's {spoken_time(now)}: {_TOPIC_WORDS[topic]} is {how}."
    if entry.note:
        text += f" {entry.note}"
    return text
