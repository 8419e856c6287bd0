"""The service's own composition (bot/conversation/services.py) over the tests' real Valkey, with no
Rasa behind it: a test puts its own dialogue engine in place."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from bot.conversation.services import Services
from bot.platform.settings import Settings, get_settings


@asynccontextmanager
async def composed_services(
    valkey_url: str, monkeypatch: pytest.MonkeyPatch, **env: str
) -> AsyncIterator[Services]:
    monkeypatch.setenv("REDIS_URL", valkey_url)
    monkeypatch.setenv("ASB_PSEUDONYM_KEY", "test-secret")
    monkeypatch.setenv("RASA_URL", "http://127.0.0.1:9")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    svc = await Services.open(Settings())
    try:
        yield svc
    finally:
        await svc.aclose()
        get_settings.cache_clear()
