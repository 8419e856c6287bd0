"""Reading personal records straight from Redis in tests: they are encrypted at rest with
the suite's key (ASB_ENCRYPTION_KEYS, set in tests/conftest.py)."""

from __future__ import annotations

import os

from bot.privacy.crypto import Cipher


def plain(raw: bytes | str | None) -> bytes | None:
    """The JSON of a stored personal record (case personal part or emergency), decrypted."""
    if raw is None:
        return None
    data = raw.encode() if isinstance(raw, str) else raw
    if not Cipher.is_token(data):
        return data
    return Cipher.from_text(os.environ["ASB_ENCRYPTION_KEYS"]).decrypt(data).encode()
