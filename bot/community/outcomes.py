"""'You said, we did': outcomes a partner chose to publish with an update (`public_summary`
on an `action_taken` or `closed` update, docs/partners.md).

A published outcome is filed under its case's partnership, postcode district and the month
(in London) it was published, and shown on that district's public page with its category
and month only: never the reference or a date. Text that looks personal is refused before
it gets here (`personal_details`). A later outcome of the same case replaces the earlier
one; erasure of the case withdraws it (bot/privacy/erase.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime

import phonenumbers
from pydantic import BaseModel
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from bot.cases.model import Case
from bot.cases.reference import REFERENCE_PATTERN
from bot.cases.sla import LONDON
from bot.platform.redis_keys import Keys
from bot.privacy.contact import find_postcode

MAX_PUBLIC_SUMMARY_CHARS = 280
# Fewer digits than this is a count or a year, not a phone number.
_PHONE_MIN_DIGITS = 7
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A house number and a street. Words that can only end a street name are matched in any
# case; words that are also everyday English ("close", "park", "way") only when the name
# is written with capitals, as addresses are ("12 Priory Court", not "3 reports close").
# A street name never starts with a connecting word, so "2 visits to Spon Street" passes.
_CONNECTORS = (
    "to|at|on|in|of|the|with|near|along|from|and|for|by|around|across|off|into|onto|over|"
    "about|than|outside|behind"
)
_STREET = re.compile(
    rf"\b\d{{1,3}}[a-z]?\b,?\s+(?:(?!(?:{_CONNECTORS})\b)[a-z][a-z'\u2019-]*\s+){{1,3}}"
    r"(?:street|st|road|rd|lane|ln|avenue|ave|drive|crescent|terrace|gardens|mews)\b"
    r"(?!\s+(?:lights?|lamps?|lighting|drinking|cleaning|furniture|signs?|parking)\b)",
    re.IGNORECASE,
)
_NAMED_STREET = re.compile(
    r"\b\d{1,3}[A-Za-z]?\b,?\s+(?:[A-Z][a-z'\u2019-]+\s+){1,3}"
    r"(?:Close|Court|Way|Walk|Row|Hill|Rise|View|Green|Park|Gate|Place|Square|Yard|Vale|"
    r"Croft|Grove|Parade)\b"
)


def personal_details(text: str) -> str | None:
    """What in `text` looks personal, named for the refusal ("a phone number"), or None.
    A postcode district alone ("CV1") and a street without a house number are fine."""
    if REFERENCE_PATTERN.search(text):
        return "a case reference"
    if _EMAIL.search(text):
        return "an email address"
    if find_postcode(text):
        return "a full postcode (give the district alone, like CV1)"
    for match in phonenumbers.PhoneNumberMatcher(
        text, "GB", leniency=phonenumbers.Leniency.POSSIBLE
    ):
        if sum(c.isdigit() for c in match.raw_string) >= _PHONE_MIN_DIGITS:
            return "a phone number"
    if _STREET.search(text) or _NAMED_STREET.search(text):
        return "a house number with a street"
    return None


def mentions(text: str, words: Iterable[str]) -> bool:
    """Whether `text` holds any of `words` as a whole word or phrase, in any case."""
    return any(
        re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE)
        for word in words
        if word.strip()
    )


class PublicOutcome(BaseModel):
    """An outcome as the public page shows it."""

    month: str  # YYYY-MM
    category: str
    text: str


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class PublishedOutcomes:
    def __init__(self, redis: Redis, keys: Keys):
        self._redis = redis
        self._keys = keys

    async def publish(self, case: Case, text: str, at: datetime) -> None:
        """File the case's outcome under its district and this month, replacing any the
        case had (an `action_taken` summary, then the `closed` one)."""
        if case.postcode_district is None:
            raise ValueError("an outcome is published under the case's postcode district")
        month = f"{at.astimezone(LONDON):%Y-%m}"
        name = self._keys.community_outcomes(case.partnership, case.postcode_district, month)
        entry = json.dumps({"category": case.flags.category, "text": text, "at": at.isoformat()})
        pointer = self._keys.case_public_outcome(case.reference)

        async def file(tx: Pipeline) -> None:
            earlier = await tx.get(pointer)
            tx.multi()  # type: ignore[no-untyped-call]
            if earlier is not None and _text(earlier) != name:
                tx.hdel(_text(earlier), case.reference)
            tx.hset(name, case.reference, entry)
            tx.set(pointer, name)

        await self._redis.transaction(file, pointer)

    async def withdraw(self, reference: str) -> int:
        """Remove the case's published outcome; the number of Redis records removed."""
        pointer = self._keys.case_public_outcome(reference)
        name = await self._redis.get(pointer)
        if name is None:
            return 0
        async with self._redis.pipeline(transaction=True) as tx:
            tx.hdel(_text(name), reference)
            tx.delete(pointer)
            removed, deleted = await tx.execute()
        return int(removed) + int(deleted)

    async def for_area(
        self, partnership: str, district: str, months: list[str]
    ) -> list[PublicOutcome]:
        """The district's published outcomes in these months (YYYY-MM), newest first."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for month in months:
                pipe.hgetall(self._keys.community_outcomes(partnership, district, month))
            found = await pipe.execute()
        entries = [
            (month, json.loads(_text(raw)))
            for month, filed in zip(months, found, strict=True)
            for raw in filed.values()
        ]
        entries.sort(key=lambda e: e[1]["at"], reverse=True)
        return [
            PublicOutcome(month=month, category=entry["category"], text=entry["text"])
            for month, entry in entries
        ]
