"""Latency of an SMS turn and a voice turn through the gateway's Twilio webhooks, against
Rasa's REST webhook directly on the same model, in the same run.

    .venv/bin/python bench/telephony.py [--conversations 30]

Starts the stack exactly as `make run` does (bot.platform.stack.launch) on free ports with a
throwaway data folder and test Twilio credentials; every request is signed as Twilio signs
it. Each scripted report turn is sent, interleaved, to (a) POST /twilio/sms, (b) the voice
line's Gather action URL and (c) Rasa's /webhooks/rest/webhook, each with its own sender.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import socket
import statistics
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
from twilio.request_validator import RequestValidator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.platform.processes import Ports
from bot.platform.settings import PROJECT_ROOT, Settings
from bot.platform.stack import launch

MODEL = PROJECT_ROOT / "models" / "asb.tar.gz"
TOKEN = "bench-auth-token"
PUBLIC = "https://asb.example.org"
LINE = "+447400000000"
SCRIPT = [
    "I want to report anti-social behaviour",
    "someone keeps kicking a ball against my car and shouting",
    "last night about 9pm",
    "cv1 5fb",
    "about five teenagers i don't know them",
    "i can't sleep and i'm worried about my car",
    "no neither",  # targeted because of who they are? anyone vulnerable at home?
    "yes it happens every weekend",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def signed(http: httpx.Client, path: str, params: dict[str, str]) -> httpx.Response:
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC + path, params)
    return http.post(path, data=params, headers={"X-Twilio-Signature": signature})


def pct(samples: list[float], p: int) -> float:
    return statistics.quantiles(sorted(samples), n=100, method="inclusive")[p - 1] * 1000


def row(name: str, samples: list[float]) -> str:
    return (
        f"| {name} | {len(samples)} | {pct(samples, 50):.1f} | {pct(samples, 95):.1f} | "
        f"{pct(samples, 99):.1f} | {max(samples) * 1000:.1f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=30)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="asb-bench-telephony-"))
    ports = Ports(free_port(), free_port(), free_port(), free_port())
    settings = Settings(ASB_DATA_DIR=data_dir, PORT=ports.gateway, REDIS_URL=None)
    (data_dir / "logs").mkdir()
    env = {
        "TWILIO_AUTH_TOKEN": TOKEN,
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "TWILIO_PHONE_NUMBER": LINE,
        "PUBLIC_BASE_URL": PUBLIC,
        # Nothing listens here: a report is never finished, so no SMS is sent.
        "TWILIO_API_BASE": f"http://127.0.0.1:{free_port()}",
    }
    print("starting the stack...", flush=True)
    stack = launch(settings, ports, MODEL, log_dir=data_dir / "logs", extra_env=env)
    sms: list[float] = []
    voice: list[float] = []
    rasa: list[float] = []
    try:
        gateway = httpx.Client(base_url=stack.gateway_url, timeout=30)
        direct = httpx.Client(base_url=f"http://127.0.0.1:{ports.rasa}", timeout=30)
        for n in range(args.conversations + 1):  # the first conversation warms up
            number = f"+447400{100000 + n:06d}"
            call = "CA" + secrets.token_hex(16)
            base = {"AccountSid": "AC" + "0" * 32, "To": LINE, "From": number}
            greeting = ET.fromstring(
                signed(gateway, "/twilio/voice", {**base, "CallSid": call}).text
            )
            action = greeting.find("Gather").attrib["action"]  # type: ignore[union-attr]
            rasa_sender = "bench-" + secrets.token_hex(8)
            for i, text in enumerate(SCRIPT):
                t0 = time.perf_counter()
                r = signed(
                    gateway,
                    "/twilio/sms",
                    {**base, "MessageSid": "SM" + secrets.token_hex(16), "Body": text},
                )
                t1 = time.perf_counter()
                assert r.status_code == 200 and "<Message>" in r.text, r.text
                heard = {"Digits": "1"} if i == 0 else {"SpeechResult": text}
                v = signed(gateway, action, {**base, "CallSid": call, **heard})
                t2 = time.perf_counter()
                root = ET.fromstring(v.text)
                gather = root.find("Gather")
                assert gather is not None, v.text
                action = gather.attrib["action"]
                d = direct.post(
                    "/webhooks/rest/webhook",
                    json={"sender": rasa_sender, "message": text, "metadata": {"channel": "sms"}},
                )
                t3 = time.perf_counter()
                assert d.status_code == 200
                if n > 0:
                    sms.append(t1 - t0)
                    voice.append(t2 - t1)
                    rasa.append(t3 - t2)
            print(f"conversation {n}/{args.conversations}", flush=True)
    finally:
        stack.stop()
    ratio = pct(sms, 95) / pct(rasa, 95)
    print()
    print(f"Machine: nproc = {os.cpu_count()}, uname -m = {platform.machine()}, "
          f"Python {platform.python_version()}")  # fmt: skip
    print("| path | turns | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|")
    print(row("SMS turn: POST /twilio/sms (signed) -> TwiML", sms))
    print(row("voice turn: Gather action (signed) -> TwiML", voice))
    print(row("Rasa REST webhook alone", rasa))
    print()
    print(f"SMS p95 / Rasa p95 = {ratio:.2f} (target <= 1.15)")
    print(f"voice p99 = {pct(voice, 99):.0f} ms (target <= 2000)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
