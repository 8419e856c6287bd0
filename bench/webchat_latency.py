"""Latency the gateway adds to a report conversation over web chat.

The same scripted report is run alternately through POST /api/chat and directly against
Rasa's REST webhook, on the same Rasa server and model in the same run, so machine noise
affects both alike. Figures: per-turn p50/p95/p99 of each and the ratio.

    .venv/bin/python -m bench.webchat_latency [--conversations 30]
"""

from __future__ import annotations

import argparse
import time
import uuid

import httpx

from bench.common import machine, start_stack, summary_ms

SCRIPT = [
    "I want to report anti-social behaviour",
    "Someone was shouting and throwing bottles at my windows",
    "last night about 11pm",
    "CV1 5FB",
    "about five teenagers, I don't know them",
    "I couldn't sleep and I'm scared to go out",
    # Targeted because of who they are? Anyone vulnerable at home? Happened before?
    "No, no, and yes, it happens every weekend",
    "No, I own my home or rent privately",
    "Email",
    "Sam Taylor",
    "sam.taylor@example.org",
    "Yes, send it",
]


def through_gateway(http: httpx.Client, gateway: str, samples: list[float]) -> str:
    conversation_id = None
    last = ""
    for text in SCRIPT:
        started = time.perf_counter()
        # With a message id, as the chat page sends (bot/conversation/resends.py).
        chat = {"conversation_id": conversation_id, "text": text, "message_id": uuid.uuid4().hex}
        response = http.post(f"{gateway}/api/chat", json=chat)
        samples.append(time.perf_counter() - started)
        response.raise_for_status()
        body = response.json()
        conversation_id = body["conversation_id"]
        last = body["messages"][-1]["text"]
    return last


def direct_to_rasa(http: httpx.Client, rasa: str, samples: list[float]) -> str:
    sender = f"bench-{uuid.uuid4().hex}"
    last = ""
    for text in SCRIPT:
        started = time.perf_counter()
        response = http.post(
            f"{rasa}/webhooks/rest/webhook",
            json={"sender": sender, "message": text, "input_channel": "chat"},
        )
        samples.append(time.perf_counter() - started)
        response.raise_for_status()
        last = response.json()[-1]["text"]
    return last


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=30)
    args = parser.parse_args()
    stack, ports = start_stack()
    gateway = stack.gateway_url
    rasa = f"http://127.0.0.1:{ports.rasa}"
    gateway_samples: list[float] = []
    rasa_samples: list[float] = []
    try:
        with httpx.Client(timeout=30) as http:
            # Warm both paths (model caches, connection pools) before measuring.
            through_gateway(http, gateway, [])
            direct_to_rasa(http, rasa, [])
            for _ in range(args.conversations):
                assert "ASB-" in through_gateway(http, gateway, gateway_samples)
                assert "ASB-" in direct_to_rasa(http, rasa, rasa_samples)
    finally:
        stack.stop()
    ours, theirs = summary_ms(gateway_samples), summary_ms(rasa_samples)
    print(f"\n### Web chat turn latency ({machine()})\n")
    print(f"`.venv/bin/python -m bench.webchat_latency --conversations {args.conversations}`: "
          f"{len(gateway_samples)} turns each way, alternating.\n")  # fmt: skip
    print("| path | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|")
    print(f"| POST /api/chat (gateway) | {ours['p50']} | {ours['p95']} | {ours['p99']} |")
    print(f"| Rasa REST webhook alone | {theirs['p50']} | {theirs['p95']} | {theirs['p99']} |")
    ratio = {k: round(ours[k] / theirs[k], 3) for k in ours}
    print(f"| ratio | {ratio['p50']} | {ratio['p95']} | {ratio['p99']} |")


if __name__ == "__main__":
    main()
