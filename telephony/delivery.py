"""Delivery states of outbound messages and calls, from Twilio's status callbacks.

Callbacks can arrive out of order ("delivered" before "sent"): the state only moves
forwards, and every state seen is kept with the time it was first reported, so a repeated
callback (a retry or a replay) changes nothing.
"""

from __future__ import annotations

import time

from redis.asyncio import Redis

from bot.platform.redis_keys import Keys

MESSAGE_STATES = {
    "accepted": 0, "scheduled": 0, "queued": 1, "sending": 2, "sent": 3,
    "delivered": 4, "undelivered": 4, "failed": 4, "read": 5, "canceled": 4,
}  # fmt: skip
RECORD_SECONDS = 30 * 86_400


class DeliveryLog:
    def __init__(self, redis: Redis, keys: Keys):
        self._redis = redis
        self._keys = keys

    async def sent(
        self, message_sid: str, contact_key: str, status: str, reference: str | None
    ) -> None:
        key = self._keys.sms_outbound(message_sid)
        fields = {"contact_key": contact_key, "status": status}
        if reference:
            fields["reference"] = reference
        await self._record(key, fields, status)

    async def message_status(self, message_sid: str, status: str, error_code: str | None) -> None:
        key = self._keys.sms_outbound(message_sid)
        current = await self._redis.hget(key, "status")  # type: ignore[misc]
        current_rank = MESSAGE_STATES.get(current.decode(), -1) if current else -1
        fields = {}
        if MESSAGE_STATES.get(status, 0) >= current_rank:
            fields["status"] = status
        if error_code:
            fields["error_code"] = error_code
        await self._record(key, fields, status)

    async def status_of(self, message_sid: str) -> dict[str, str]:
        raw = await self._redis.hgetall(self._keys.sms_outbound(message_sid))  # type: ignore[misc]
        return {k.decode(): v.decode() for k, v in raw.items()}

    async def call_status(self, call_sid: str, status: str, duration: str | None) -> None:
        key = self._keys.call_status(call_sid)
        fields = {"status": status}
        if duration:
            fields["duration"] = duration
        await self._record(key, fields, status)

    async def _record(self, key: str, fields: dict[str, str], seen: str) -> None:
        """Add to a delivery record (with when `seen` was first reported) and keep it for
        RECORD_SECONDS from now."""
        async with self._redis.pipeline(transaction=True) as tx:
            if fields:
                tx.hset(key, mapping=fields)
            tx.hsetnx(key, f"at:{seen}", str(time.time()))
            tx.expire(key, RECORD_SECONDS)
            await tx.execute()
