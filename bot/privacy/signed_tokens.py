"""Signed, expiring tokens for links sent to residents (survey pages, monthly updates).

A token is `{field}.{field}...{expiry day}.{HMAC}`: the fields it names, the last day it
works (days since 1970, UTC), and an HMAC-SHA256 keyed with the deployment's secret over
the purpose and the rest, cut to 80 bits in hex so a letter's reader can type it. The
purpose keeps a token made for one kind of link from working for another. Fields are
references, ids and keyed hashes: never anything personal in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_FIELD = re.compile(r"[A-Za-z0-9_-]{1,64}")
_DAY = re.compile(r"[0-9]{1,7}")
_MAC = re.compile(r"[0-9a-f]{20}")


class BadToken(ValueError):
    """A token that was not issued here (tampered, truncated, made up, another purpose)."""


class ExpiredToken(ValueError):
    """A genuine token past its expiry day."""


class SignedTokens:
    def __init__(self, secret: bytes, purpose: str):
        self._secret = secret
        self._purpose = purpose

    def issue(self, fields: list[str], days: int, now: datetime | None = None) -> str:
        """A token naming `fields` that works for `days` days from `now`."""
        if not fields or not all(_FIELD.fullmatch(f) for f in fields):
            raise ValueError("token fields are letters, digits, '-' and '_' only")
        now = now or datetime.now(UTC)
        last_day = (now + timedelta(days=days) - _EPOCH).days
        payload = ".".join([*fields, str(last_day)])
        return f"{payload}.{self._mac(payload)}"

    def read(self, token: str, count: int, now: datetime | None = None) -> list[str]:
        """The `count` fields a token names; BadToken or ExpiredToken otherwise."""
        parts = token.split(".")
        if len(parts) != count + 2:
            raise BadToken(token)
        *fields, day, mac = parts
        if (
            not all(_FIELD.fullmatch(f) for f in fields)
            or not _DAY.fullmatch(day)
            or not _MAC.fullmatch(mac)
        ):
            raise BadToken(token)
        if not hmac.compare_digest(mac, self._mac(".".join([*fields, day]))):
            raise BadToken(token)
        now = now or datetime.now(UTC)
        if (now - _EPOCH).days > int(day):
            raise ExpiredToken(token)
        return fields

    def _mac(self, payload: str) -> str:
        digest = hmac.new(self._secret, f"{self._purpose}:{payload}".encode(), hashlib.sha256)
        return digest.hexdigest()[:20]
