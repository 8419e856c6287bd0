"""A real SMTP server (aiosmtpd) that keeps what it receives; it can hold its answer to
a message (the message received, the "250 OK" not yet given) or refuse recipients."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.conftest import free_port


@dataclass
class SmtpServer:
    controller: Controller | None = None
    messages: list[EmailMessage] = field(default_factory=list)
    received: threading.Event = field(default_factory=threading.Event)
    hold_seconds: float = 0.0
    refuse: bool = False

    @property
    def url(self) -> str:
        assert self.controller is not None
        return f"smtp://127.0.0.1:{self.controller.port}"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def reset(self) -> None:
        self.messages.clear()
        self.received.clear()
        self.hold_seconds, self.refuse = 0.0, False

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.received.set()
        if self.hold_seconds:
            await asyncio.sleep(self.hold_seconds)
        return "250 Message accepted for delivery"

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()


def start_smtp() -> SmtpServer:
    server = SmtpServer()
    server.controller = Controller(server, hostname="127.0.0.1", port=free_port())
    server.controller.start()
    return server
