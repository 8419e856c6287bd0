"""Shared fixtures. `live_stack` starts the real service exactly as `make run` does:
embedded Valkey, the Rasa server with the trained model, the action server, the job
worker and the gateway, on free loopback ports with their own data folder."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import redis

from bot.platform.processes import Ports
from bot.platform.settings import PROJECT_ROOT, Settings
from bot.platform.stack import Stack, launch
from bot.platform.valkey import start_embedded_valkey
from bot.privacy.crypto import new_key
from tests.partners.receivers import Receivers, start_receivers
from tests.telephony.fake_twilio import FakeTwilio, start_fake_twilio
from tests.telephony.signing import telephony_env

MODEL = PROJECT_ROOT / "models" / "asb.tar.gz"
# The suite sends hundreds of messages a minute from one address; rate limits have their
# own test with a gateway of their own.
UNLIMITED = {
    "ASB_RATE_LIMIT_PER_SENDER": "100000/minute",
    "ASB_RATE_LIMIT_PER_SOURCE": "100000/minute",
}
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
# One encryption key for the whole run, inherited by every process the suite starts, so
# tests can read the personal records they check (tests/records.py).
os.environ.setdefault("ASB_ENCRYPTION_KEYS", new_key())


def partners_env(receivers: Receivers, factory: pytest.TempPathFactory) -> dict[str, str]:
    """A partners file naming the receivers (loopback allowed), and a retry ladder of seconds."""
    path = receivers.partners_file(factory.mktemp("partners") / "partners.yml")
    return {"ASB_PARTNERS_FILE": str(path), "ASB_WEBHOOK_RETRY_SCHEDULE": "0,0.5,1,1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def fake_twilio() -> Iterator[FakeTwilio]:
    """A local server answering Twilio's REST paths; the live gateway sends SMS to it."""
    fake = start_fake_twilio()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def partner_receivers() -> Iterator[Receivers]:
    """Real HTTP receivers for every agency; the live stack's partners file points at them."""
    receivers = start_receivers()
    yield receivers
    receivers.stop()


@pytest.fixture(scope="session")
def live_stack(
    tmp_path_factory: pytest.TempPathFactory, fake_twilio: FakeTwilio, partner_receivers: Receivers
) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run `make train` (make test does it for you).")
    data_dir = tmp_path_factory.mktemp("var")
    log_dir = ARTIFACTS / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    ports = Ports(free_port(), free_port(), free_port(), free_port())
    settings = Settings(ASB_DATA_DIR=data_dir, PORT=ports.gateway, REDIS_URL=None)
    stack = launch(
        settings, ports, MODEL, log_dir=log_dir,
        extra_env={"ASB_LOG_FORMAT": "json", **UNLIMITED, **telephony_env(fake_twilio.base_url),
                   **partners_env(partner_receivers, tmp_path_factory)},
    )  # fmt: skip
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def live_gateway_url(live_stack: Stack) -> str:
    return live_stack.gateway_url


@pytest.fixture
def live_redis(live_stack: Stack) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(live_stack.settings_env["REDIS_URL"])
    yield client
    client.close()


def artifact_path(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


@pytest.fixture(scope="session")
def valkey_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Valkey server with an fsync'd append-only file, for unit tests of the core."""
    server = start_embedded_valkey(tmp_path_factory.mktemp("valkey"), free_port())
    yield server.connection_url
    server.stop()


@contextmanager
def extra_gateway(live_stack: Stack, **env: str) -> Iterator[str]:
    """Another gateway process on the live stack's Valkey, with its own settings."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "bot.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port)],
        env={**live_stack.settings_env, "PORT": str(port), **env},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{url}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def gateway_without_rasa(live_stack: Stack) -> Iterator[str]:
    """A second gateway on the same Valkey whose dialogue engine address answers nothing."""
    with extra_gateway(live_stack, RASA_URL=f"http://127.0.0.1:{free_port()}") as url:
        yield url


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: Playwright's sync API runs an event loop of its own, which must
    not be alive while the asyncio tests run."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
