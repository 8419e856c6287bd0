"""Stopping the stack leaves nothing of it running: a process's own children go with it,
as Rasa's Sanic workers must (left behind, they hold Rasa's port). Real processes."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from bot.supervisor import ProcessSpec, Stack

# A "server" that starts a worker which ignores SIGTERM, then waits to be stopped.
PARENT = """
import subprocess, sys, time
worker = subprocess.Popen([sys.executable, "-c",
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(120)"])
open(sys.argv[1], "w").write(str(worker.pid))
time.sleep(120)
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone in all but name (its parent has not collected it yet).
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


def started_worker(stack: Stack, pid_file: Path) -> int:
    stack.start(ProcessSpec("server", [sys.executable, "-c", PARENT, str(pid_file)]))
    deadline = time.monotonic() + 20
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline, "the server never started its worker"
        time.sleep(0.05)
    return int(pid_file.read_text())


def test_stop_ends_the_workers_a_server_started(tmp_path: Path) -> None:
    stack = Stack(dict(os.environ), tmp_path, "http://unused")
    worker = started_worker(stack, tmp_path / "worker.pid")
    assert alive(worker)
    stack.stop()
    deadline = time.monotonic() + 5
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(worker)


def test_stopping_one_process_ends_its_workers_too(tmp_path: Path) -> None:
    stack = Stack(dict(os.environ), tmp_path, "http://unused")
    worker = started_worker(stack, tmp_path / "worker.pid")
    stack.stop_process("server")
    deadline = time.monotonic() + 5
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(worker)
    stack.stop()
