"""Contact details residents give: phone numbers, email addresses, UK postcodes.

Everything here is pure: it parses what somebody typed or said into the stored form,
or returns None so the caller can ask again with a clear reason.
"""

from __future__ import annotations

import hashlib
import hmac
import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email

# The shape of a UK postcode (outward code, inward code), after removing spaces.
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b")
_SPOKEN_DIGITS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "one": "1", "two": "2", "three": "3",
    "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip


def parse_uk_phone(text: str) -> str | None:
    """E.164 for a UK (or international, with +) number; None when it is not a valid number."""
    words = [_SPOKEN_DIGITS.get(word, word) for word in text.lower().split()]
    candidate = "".join(words) if all(len(w) <= 5 for w in words) else text
    try:
        number = phonenumbers.parse(candidate, "GB")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(e164: str) -> bool:
    number = phonenumbers.parse(e164, None)
    kind = phonenumbers.number_type(number)
    return kind in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def parse_email(text: str) -> str | None:
    """The normalised address, or None. No DNS look-up: residents may be offline-tested."""
    match = re.search(r"\S+@\S+", text.strip())
    if not match:
        return None
    try:
        return validate_email(match.group(0).strip(".,;"), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def find_postcode(text: str) -> str | None:
    """The first UK postcode in the text, formatted "CV1 5FB"."""
    match = _POSTCODE.search(text.upper())
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"


def postcode_district(postcode: str) -> str:
    """The outward code ("CV1") of a formatted postcode."""
    return postcode.split()[0]


def pseudonymous_key(secret: bytes, kind: str, value: str) -> str:
    """A keyed hash that links repeat contact without storing who it is."""
    digest = hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"{kind}-{digest[:32]}"
