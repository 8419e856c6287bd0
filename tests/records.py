"""Reading personal records straight from Redis in tests: they are encrypted at rest with
the suite's key (ASB_ENCRYPTION_KEYS, set in tests/conftest.py)."""

from __future__ import annotations

import json
import os
from typing import Any

from bot.privacy.crypto import Cipher


def tracker_events(raw: bytes | str | None) -> list[dict[str, Any]]:
    """The events of a stored Rasa tracker (encrypted by rasa_plugins/), none if absent."""
    data = plain(raw)
    return list(json.loads(data)["events"]) if data else []


def plain(raw: bytes | str | None) -> bytes | None:
    """The JSON of a stored personal record (case personal part or emergency), decrypted."""
    if raw is None:
        return None
    data = raw.encode() if isinstance(raw, str) else raw
    if not Cipher.is_token(data):
        return data
    return Cipher.from_text(os.environ["ASB_ENCRYPTION_KEYS"]).decrypt(data).encode()
