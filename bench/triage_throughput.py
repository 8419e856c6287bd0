"""Triage throughput on one core: messages per second of ``bot.triage.triage``.

Run from the repository root::

    .venv/bin/python bench/triage_throughput.py [--seconds 5]

It triages the labelled and held-out sets (``tests/triage/*.jsonl``) over and over in
this one process for a few seconds and prints a markdown table row. Target: >= 20,000
messages/s, so that triage never matters on the hot path.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.safety.triage import triage  # noqa: E402

TARGET = 20_000


def load_messages() -> list[tuple[str, str | None]]:
    messages: list[tuple[str, str | None]] = []
    for name in ("labelled.jsonl", "holdout.jsonl"):
        with (ROOT / "tests" / "triage" / name).open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    row = json.loads(line)
                    messages.append((row["text"], row["channel"]))
    return messages


def one_pass(messages: list[tuple[str, str | None]]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) for one pass. CPU time is what one core spends on the
    work; wall time also counts time the process waited for a core on a busy machine."""
    cpu, wall = time.process_time(), time.perf_counter()
    for text, channel in messages:
        triage(text, channel)
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to measure")
    args = parser.parse_args()

    messages = load_messages()
    one_pass(messages)  # warm up: regex caches, first-call costs
    cpu_rates: list[float] = []
    wall_rates: list[float] = []
    deadline = time.perf_counter() + args.seconds
    total = 0
    while time.perf_counter() < deadline:
        cpu, wall = one_pass(messages)
        cpu_rates.append(len(messages) / max(cpu, 1e-9))
        wall_rates.append(len(messages) / wall)
        total += len(messages)
    median = statistics.median(cpu_rates)
    wall_median = statistics.median(wall_rates)
    verdict = "meets" if median >= TARGET else "BELOW"
    print(
        "| messages | passes | median msg/s (CPU time) | median msg/s (wall) | "
        "µs/msg (CPU) | target |"
    )
    print("|---|---|---|---|---|---|")
    print(
        f"| {total} | {len(cpu_rates)} | {median:,.0f} | {wall_median:,.0f} | "
        f"{1e6 / median:.1f} | >= {TARGET:,} ({verdict}) |"
    )
    print(
        f"\n{len(messages)} distinct messages; Python {platform.python_version()} "
        f"({platform.machine()}), one core (single process, single thread)."
    )
    return 0 if median >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
