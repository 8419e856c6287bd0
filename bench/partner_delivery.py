"""Partner delivery: emergency latency to the police webhook, and deliveries per second.

    .venv/bin/python -m bench.partner_delivery [--emergencies 100] [--deliveries 1000]

1. Emergency: the real stack as `make run` starts it (Valkey, Rasa, actions, both workers,
   gateway) with a partners file pointing at a local HTTP receiver. Each sample is a new
   web chat conversation whose first message is an emergency; the time is from sending it
   to the police receiver answering 204 to the signed `case.emergency` for that message.
2. Throughput: its own Valkey and ONE worker process (`python -m bot.jobs.run worker`);
   stored cases get `case.created` deliveries published in a burst; deliveries per second
   is the count over the time from the first publish to the receiver answering the last.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import yaml
from arq.connections import create_pool
from redis.asyncio import Redis

from bench.common import free_port, machine, start_stack, summary_ms
from bot.cases.events import CaseEvents
from bot.cases.model import Case, CasePersonal, ContactDetails, ReportAnswers
from bot.cases.store import CaseStore
from bot.partners.config import load_partners_file
from bot.partners.delivery import PartnerDelivery
from bot.partners.payload import CASE_CREATED
from bot.partnerships import load_partnerships
from bot.platform.job_queue import QUEUE_NAME, redis_settings
from bot.platform.redis_keys import Keys
from bot.platform.settings import PROJECT_ROOT
from bot.platform.valkey import start_embedded_valkey
from bot.privacy.crypto import new_key
from bot.safety.flags import SafetyFlags

EMERGENCIES = [
    "theres lads outside wiv a blade rn",
    "someone is trying to break in right now please help",
    "um yeah theres a man outside with a knife and hes shouting at my kids",
    "they've just set fire to my front door",
]


class Receiver:
    """Answers 204 at once and notes when, keyed by a caller-chosen field of `data`."""

    def __init__(self, key: str) -> None:
        self.answered: dict[str, float] = {}
        self.count = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                data = json.loads(body)["data"]
                self.send_response(204)
                self.send_header("content-length", "0")
                self.end_headers()
                with receiver.lock:
                    receiver.answered[str(data.get(key))] = time.perf_counter()
                    receiver.count += 1

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/hook"

    def partners_file(self, agencies: list[str]) -> Path:
        secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
        doc = {
            "endpoints": {a: {"url": self.url(), "secret": secret} for a in agencies},
            "allow_private_addresses": True,
        }
        path = Path(tempfile.mkdtemp(prefix="asb-bench-partners-")) / "partners.yml"
        path.write_text(yaml.safe_dump(doc))
        return path


def emergency_latency(count: int) -> dict[str, float]:
    receiver = Receiver("incident_description")
    env = {"ASB_PARTNERS_FILE": str(receiver.partners_file(["police"]))}
    stack, _ = start_stack(env)
    samples: list[float] = []
    try:
        with httpx.Client(base_url=stack.gateway_url, timeout=10) as http:
            for i in range(count + 5):
                text = f"{EMERGENCIES[i % len(EMERGENCIES)]} {i}"
                started = time.perf_counter()
                response = http.post("/api/chat", json={"conversation_id": None, "text": text})
                assert response.json()["messages"][0].get("urgent"), response.text
                deadline = started + 10
                while text not in receiver.answered:
                    assert time.perf_counter() < deadline, f"no police delivery for {text!r}"
                    time.sleep(0.002)
                if i >= 5:  # the first few warm the pools
                    samples.append(receiver.answered[text] - started)
    finally:
        stack.stop()
    return summary_ms(samples) | {"n": len(samples)}


def _case(n: int) -> tuple[Case, CasePersonal]:
    case = Case(
        reference=f"ASB-BNCH-{n:05d}", created_at=datetime.now(UTC), channel="chat",
        partnership="coventry", contact_key=None, contact_method="sms", anonymous=False,
        consent_to_share=True, happening_now=False, postcode_district="CV1",
        flags=SafetyFlags(category="nuisance", subtype="noise"), lead_agency="council_asb",
        routed_to=["council_asb"],
    )  # fmt: skip
    personal = CasePersonal(
        answers=ReportAnswers(incident_description="loud music", incident_time="last night",
                              incident_location="CV1 5FB"),
        contact=ContactDetails(method="sms", phone="+447700900123"),
    )  # fmt: skip
    return case, personal


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.jobs.run", "worker"],
        cwd=PROJECT_ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip


async def throughput(count: int) -> dict[str, float]:
    receiver = Receiver("reference")
    data_dir = Path(tempfile.mkdtemp(prefix="asb-bench-"))
    valkey = start_embedded_valkey(data_dir / "valkey", free_port())
    partners_file = receiver.partners_file(["council_asb"])
    env = {**os.environ, "REDIS_URL": valkey.connection_url, "ASB_DATA_DIR": str(data_dir),
           "ASB_PSEUDONYM_KEY": "bench", "ASB_ENCRYPTION_KEYS": new_key(),
           "ASB_PARTNERS_FILE": str(partners_file)}  # fmt: skip
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "SMTP_URL", "ASB_KEY_PREFIX"):
        env.pop(name, None)
    worker = start_worker(env, data_dir / "worker.log")
    redis = Redis.from_url(valkey.connection_url)
    pool = await create_pool(redis_settings(valkey.connection_url), default_queue_name=QUEUE_NAME)
    keys = Keys()
    cases = CaseStore(redis, keys)
    partnerships = load_partnerships(PROJECT_ROOT / "partnerships", "coventry")
    try:
        stored = []
        for n in range(count):
            case, personal = _case(n)
            await redis.set(keys.case(case.reference), case.model_dump_json())
            await redis.set(keys.case_personal(case.reference), personal.model_dump_json())
            stored.append(case)
        await asyncio.sleep(3)  # the worker starts
        async with httpx.AsyncClient() as http:
            delivery = PartnerDelivery(
                redis, keys, pool, cases, CaseEvents(redis, keys), partnerships,
                load_partners_file(partners_file), http, base_url="https://asb.example",
                schedule=[0, 5],
            )  # fmt: skip
            started = time.perf_counter()
            for case in stored:
                await delivery.publish_case(case, CASE_CREATED, f"{case.reference}:created")
            published = time.perf_counter() - started
            deadline = time.perf_counter() + 300
            while receiver.count < count:
                assert time.perf_counter() < deadline, f"only {receiver.count} delivered"
                await asyncio.sleep(0.01)
            elapsed = max(receiver.answered.values()) - started
    finally:
        worker.terminate()
        worker.wait(20)
        await pool.aclose()
        await redis.aclose()
        valkey.stop()
    return {"n": count, "seconds": round(elapsed, 2), "per_second": round(count / elapsed, 1),
            "publish_seconds": round(published, 2)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--emergencies", type=int, default=100)
    parser.add_argument("--deliveries", type=int, default=1000)
    args = parser.parse_args()
    em = emergency_latency(args.emergencies)
    tp = asyncio.run(throughput(args.deliveries))
    print(f"\n### Partner delivery ({machine()})\n")
    print(
        f"`.venv/bin/python -m bench.partner_delivery --emergencies {args.emergencies} "
        f"--deliveries {args.deliveries}`\n"
    )
    print("| measure | n | p50 ms | p95 ms | p99 ms | target |")
    print("|---|---|---|---|---|---|")
    print(
        f"| emergency message -> police webhook answered | {em['n']} | {em['p50']} | "
        f"{em['p95']} | {em['p99']} | p99 <= 1000 ms |"
    )
    print("\n| measure | deliveries | seconds | per second | of which publishing |")
    print("|---|---|---|---|---|")
    print(
        f"| case.created, one worker | {tp['n']} | {tp['seconds']} | {tp['per_second']} | "
        f"{tp['publish_seconds']} s |"
    )


if __name__ == "__main__":
    main()
