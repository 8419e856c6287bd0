"""Rasa's Redis lock store, taking a conversation's lock in one atomic command.

Rasa 3.6's `RedisLockStore` keeps a ticket queue per conversation as a JSON value, and a
turn reads and writes it seven times (issue a ticket, check it, finish, check for
waiters, delete), each a blocking call that holds up every conversation the Rasa
process is serving, three of them writes that wait for the append-only file's fsync. Its
ticket is issued by a read then a write, so two Rasa servers can interleave and serve
one conversation twice at once.

Here the lock is redis-py's asyncio `Lock` on a key of its own: set only if absent, with
an expiry (`SET NX PX`), and given back by its compare-and-delete script only while it
still holds this turn's token. One command each way, atomic across any number of Rasa
servers, and awaited rather than blocking (rasa_plugins/async_redis.py). Waiters poll
every `POLL_SECONDS`. Turns of one conversation already arrive one at a time, in order,
from the gateway's turn lock (bot/conversation/turn.py); this lock is the last guard against
two turns writing one tracker at once, so it keeps no queue of waiters.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from redis.exceptions import LockNotOwnedError

from rasa_plugins.async_redis import async_twin

POLL_SECONDS = 0.01
HELD_SUFFIX = ":held"  # a key of its own: Rasa's ticket queues had no expiry


class MutexLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Any) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)
        self._redis = async_twin(self.red)

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
        held = self._redis.lock(
            self.held_key(conversation_id),
            timeout=max(lock_lifetime, 0.001),
            sleep=min(wait_time_in_seconds, POLL_SECONDS),
            blocking_timeout=lock_lifetime,
            thread_local=False,
        )
        if not await held.acquire():
            raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
        try:
            yield TicketLock(conversation_id)  # Rasa's callers only enter the block
        finally:
            # A turn that outlived its lock leaves it alone: it may be the next turn's.
            with contextlib.suppress(LockNotOwnedError):
                await held.release()
