"""The emergency reply with the dialogue engine stopped: request to the "call 999" reply.

The real stack is started as `make run` does, then the Rasa server is stopped. Each sample
is a new web chat conversation whose first message is an emergency; the reply must lead
with the 999 message and a P1 event must be queued (checked on every sample).

    .venv/bin/python -m bench.emergency_latency [--messages 300]
"""

from __future__ import annotations

import argparse
import time

import httpx
import redis

from bench.common import machine, start_stack, summary_ms

MESSAGES = [
    "theres lads outside wiv a blade rn",
    "HELP THEY R KICKING MY DOOR IN",
    "someone is trying to break in right now please help",
    "um yeah theres a man outside with a knife and hes shouting at my kids",
    "they've just set fire to my front door",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=300)
    args = parser.parse_args()
    stack, _ = start_stack()
    samples: list[float] = []
    try:
        stack.stop_process("rasa")
        store = redis.Redis.from_url(stack.settings_env["REDIS_URL"])
        with httpx.Client(base_url=stack.gateway_url, timeout=10) as http:
            for i in range(args.messages + 10):
                text = MESSAGES[i % len(MESSAGES)]
                started = time.perf_counter()
                response = http.post("/api/chat", json={"conversation_id": None, "text": text})
                elapsed = time.perf_counter() - started
                first = response.json()["messages"][0]
                assert first.get("urgent") and "call 999 now" in first["text"], first
                if i >= 10:  # the first few warm the connection pools
                    samples.append(elapsed)
        handled = int(store.zcard("asb:emergencies:handled"))  # type: ignore[arg-type]
        queued = handled + int(store.zcard("asb:jobs:emergency"))  # type: ignore[arg-type]
        assert queued >= args.messages, f"only {queued} emergency events queued"
    finally:
        stack.stop()
    stats = summary_ms(samples)
    print(f"\n### Emergency reply with Rasa stopped ({machine()})\n")
    print(f"`.venv/bin/python -m bench.emergency_latency --messages {args.messages}`\n")
    print("| messages | p50 ms | p95 ms | p99 ms | target p99 |")
    print("|---|---|---|---|---|")
    print(f"| {len(samples)} | {stats['p50']} | {stats['p95']} | {stats['p99']} | <= 50 ms |")


if __name__ == "__main__":
    main()
