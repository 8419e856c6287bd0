"""Operator commands beside a running `make run` find its embedded Valkey with no
variable set, and say plainly when no service is running."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.platform import run_state
from bot.platform.settings import PROJECT_ROOT


def operator(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env["ASB_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_a_command_beside_a_running_service_uses_its_store(tmp_path: Path, valkey_url: str) -> None:
    run_state.write(tmp_path, valkey_url, "http://127.0.0.1:8000")
    done = operator(tmp_path, "deliveries", "dead")
    assert done.returncode == 0, done.stderr
    assert "REDIS_URL" not in done.stderr


def test_with_no_service_running_the_command_says_so(tmp_path: Path, valkey_url: str) -> None:
    done = operator(tmp_path, "deliveries", "show", "ASB-K7MP-4QXW")
    assert done.returncode == 2
    assert "no service is running" in done.stderr and "Traceback" not in done.stderr
    # A file left by a service that died is not taken for a running one.
    (tmp_path / run_state.RUN_FILE).write_text(
        json.dumps({"pid": 2**22 + 12345, "redis_url": valkey_url})
    )
    done = operator(tmp_path, "deliveries", "dead")
    assert done.returncode == 2 and "no service is running" in done.stderr
    run_state.clear(tmp_path)
    assert not (tmp_path / run_state.RUN_FILE).exists()
