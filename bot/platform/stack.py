"""The service on one machine: supervisord runs every process, restarting each on its own
when it dies; this module starts supervisord, brings the processes up in order, and
stops everything. `asb-intake run` (what `make run` calls) uses it, and so do the
end-to-end tests, so the tests exercise what users run.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import redis

from bot.platform import run_state
from bot.platform.processes import Ports, ProcessSpec, ensure_pseudonym_key, process_specs, rasa_env
from bot.platform.settings import PROJECT_ROOT, Settings
from bot.platform.supervisord import Supervisor, render_config
from bot.platform.valkey import valkey_command
from bot.privacy.crypto import ensure_encryption_keys

SUPERVISORD = Path(sys.executable).parent / "supervisord"


@dataclass
class Stack:
    """The running service: supervisord and the programs it keeps running."""

    settings_env: dict[str, str]
    gateway_url: str
    specs: list[ProcessSpec]
    run_dir: Path
    log_dir: Path
    manager: subprocess.Popen[bytes]
    supervisor: Supervisor

    def spec(self, name: str) -> ProcessSpec:
        return next(spec for spec in self.specs if spec.name == name)

    def pid(self, name: str) -> int:
        """The pid of the program's own process (0 while it is not running)."""
        return self.supervisor.pid(name)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> int:
        """Signal the program's main process, as a crash would end it; its pid."""
        pid = self.pid(name)
        os.kill(pid, sig)
        return pid

    def stop_process(self, name: str) -> None:
        self.supervisor.stop(name)

    def start_process(self, name: str) -> None:
        self.supervisor.start(name)

    def wait_back(self, name: str, old_pid: int, timeout: float = 120.0) -> float:
        """Seconds until the program runs again under a new pid and answers (if it has a
        readiness address)."""
        started = time.monotonic()
        deadline = started + timeout
        while True:
            info = self.supervisor.info(name)
            if info["statename"] == "RUNNING" and info["pid"] not in (0, old_pid):
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} was not restarted: {info['statename']}")
            time.sleep(0.2)
        self._wait_answers(self.spec(name), deadline)
        return time.monotonic() - started

    def wait_ready(self, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        for spec in self.specs:
            self._wait_answers(spec, deadline)

    def _wait_answers(self, spec: ProcessSpec, deadline: float) -> None:
        if spec.ready_url is None:
            return
        while True:
            state = self.supervisor.info(spec.name)["statename"]
            if state in ("FATAL", "EXITED", "STOPPED"):
                raise RuntimeError(f"{spec.name} is {state}: see {self.log_dir / spec.name}.log")
            try:
                if httpx.get(spec.ready_url, timeout=1.0).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{spec.name} did not become ready at {spec.ready_url}")
            time.sleep(0.3)

    def stop(self) -> None:
        """Stop every program, the gateway first and the store last (supervisord stops
        them in reverse priority), then supervisord itself; nothing is left running."""
        if self.manager.poll() is None:
            self.manager.send_signal(signal.SIGTERM)
            try:
                self.manager.wait(timeout=sum(s.stop_seconds for s in self.specs) + 10)
            except subprocess.TimeoutExpired:
                self.manager.kill()
                self.manager.wait()
        for spec in self.specs:  # whatever a killed manager could not stop
            pgid_file = self.run_dir / f"{spec.name}.pgid"
            with contextlib.suppress(OSError, ValueError):
                os.killpg(int(pgid_file.read_text()), signal.SIGKILL)
            pgid_file.unlink(missing_ok=True)


def socket_path(run_dir: Path) -> Path:
    """A Unix socket path must be short (about 100 bytes): a deep checkout gets one in the
    temporary directory, named after the run directory."""
    socket = run_dir / "supervisor.sock"
    if len(str(socket)) < 100:
        return socket
    digest = hashlib.sha256(str(run_dir).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"asb-{digest}.sock"


def _environment(
    settings: Settings, ports: Ports, redis_url: str, run_dir: Path, extra: dict[str, str]
) -> dict[str, str]:
    metrics_dir = run_dir / "metrics"  # each gateway worker's counters, summed at /metrics
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True)
    return {
        **os.environ,
        **extra,
        "REDIS_URL": redis_url,
        "ASB_DATA_DIR": str(settings.data_dir),
        "RASA_URL": f"http://{settings.host}:{ports.rasa}",
        "PORT": str(ports.gateway),
        "SANIC_HOST": "127.0.0.1",
        # Rasa 3.6 runs more than one worker only with a Redis lock store, as ours is.
        "SANIC_WORKERS": str(settings.rasa_workers),
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "PYTHONUNBUFFERED": "1",  # log lines reach the log as they happen
        # Keys from a .env file reach Rasa too, whose tracker store encrypts with them.
        **({"ASB_ENCRYPTION_KEYS": settings.encryption_keys} if settings.encryption_keys else {}),
        **rasa_env(redis_url, ports.actions, settings.conversation_ttl_seconds),
    }


def launch(
    settings: Settings,
    ports: Ports,
    model_dir: Path,
    log_dir: Path | None = None,
    extra_env: dict[str, str] | None = None,
) -> Stack:
    """Start supervisord and, through it, Valkey (unless REDIS_URL is set), then Rasa, the
    action server, the job workers and the gateway; return once each answers."""
    ensure_pseudonym_key(settings.data_dir)
    if not settings.encryption_keys:
        ensure_encryption_keys(settings.data_dir)
    run_dir = settings.data_dir / "run"
    log_dir = log_dir or settings.data_dir / "log"
    run_dir.mkdir(parents=True, exist_ok=True)
    log_dir.mkdir(parents=True, exist_ok=True)
    specs = process_specs(settings, ports, model_dir)
    redis_url = settings.redis_url
    if not redis_url:
        valkey = valkey_command(settings.data_dir / "valkey", ports.valkey)
        specs.insert(0, ProcessSpec("valkey", valkey, priority=10, stop_seconds=30))
        redis_url = f"redis://127.0.0.1:{ports.valkey}"
    env = _environment(settings, ports, redis_url, run_dir, extra_env or {})
    socket = socket_path(run_dir)
    config = run_dir / "supervisord.conf"
    config.write_text(render_config(specs, run_dir, log_dir, PROJECT_ROOT, socket))
    manager = subprocess.Popen(
        [str(SUPERVISORD), "-c", str(config)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # Ctrl-C reaches `asb-intake run`, which stops it in order
    )
    stack = Stack(
        env, f"http://{settings.host}:{ports.gateway}", specs, run_dir, log_dir, manager,
        Supervisor(socket),
    )  # fmt: skip
    try:
        _start_in_order(stack, redis_url)
    except BaseException:
        stack.stop()
        raise
    return stack


def _start_in_order(stack: Stack, redis_url: str, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while True:  # supervisord is up once its socket answers
        try:
            if stack.supervisor.state() == "RUNNING":
                break
        except OSError:
            pass
        if stack.manager.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"supervisord did not start: see {stack.log_dir}/supervisord.log")
        time.sleep(0.1)
    rest = [spec for spec in stack.specs if spec.name != "valkey"]
    if len(rest) < len(stack.specs):
        stack.start_process("valkey")
        _wait_for_store(redis_url, deadline)
    for spec in sorted(rest, key=lambda s: s.priority):
        stack.supervisor.start(spec.name, wait=False)
    stack.wait_ready(max(1.0, deadline - time.monotonic()))


def _wait_for_store(redis_url: str, deadline: float) -> None:
    client: Any = redis.Redis.from_url(redis_url, socket_timeout=1)
    try:
        while True:
            try:
                if client.ping():
                    return
            except redis.RedisError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("the store did not start")
            time.sleep(0.1)
    finally:
        client.close()


def run_forever(settings: Settings, ports: Ports, model_dir: Path) -> int:
    """`asb-intake run`: start everything, then wait for Ctrl-C or SIGTERM. A process that
    dies is restarted by supervisord; nothing else stops."""
    print(
        "Starting Valkey, Rasa, the action server, the job workers and the gateway...", flush=True
    )
    stack = launch(settings, ports, model_dir)
    stopping = False

    def request_stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    print(
        f"\nWeb chat: {stack.gateway_url}/chat\nLogs: {stack.log_dir}/\nPress Ctrl-C to stop.\n",
        flush=True,
    )
    run_state.write(settings.data_dir, stack.settings_env["REDIS_URL"], stack.gateway_url)
    try:
        while not stopping and stack.manager.poll() is None:
            time.sleep(0.5)
        if not stopping:
            print(f"supervisord exited with status {stack.manager.returncode}.", flush=True)
    finally:
        print("Stopping...", flush=True)
        run_state.clear(settings.data_dir)
        stack.stop()
    return 0
