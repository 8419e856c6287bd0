"""Shared pieces for benchmarks: start the real stack, percentiles, machine description."""

from __future__ import annotations

import os
import platform
import socket
import statistics
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bot.platform.processes import Ports
from bot.platform.settings import PROJECT_ROOT, Settings
from bot.platform.stack import Stack, launch

MODEL = PROJECT_ROOT / "models" / "asb.tar.gz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_stack(extra_env: dict[str, str] | None = None) -> tuple[Stack, Ports]:
    """The same stack `make run` starts, on free ports with a throwaway data folder."""
    data_dir = Path(tempfile.mkdtemp(prefix="asb-bench-"))
    ports = Ports(free_port(), free_port(), free_port(), free_port())
    settings = Settings(ASB_DATA_DIR=data_dir, PORT=ports.gateway, REDIS_URL=None)
    log_dir = data_dir / "logs"
    log_dir.mkdir()
    # Benchmarks send far more than a resident would from one address.
    unlimited = {"ASB_RATE_LIMIT_PER_SENDER": "1000000/minute",
                 "ASB_RATE_LIMIT_PER_SOURCE": "1000000/minute"}  # fmt: skip
    env = {**unlimited, **(extra_env or {})}
    return launch(settings, ports, MODEL, log_dir=log_dir, extra_env=env), ports


def percentile(samples: Sequence[float], pct: float) -> float:
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(pct) - 1]


def summary_ms(samples: Sequence[float]) -> dict[str, float]:
    return {f"p{p}": round(percentile(samples, p) * 1000, 1) for p in (50, 95, 99)}


def machine() -> str:
    return (
        f"{date.today().isoformat()}, {os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )
