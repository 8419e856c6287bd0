"""Real HTTP receivers standing in for partner agencies' systems.

One threaded server; each agency has its own path and its own Standard Webhooks secret.
Every request is verified with the `standardwebhooks` package and its `data` validated
against schemas/case.v1.json with `jsonschema`, then answered by the agency's behaviour:
`ok` (204), or a script of answers (500, 410, 429 with Retry-After, a hold that outlasts
the sender's timeout) taken one per request before falling back to `ok`.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from standardwebhooks import Webhook, WebhookVerificationError

from bot.partners.payload import schema

AGENCIES = (
    "police", "council_asb", "environmental_health", "fire_service", "victim_support",
    "citizen_housing",
)  # fmt: skip


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


@dataclass
class Answer:
    status: int = 204
    hold_seconds: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    # Only for events this accepts (e.g. not a late retry of an earlier test's case).
    applies: Callable[[dict[str, Any]], bool] | None = None


@dataclass
class Received:
    agency: str
    headers: dict[str, str]
    body: bytes
    event: dict[str, Any] | None
    verified: bool
    schema_errors: list[str]
    status: int
    at: float

    @property
    def webhook_id(self) -> str:
        return self.headers.get("webhook-id", "")

    @property
    def data(self) -> dict[str, Any]:
        assert self.event is not None
        data: dict[str, Any] = self.event["data"]
        return data


@dataclass
class Receivers:
    server: ThreadingHTTPServer
    secrets: dict[str, list[str]]
    received: list[Received] = field(default_factory=list)
    scripts: dict[str, list[Answer]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Condition = field(default_factory=threading.Condition)
    arriving: list[Received] = field(default_factory=list)  # before any hold is served

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, agency: str) -> str:
        return f"{self.base_url}/hooks/{agency}"

    def script(self, agency: str, *answers: Answer) -> None:
        with self.lock:
            self.scripts.setdefault(agency, []).extend(answers)

    def reset(self) -> None:
        with self.lock:
            self.received.clear()
            self.scripts.clear()

    def for_agency(self, agency: str, subject: str | None = None) -> list[Received]:
        with self.lock:
            return [
                r
                for r in self.received
                if r.agency == agency
                and (subject is None or (r.event or {}).get("subject") == subject)
            ]

    def wait_for(
        self, agency: str, subject: str | None, count: int = 1, timeout: float = 30.0,
        status: int | None = None,
    ) -> list[Received]:  # fmt: skip
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                got = [
                    r for r in self.for_agency(agency, subject)
                    if status is None or r.status == status
                ]  # fmt: skip
                if len(got) >= count:
                    return got
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"{agency}: {len(got)} of {count} deliveries for {subject} arrived"
                    )
                self.arrived.wait(min(left, 0.2))

    def partners_file(self, path: Path, **extra: Any) -> Path:
        endpoints = {
            agency: {"url": self.url(agency), "secret": secret_list}
            for agency, secret_list in self.secrets.items()
        }
        doc = {"endpoints": endpoints, "allow_private_addresses": True, **extra}
        path.write_text(yaml.safe_dump(doc))
        return path

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_receivers(agencies: tuple[str, ...] = AGENCIES) -> Receivers:
    receivers: Receivers
    validator = jsonschema.Draft202012Validator(schema())

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            agency = self.path.rsplit("/", 1)[-1]
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            headers = {k.lower(): v for k, v in self.headers.items()}
            verified, event, errors = False, None, []
            for secret in receivers.secrets.get(agency, [])[:1]:  # the agency's newest secret
                try:
                    event = Webhook(secret).verify(body, headers)
                    verified = True
                except WebhookVerificationError:
                    pass
            if event is not None:
                errors = [e.message for e in validator.iter_errors(event.get("data"))]
            with receivers.lock:
                script = receivers.scripts.get(agency) or []
                answer = Answer()
                for i, scripted in enumerate(script):
                    if scripted.applies is None or scripted.applies(event or {}):
                        answer = script.pop(i)
                        break
            status = answer.status if verified else 401
            record = Received(agency, headers, body, event, verified, errors, status, time.time())
            with receivers.arrived:
                receivers.arriving.append(record)
                receivers.arrived.notify_all()
            if answer.hold_seconds:
                time.sleep(answer.hold_seconds)
            with receivers.lock:
                receivers.received.append(record)
            try:
                self.send_response(status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", "0")
                self.end_headers()
            except OSError:
                pass  # the sender gave up waiting
            with receivers.arrived:
                receivers.arrived.notify_all()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receivers = Receivers(server, {a: [new_secret()] for a in agencies})
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receivers


def loads(body: bytes) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(body)
    return out
