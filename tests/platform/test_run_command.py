"""`asb-intake run`, what `make run` starts, as a user runs it: every process comes up
under supervisord, operator commands find the running store, and Ctrl-C stops every
process, the gateway first and the store last, leaving nothing running."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bot.platform.stack import socket_path
from bot.platform.supervisord import Supervisor
from tests.conftest import MODEL, free_port
from tests.platform.procfs import alive

pytestmark = pytest.mark.rasa


def test_run_starts_everything_and_ctrl_c_stops_it_in_order(tmp_path: Path) -> None:
    data_dir, port = tmp_path / "var", free_port()
    env = {**os.environ, "ASB_DATA_DIR": str(data_dir), "PORT": str(port)}
    env.pop("REDIS_URL", None)
    run = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--model", str(MODEL),
         "--rasa-port", str(free_port()), "--actions-port", str(free_port()),
         "--valkey-port", str(free_port())],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    assert run.stdout is not None
    try:
        said = ""
        deadline = time.monotonic() + 240
        while "Press Ctrl-C" not in said:
            line = run.stdout.readline()
            assert line or run.poll() is None, f"run exited:\n{said}"
            said += line
            assert time.monotonic() < deadline, f"never came up:\n{said}"
        assert f"http://127.0.0.1:{port}/chat" in said
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").json()["status"] == "ok"
        # An operator command beside it finds the running store with no variable set.
        shown = subprocess.run(
            [sys.executable, "-m", "bot.cli", "deliveries", "show", "ASB-0000-0000"],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert "REDIS_URL" not in shown.stdout + shown.stderr, shown
        supervisor = Supervisor(socket_path(data_dir / "run"))
        names = ["valkey", "rasa", "actions", "worker", "emergency-worker", "gateway"]
        running = {name: supervisor.pid(name) for name in names}
        assert all(running.values()), running
        run.send_signal(signal.SIGINT)  # Ctrl-C
        assert run.wait(timeout=120) == 0
    finally:
        if run.poll() is None:
            run.kill()
    assert not [name for name, pid in running.items() if alive(pid)]
    assert not (data_dir / "run.json").exists()
    log = (data_dir / "log" / "supervisord.log").read_text()
    stopped = re.findall(r"stopped: ([\w-]+)", log)
    assert stopped.index("gateway") < stopped.index("worker") < stopped.index("valkey"), log
    assert stopped.index("rasa") < stopped.index("valkey"), log
