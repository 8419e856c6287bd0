"""A real SMTP server (aiosmtpd) for the community tests' emails."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.acknowledgements.smtp import SmtpServer, start_smtp


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    server = start_smtp()
    yield server
    server.stop()
