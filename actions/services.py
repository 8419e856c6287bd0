"""The core services for the action server, opened once on first use."""

from __future__ import annotations

import asyncio

from bot.services import Services
from bot.settings import get_settings

_opened: Services | None = None
_lock = asyncio.Lock()


async def services() -> Services:
    global _opened
    async with _lock:
        if _opened is None:
            _opened = await Services.open(get_settings())
        return _opened
