"""The embedded Valkey keeps the promise a told reference rests on: every write goes to an
append-only file fsync'd before the reply. With `appendfsync everysec` Valkey 9.1.2
confirmed WAITAOF for writes not yet on disk (docs/deployment.md), so a reference could
be told for a case a crash then loses; WAITAOF's answer cannot tell the two apart, so the
server's own settings are what is checked."""

from __future__ import annotations

import redis


def test_every_write_is_fsynced_to_the_append_only_file(valkey_url: str) -> None:
    client = redis.Redis.from_url(valkey_url, decode_responses=True)
    try:
        assert client.config_get("appendonly") == {"appendonly": "yes"}
        assert client.config_get("appendfsync") == {"appendfsync": "always"}
    finally:
        client.close()
