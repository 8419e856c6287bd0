"""A small real HTTP server standing in for Twilio's REST API in tests.

It serves POST /2010-04-01/Accounts/{AccountSid}/Messages.json (and Calls.json, for
outbound calls) as Twilio does, records every request, and answers from a script of
responses (429, 500, 21610, 21211 ...) before falling back to success.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

_MESSAGES = re.compile(
    r"^/2010-04-01/Accounts/(?P<sid>AC[0-9a-f]{32})/(?P<kind>Messages|Calls)\.json$"
)


@dataclass
class Recorded:
    path: str
    authorization: str
    form: dict[str, str]


@dataclass
class FakeTwilio:
    server: ThreadingHTTPServer
    requests: list[Recorded] = field(default_factory=list)
    script: list[tuple[int, int | None]] = field(default_factory=list)  # (status, error code)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail_next(self, *answers: tuple[int, int | None]) -> None:
        with self.lock:
            self.script.extend(answers)

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.script.clear()

    def sent_to(self, number: str) -> list[Recorded]:
        with self.lock:
            return [r for r in self.requests if r.form.get("To") == number]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_fake_twilio() -> FakeTwilio:
    fake: FakeTwilio

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
            match = _MESSAGES.match(self.path)
            if not match:
                self._json(404, {"code": 20404, "message": "not found", "status": 404})
                return
            with fake.lock:
                fake.requests.append(
                    Recorded(self.path, self.headers.get("Authorization", ""), form)
                )
                status, code = fake.script.pop(0) if fake.script else (201, None)
            if status >= 400:
                self._json(
                    status,
                    {"code": code, "message": f"scripted error {code}", "status": status,
                     "more_info": f"https://www.twilio.com/docs/errors/{code}"},
                )  # fmt: skip
                return
            kind = match.group("kind")
            sid = ("SM" if kind == "Messages" else "CA") + secrets.token_hex(16)
            self._json(
                201,
                {"sid": sid, "account_sid": match.group("sid"), "to": form.get("To"),
                 "from": form.get("From"), "body": form.get("Body"), "status": "queued",
                 "num_segments": "1", "direction": "outbound-api",
                 "uri": f"/2010-04-01/Accounts/{match.group('sid')}/{kind}/{sid}.json"},
            )  # fmt: skip

        def _json(self, status: int, body: dict[str, object]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake = FakeTwilio(server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake
