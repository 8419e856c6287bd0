"""The core services for the action server, opened once on first use."""

from __future__ import annotations

import asyncio
from functools import cache

from bot.conversation.services import Services
from bot.partnerships import Partnerships, load_partnerships
from bot.platform.settings import get_settings

_opened: Services | None = None
_lock = asyncio.Lock()


async def services() -> Services:
    global _opened
    async with _lock:
        if _opened is None:
            _opened = await Services.open(get_settings())
        return _opened


@cache
def served_partnerships() -> Partnerships:
    """The served partnerships, without opening any connection (form validation needs
    only these)."""
    settings = get_settings()
    return load_partnerships(
        settings.partnerships_dir, settings.default_partnership, settings.partnership_ids()
    )
