"""The processes of the service on one machine and how each is started.

Every program is started through `bot.platform.reap` (see there why), by supervisord,
in priority order: the store first, then Rasa and the action server, the job workers,
and the gateway last; supervisord stops them in the reverse order.
"""

from __future__ import annotations

import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from bot.platform.settings import PROJECT_ROOT, Settings

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
    priority: int = 20  # supervisord starts low numbers first and stops them last
    # Seconds a start must last to count as started (a quicker exit is a failed start,
    # retried with a growing back-off), and seconds allowed for a clean stop.
    start_seconds: int = 1
    stop_seconds: int = 20


def ensure_pseudonym_key(data_dir: Path) -> None:
    key_file = data_dir / "pseudonym.key"
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)


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
            stop_seconds=30,
        ),
        ProcessSpec(
            "actions",
            [python, "-m", "rasa_sdk", "--actions", "actions", "-p", str(ports.actions)],
            f"http://127.0.0.1:{ports.actions}/health",
        ),
        ProcessSpec("worker", [python, "-m", "bot.jobs.run", "worker"], priority=30),
        ProcessSpec("emergency-worker", [python, "-m", "bot.jobs.run", "emergency"], priority=30),
        # uvicorn's master holds the socket and replaces a worker that dies.
        ProcessSpec(
            "gateway",
            [python, "-m", "uvicorn", "bot.app:create_app", "--factory", "--host", settings.host,
             "--port", str(ports.gateway), "--workers", str(settings.gateway_workers),
             "--no-access-log", "--timeout-keep-alive", "75"],
            f"http://{settings.host}:{ports.gateway}/healthz",
            priority=40,
        ),
    ]  # fmt: skip
