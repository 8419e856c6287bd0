"""What reading a message for the report form costs (bot/conversation/understanding.py),
per message, against the turn it runs in: every message of the simulated residents (openings and
answers), read as the form reads it (all fields, and whether it is a correction), and each
resident's "when" read onto the calendar (bot/conversation/when.py, once a case).

    .venv/bin/python -m bench.understanding [--rounds 5]
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime

import yaml

from bench.common import machine
from bot.conversation.understanding import correction_in, read_report
from bot.conversation.when import read_when
from bot.platform.settings import PROJECT_ROOT

RESIDENTS = PROJECT_ROOT / "tests" / "population" / "residents.yml"


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    at = [ordered[min(len(ordered) - 1, int(len(ordered) * q))] for q in (0.5, 0.95, 0.99)]
    return f"| {len(ordered)} | " + " | ".join(f"{ms:.3f}" for ms in at) + " |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    residents = yaml.safe_load(RESIDENTS.read_text())
    texts = [r["opening"] for r in residents] + [
        str(v) for r in residents for v in r["answers"].values()
    ]
    whens = [str(r["answers"]["incident_time"]) for r in residents]
    for text in texts:  # patterns compiled, dateparser's tables loaded
        read_report(text)
    read_when(whens[0], datetime.now(UTC))
    reading, calendar = [], []
    for _ in range(args.rounds):
        for text in texts:
            started = time.perf_counter()
            read_report(text)
            correction_in(text)
            reading.append((time.perf_counter() - started) * 1000)
        for said in whens:
            started = time.perf_counter()
            read_when(said, datetime.now(UTC))
            calendar.append((time.perf_counter() - started) * 1000)
    print(f"\n### Reading a message for the report form ({machine()})\n")
    print(f"`.venv/bin/python -m bench.understanding --rounds {args.rounds}`\n")
    print("| what | calls | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|")
    print("| every field and whether it corrects one, per message " + percentiles(reading))
    print("| when on the calendar, once a case " + percentiles(calendar))


if __name__ == "__main__":
    main()
