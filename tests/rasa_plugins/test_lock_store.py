"""Rasa's lock store (rasa_plugins/mutex_lock_store.py), run in the Rasa server's
environment against a real Valkey: two stores, as two Rasa servers, never serve one
conversation's turns at once; other conversations do not wait; a lock left by a server
that died expires; a turn that outlived its lock does not free the next holder's."""

from __future__ import annotations

import json
import subprocess
from urllib.parse import urlparse

from bot.platform.processes import RASA_BIN
from bot.platform.settings import PROJECT_ROOT

CHECK = """
import asyncio, json, sys, time
from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import EndpointConfig

host, port = sys.argv[1], int(sys.argv[2])
config = EndpointConfig(url=host, type="rasa_plugins.mutex_lock_store.MutexLockStore",
                        port=port, db=0, key_prefix="locktest")

def store():
    return LockStore.create(config)

async def turn(lock_store, conversation, seconds, log, lifetime=60):
    async with lock_store.lock(conversation, lock_lifetime=lifetime):
        log.append(("in", conversation, time.monotonic()))
        await asyncio.sleep(seconds)
        log.append(("out", conversation, time.monotonic()))

def overlapped(log, conversation):
    inside = 0
    for kind, who, _ in sorted(log, key=lambda entry: entry[2]):
        if who == conversation:
            inside += 1 if kind == "in" else -1
            if inside > 1:
                return True
    return False

async def main():
    a, b = store(), store()
    results = {"type": type(a).__name__}
    log = []
    started = time.monotonic()
    await asyncio.gather(*(turn(a if n % 2 else b, "conv-1", 0.05, log) for n in range(6)),
                         turn(a, "conv-2", 0.05, log))
    results["overlapped"] = overlapped(log, "conv-1")
    results["turns"] = sum(1 for kind, who, _ in log if kind == "out" and who == "conv-1")
    conv2_in = next(t for kind, who, t in log if kind == "in" and who == "conv-2")
    results["other_waited_s"] = conv2_in - started

    # A server killed while holding a lock: its key expires after the lifetime.
    await a._redis.set(a.held_key("conv-3"), "dead-server", px=300)
    log3 = []
    waited = time.monotonic()
    await turn(b, "conv-3", 0.0, log3)
    results["after_dead_s"] = time.monotonic() - waited

    # A turn that outlives its lock must not release the lock another turn now holds.
    log4 = []
    slow = asyncio.ensure_future(turn(a, "conv-4", 0.4, log4, lifetime=0.1))
    await asyncio.sleep(0.2)
    async with b.lock("conv-4"):
        await slow
        results["still_held"] = await b._redis.get(b.held_key("conv-4")) is not None
    results["freed"] = await b._redis.get(b.held_key("conv-4")) is None
    print(json.dumps(results))

asyncio.run(main())
"""


def test_one_turn_at_a_time_per_conversation_across_two_stores(valkey_url: str) -> None:
    url = urlparse(valkey_url)
    run = subprocess.run(
        [str(RASA_BIN.parent / "python"), "-c", CHECK, url.hostname or "", str(url.port)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads(run.stdout.strip().splitlines()[-1])
    assert results["type"] == "MutexLockStore"
    assert results["turns"] == 6 and not results["overlapped"], results
    assert results["other_waited_s"] < 0.2, results  # conv-2 did not queue behind conv-1
    assert 0.15 < results["after_dead_s"] < 2.0, results
    assert results["still_held"] and results["freed"], results
