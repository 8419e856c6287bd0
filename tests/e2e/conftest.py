"""A resident typing into the live stack's web chat, for the e2e tests."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.chat_driver import ChatResident


@pytest.fixture
def resident(live_gateway_url: str) -> Iterator[ChatResident]:
    with httpx.Client(base_url=live_gateway_url, timeout=30) as http:
        yield ChatResident(http)
