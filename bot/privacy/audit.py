"""The audit trail: who read or erased a case, and when. Entries name references, agency
ids and pseudonymous keys only, so the trail itself holds no personal data and is kept."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis

from bot.platform.redis_keys import Keys


async def audit(
    redis: Redis, keys: Keys, *, actor: str, action: str, subject: str, **detail: str | int
) -> None:
    """Append one entry to `asb:audit`; e.g. actor "agency:police", action "case.read"."""
    entry: dict[Any, Any] = {
        "at": datetime.now(UTC).isoformat(),
        "actor": actor,
        "action": action,
        "subject": subject,
        **{k: str(v) for k, v in detail.items()},
    }
    await redis.xadd(keys.audit(), entry)


async def entries(redis: Redis, keys: Keys, count: int = 1000) -> list[dict[str, str]]:
    """The latest entries, oldest first (for operators and tests)."""
    raw = await redis.xrevrange(keys.audit(), count=count)
    return [{_text(k): _text(v) for k, v in fields.items()} for _id, fields in reversed(raw)]


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
