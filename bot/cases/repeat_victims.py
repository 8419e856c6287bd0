"""Repeat victims: the same pseudonymous contact or address reporting again.

Every case with a contact is filed under the keyed hash of its phone or email and, when a
postal address is given, of the address (`asb:repeat:<pseudonym>`, scored by time). When
this report brings the count within the partnership's Case Review window to its threshold
(three in six months by default), the case is flagged as a repeat victim: routing adds
Victim Support (with consent), and the resident is told of their right to an ASB Case
Review (Community Trigger) and how to ask for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from redis.asyncio import Redis

from bot.cases.model import ContactDetails
from bot.partnerships.schema import Partnership
from bot.platform.redis_keys import Keys
from bot.privacy.contact import pseudonymous_key


@dataclass(frozen=True)
class RepeatCheck:
    reports: int  # this one included
    repeat_victim: bool


def pseudonyms(secret: bytes, contact: ContactDetails) -> list[str]:
    out = []
    if contact.phone:
        out.append(pseudonymous_key(secret, "phone", contact.phone))
    if contact.email:
        out.append(pseudonymous_key(secret, "email", contact.email.lower()))
    if contact.address:
        normalised = re.sub(r"[^a-z0-9]", "", contact.address.lower())
        if normalised:
            out.append(pseudonymous_key(secret, "address", normalised))
    return out


def case_review_text(partnership: Partnership, reports: int) -> str:
    review = partnership.case_review
    months = round(review.window_days / 30.5)
    return (
        f"You have now reported anti-social behaviour {reports} times in {months} months. "
        "You have the right to ask for an ASB Case Review (the Community Trigger), which "
        f"looks again at how your reports have been handled. {review.how_to_ask}"
    )


class RepeatVictims:
    def __init__(self, redis: Redis, keys: Keys, secret: bytes):
        self._redis = redis
        self._keys = keys
        self._secret = secret

    async def record_and_check(
        self, partnership: Partnership, contact: ContactDetails, reference: str, now: datetime
    ) -> RepeatCheck:
        """File this report and count reports in the window (the most for any pseudonym)."""
        names = pseudonyms(self._secret, contact)
        if not names:
            return RepeatCheck(1, False)
        window = partnership.case_review.window_days
        since = (now - timedelta(days=window)).timestamp()
        most = 1
        for name in names:
            key = self._keys.repeat_reports(name)
            async with self._redis.pipeline(transaction=True) as tx:
                tx.zadd(key, {reference: now.timestamp()})
                tx.zremrangebyscore(key, "-inf", since)
                tx.zcard(key)
                tx.expire(key, window * 86_400)
                result = await tx.execute()
            most = max(most, int(result[2]))
        return RepeatCheck(most, most >= partnership.case_review.threshold_reports)
