"""Case references residents can read aloud and type: ``ASB-K7MP-4QXW``.

The alphabet leaves out 0, O, 1, I, L and U, so no character can be mistaken for
another when spoken or handwritten. The last character is a Luhn mod-N check
character, which catches any single mistyped character and most swapped pairs.
"""

from __future__ import annotations

import re
import secrets

from stdnum import luhn

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "ASB-"
_BODY_LENGTH = 7  # 30**7 ~ 2.2e10 references before the check character
_GROUP = 4
_SEPARATORS = re.compile(r"[\s\-_.]+")


def new_reference() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(_BODY_LENGTH))
    return _format(body + luhn.calc_check_digit(body, alphabet=ALPHABET))


def _format(chars: str) -> str:
    groups = [chars[i : i + _GROUP] for i in range(0, len(chars), _GROUP)]
    return PREFIX + "-".join(groups)


def normalise_reference(text: str) -> str | None:
    """The canonical reference for what a resident typed or said, or None if it is not one.

    Accepts lower case, missing hyphens and spaces ("asb k7mp 4qxw"); rejects a wrong
    check character, so a typo is never mistaken for somebody else's case.
    """
    compact = _SEPARATORS.sub("", text.strip().upper())
    if compact.startswith("ASB"):
        compact = compact[3:]
    if len(compact) != _BODY_LENGTH + 1 or any(c not in ALPHABET for c in compact):
        return None
    if not luhn.is_valid(compact, alphabet=ALPHABET):
        return None
    return _format(compact)


REFERENCE_PATTERN = re.compile(r"\bASB[\s\-]?[0-9A-Z]{4}[\s\-]?[0-9A-Z]{4}\b", re.IGNORECASE)


def find_reference(text: str) -> str | None:
    """The first valid reference mentioned in a message."""
    for match in REFERENCE_PATTERN.finditer(text):
        reference = normalise_reference(match.group(0))
        if reference:
            return reference
    return None


def spoken(reference: str) -> str:
    """The reference spelled out one character at a time, for text-to-speech."""
    return ", ".join(" ".join(group) for group in reference.split("-"))
