"""A server killed with SIGKILL leaves its workers holding its port; started again through
`bot.platform.reap`, it first ends them. Real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.platform.procfs import alive

# A "server" that starts a worker which ignores SIGTERM, then waits.
SERVER = """
import subprocess, sys, time
worker = subprocess.Popen([sys.executable, "-c",
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(120)"])
open(sys.argv[1], "w").write(str(worker.pid))
time.sleep(120)
"""


def start_server(tmp_path: Path, name: str) -> tuple[subprocess.Popen[bytes], int]:
    """The server through the wrapper, in a process group of its own (as supervisord
    starts a program); returns it and its worker's pid."""
    worker_file = tmp_path / f"{name}.worker"
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.platform.reap", str(tmp_path / "server.pgid"), "--",
         sys.executable, "-c", SERVER, str(worker_file)],
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while not worker_file.exists() or not worker_file.read_text():
        assert time.monotonic() < deadline, "the server never started its worker"
        time.sleep(0.05)
    return server, int(worker_file.read_text())


def test_a_restart_ends_the_workers_a_killed_server_left(tmp_path: Path) -> None:
    first, orphan = start_server(tmp_path, "first")
    first.kill()  # SIGKILL of the server alone, as a crash
    first.wait()
    time.sleep(0.2)
    assert alive(orphan), "the worker went with its server: nothing to show"
    second, worker = start_server(tmp_path, "second")
    try:
        deadline = time.monotonic() + 5
        while alive(orphan) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(orphan)
        assert alive(worker) and second.poll() is None  # the new run is untouched
    finally:
        os.killpg(second.pid, signal.SIGKILL)
        second.wait()
