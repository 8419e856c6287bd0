"""A gateway process of its own for a test (`uvicorn bot.app:create_app`), on whatever
store, dialogue engine and settings the test gives it in its environment."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bot.platform.settings import PROJECT_ROOT
from tests.conftest import free_port


@contextmanager
def gateway_process(env: dict[str, str], log: Path, start_seconds: float = 60) -> Iterator[str]:
    """The gateway with `env`, its output in `log`; its address once /healthz answers."""
    port = free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "bot.app:create_app", "--factory",
             "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_seconds
        while True:
            assert process.poll() is None, f"the gateway exited; see {log}"
            try:
                httpx.get(url + "/healthz", timeout=1)
                break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the gateway did not start"
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
