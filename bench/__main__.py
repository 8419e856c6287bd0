"""`make bench`: every benchmark in turn, each printing a Markdown section for RESULTS.md."""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = [
    ["bench/triage_throughput.py", "--seconds", "8"],
    ["-m", "bench.webchat_latency", "--conversations", "30"],
    ["-m", "bench.understanding", "--rounds", "5"],
    ["-m", "bench.emergency_latency", "--messages", "300"],
    ["bench/telephony.py", "--conversations", "30"],
    ["bench/acknowledgement.py", "--cases", "500"],
    ["-m", "bench.partner_delivery", "--emergencies", "100", "--deliveries", "1000"],
    ["-m", "bench.load", "--residents", "200", "--seconds", "60", "--think", "4"],
    ["-m", "bench.dashboard", "--cases", "10000", "--others", "5000", "--renders", "30"],
    ["-m", "bench.linking", "--window", "2000", "--reports", "30"],
]


def main() -> int:
    failed = 0
    for command in BENCHMARKS:
        print(f"\n==> {' '.join(command)}", flush=True)
        failed += subprocess.run([sys.executable, *command], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
