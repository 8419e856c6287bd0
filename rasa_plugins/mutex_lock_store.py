"""Rasa's Redis lock store, taking a conversation's lock in one atomic command.

Rasa 3.6's `RedisLockStore` keeps a ticket queue per conversation as a JSON value, and a
turn reads and writes it seven times (issue a ticket, check it, finish, check for
waiters, delete), each a blocking call that holds up every conversation the Rasa
process is serving, three of them writes that wait for the append-only file's fsync. Its
ticket is issued by a read then a write, so two Rasa servers can interleave and serve
one conversation twice at once.

Here the lock is a key set only if absent, with an expiry (`SET NX PX`), and given back
by deleting it only if it still holds this turn's token: one command each way, atomic
across any number of Rasa servers, and awaited rather than blocking
(rasa_plugins/async_redis.py). Waiters poll every `POLL_SECONDS`. Turns of one
conversation already arrive one at a time, in order, from the gateway's turn lock
(bot/conversation.py); this lock is the last guard against two turns writing one
tracker at once, so it keeps no queue of waiters.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore

from rasa_plugins.async_redis import async_twin

POLL_SECONDS = 0.01
HELD_SUFFIX = ":held"  # a key of its own: Rasa's ticket queues had no expiry

# Delete the key only while it holds our token (a lock that expired may be someone else's).
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""


class MutexLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Any) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)
        self._redis = async_twin(self.red)
        self._release = self._redis.register_script(_RELEASE)

    def held_key(self, conversation_id: str) -> str:
        return f"{self.key_prefix}{conversation_id}{HELD_SUFFIX}"

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = POLL_SECONDS,
    ) -> AsyncIterator[TicketLock]:
        """Hold the conversation's lock for the block (at most `lock_lifetime` seconds).
        A turn that cannot take it within `lock_lifetime` fails with Rasa's `LockError`:
        by then the holder's lock has expired, so only a stuck store gets there."""
        key, token = self.held_key(conversation_id), secrets.token_hex(8)
        lifetime_ms = max(int(lock_lifetime * 1000), 1)
        give_up = time.monotonic() + lock_lifetime
        while not await self._redis.set(key, token, nx=True, px=lifetime_ms):
            if time.monotonic() > give_up:
                raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
            await asyncio.sleep(min(wait_time_in_seconds, POLL_SECONDS))
        try:
            yield TicketLock(conversation_id)  # Rasa's callers only enter the block
        finally:
            await self._release(keys=[key], args=[token])
