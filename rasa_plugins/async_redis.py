"""An asyncio twin of one of Rasa's blocking Redis clients.

Rasa 3.6's Redis stores call Redis with blocking redis-py clients from its event loop, so
every call, and every write's wait for the append-only file's fsync, holds up all the
conversations a Rasa process is serving. The project's stores await the same server
through this client instead, and the Rasa process goes on serving meanwhile.
"""

from __future__ import annotations

from typing import Any

import redis
import redis.asyncio

_TLS_FILES = ("ssl_keyfile", "ssl_certfile", "ssl_ca_certs")


def async_twin(blocking: Any) -> redis.asyncio.Redis:
    """A client for the server, database and credentials `blocking` was made with."""
    pool = blocking.connection_pool
    options = pool.connection_kwargs
    tls = issubclass(pool.connection_class, redis.SSLConnection)
    return redis.asyncio.Redis(
        host=options.get("host", "localhost"),
        port=options.get("port", 6379),
        db=options.get("db", 0),
        username=options.get("username"),
        password=options.get("password"),
        socket_timeout=options.get("socket_timeout"),
        decode_responses=options.get("decode_responses", False),
        ssl=tls,
        **({name: options[name] for name in _TLS_FILES if name in options} if tls else {}),
    )
