"""Safety triage speed on one core: the model's load time and the time of one verdict.

Run from the repository root::

    .venv/bin/python bench/triage_throughput.py [--seconds 5]

It loads the safety model (``models/safety/model.joblib``, ``make safety-model``) in a
fresh process and times that, then judges the held-out messages one at a time, each with
its context as the running service passes it, over and over for a few seconds, and prints
a markdown table row. Targets: at most 5 ms p99 a message including context, and a model
load of at most 2 s. Loads are medians of three fresh interpreters; importing the code
(scikit-learn, SciPy, NumPy) is shown apart from loading the artefact.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.safety.triage import SafetyModel  # noqa: E402

P99_TARGET_MS = 5.0
LOAD_TARGET_S = 2.0
HELDOUT = ROOT / "data" / "safety" / "heldout" / "heldout.jsonl"


def load_messages() -> list[tuple[str, list[str]]]:
    rows = [json.loads(line) for line in HELDOUT.read_text().splitlines() if line.strip()]
    return [(row["text"], row.get("context", [])) for row in rows]


def load_seconds() -> tuple[float, float]:
    """(importing the model's code with scikit-learn, loading the artefact), timed in a
    fresh interpreter as a starting gateway does them."""
    code = (
        "import time; t = time.perf_counter(); from bot.safety.triage import SafetyModel; "
        "u = time.perf_counter(); SafetyModel.load(); "
        "print(u - t, time.perf_counter() - u)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    imported, loaded = out.stdout.split()
    return float(imported), float(loaded)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to measure")
    args = parser.parse_args()

    starts = [load_seconds() for _ in range(3)]
    imports = statistics.median(i for i, _ in starts)
    load = statistics.median(lo for _, lo in starts)
    model = SafetyModel.load()
    messages = load_messages()
    for text, context in messages[:50]:
        model.judge(text, context)  # warm up
    timings: list[float] = []
    deadline = time.perf_counter() + args.seconds
    while time.perf_counter() < deadline:
        for text, context in messages:
            started = time.process_time()
            model.judge(text, context)
            timings.append((time.process_time() - started) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[int(len(timings) * 0.99)]
    ok = p99 <= P99_TARGET_MS and load <= LOAD_TARGET_S
    print(
        "| verdicts | p50 ms (CPU) | p99 ms (CPU) | max ms | model load s | "
        "import with scikit-learn s | targets |"
    )
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {len(timings)} | {p50:.2f} | {p99:.2f} | {timings[-1]:.2f} | {load:.2f} | "
        f"{imports:.2f} | p99 <= {P99_TARGET_MS} ms, load <= {LOAD_TARGET_S} s "
        f"({'met' if ok else 'MISSED'}) |"
    )
    with_context = sum(bool(c) for _, c in messages)
    print(
        f"\n{len(messages)} held-out messages ({with_context} with context), one at a time; "
        f"Python {platform.python_version()} ({platform.machine()}), one process, one thread."
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
