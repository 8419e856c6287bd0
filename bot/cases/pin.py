"""The case PIN given in the acknowledgement, so a resident can ask about their case from
another phone or conversation.

The PIN is derived from the reference with a keyed hash under the service's secret
(ASB_PSEUDONYM_KEY), so the same six digits are given however many times the
acknowledgement is attempted, and the PIN itself is stored nowhere: checking one computes
it again and compares in constant time. Failed checks are counted per case and refused
after five in an hour (a six-digit PIN cannot be guessed in that many tries).
"""

from __future__ import annotations

import hashlib
import hmac
import re

from bot.cases.reference import REFERENCE_PATTERN

MAX_FAILURES_PER_HOUR = 5
_PIN = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def case_pin(secret: bytes, reference: str) -> str:
    digest = hmac.new(secret, f"pin:{reference}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


def pin_matches(secret: bytes, reference: str, pin: str) -> bool:
    return hmac.compare_digest(case_pin(secret, reference), pin)


def find_pin(text: str) -> str | None:
    """Six digits on their own in `text` (spoken digits arrive as figures)."""
    cleaned = re.sub(r"(?<=\d)[\s-](?=\d)", "", REFERENCE_PATTERN.sub(" ", text))
    match = _PIN.search(cleaned)
    return match.group(1) if match else None
