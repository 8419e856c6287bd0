"""Retention: a closed case's personal record and its conversation are kept for
ASB_RETENTION_DAYS_AFTER_CLOSURE days, then removed.

Closing a case sets an expiry on its personal record at once (CaseStore.expire_personal,
called from the partner update that closes it). This sweep, a worker cron, catches what
that missed: cases closed before retention existed, or a crash between the two writes.
"""

from __future__ import annotations

from datetime import datetime

from redis.asyncio import Redis

from bot.cases.store import CaseStore
from bot.platform.redis_keys import Keys


async def sweep(
    redis: Redis, keys: Keys, cases: CaseStore, retention_seconds: int, now: datetime
) -> int:
    """Expire or remove the personal data of closed cases; returns how many were touched.
    It reads every case: fine at a partnership's volumes (thousands a year)."""
    touched = 0
    for reference in await cases.references():
        case = await cases.get(reference)
        if case is None or case.status != "closed" or case.closed_at is None:
            continue
        left = int(retention_seconds - (now - case.closed_at).total_seconds())
        conversation = [keys.rasa_tracker(case.conversation_key)] if case.conversation_key else []
        personal = keys.case_personal(reference)
        if left <= 0:
            touched += int(await redis.delete(personal, *conversation) > 0)
        elif await redis.ttl(personal) == -1:  # exists with no expiry yet
            await redis.expire(personal, left)
            for key in conversation:  # the tracker may outlive it (record_exp renews)
                await redis.expire(key, left, lt=True)
            touched += 1
    return touched
