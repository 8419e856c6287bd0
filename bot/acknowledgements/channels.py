"""The ways an acknowledgement goes out. One small class per delivery method behind one
shape: `send(...) -> Delivery`. The SMS sender is the telephony one, seen here only
through the `SmsPort` protocol (the core imports no channel)."""

from __future__ import annotations

import asyncio
import json
import os
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Literal, Protocol
from urllib.parse import urlparse

from bot.acknowledgements.content import Acknowledgement

# sent: handed to the provider (or the print queue); outbox: written to the local outbox
# (no provider configured); refused: the provider will never take it (opted out, invalid
# number, address refused); failed: not handed over this time, may be tried again.
DeliveryOutcome = Literal["sent", "outbox", "refused", "failed"]


@dataclass(frozen=True)
class Delivery:
    outcome: DeliveryOutcome
    provider_id: str | None = None
    detail: str = ""


class SmsResult(Protocol):
    @property
    def outcome(self) -> str: ...  # sent | outbox | opted_out | invalid_number | failed

    @property
    def sid(self) -> str | None: ...


class SmsPort(Protocol):
    async def send(self, to: str, body: str, *, reference: str | None = None) -> SmsResult: ...


async def send_sms(sms: SmsPort, to: str, ack: Acknowledgement, reference: str) -> Delivery:
    result = await sms.send(to, ack.sms, reference=reference)
    if result.outcome in ("sent", "outbox"):
        return Delivery(result.outcome, result.sid)  # type: ignore[arg-type]
    if result.outcome in ("opted_out", "invalid_number"):
        return Delivery("refused", detail=result.outcome)
    return Delivery("failed", detail=result.outcome)


def atomic_write(path: Path, data: bytes) -> None:
    """Write a file whole or not at all (a rename), so a crash leaves no half file and
    writing it again replaces it: outbox and print queue files are idempotent by name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    tmp.replace(path)


class EmailSender:
    """SMTP from SMTP_URL (smtp://host:port, or smtps:// for implicit TLS; user:password
    in the URL if the relay needs them). Without SMTP_URL, .eml files in the outbox.

    Every acknowledgement has a stable Message-ID (`<acknowledgement.<ref>@domain>`), so a
    copy sent again is recognisably the same message to mail systems and people."""

    def __init__(self, smtp_url: str | None, mail_from: str, outbox: Path, timeout: float = 15):
        self._url = urlparse(smtp_url) if smtp_url else None
        self._from = mail_from
        self._domain = mail_from.rsplit("@", 1)[-1]
        self.outbox = outbox
        self._timeout = timeout

    def message(
        self,
        to: str,
        ack: Acknowledgement,
        reference: str,
        kind: str,
        headers: Mapping[str, str] | None = None,
    ) -> EmailMessage:
        """`headers`: more of them, such as a list's unsubscribe links (RFC 8058)."""
        msg = EmailMessage()
        msg["From"] = self._from
        msg["To"] = to
        msg["Subject"] = ack.subject
        msg["Date"] = format_datetime(datetime.now(UTC))
        msg["Message-ID"] = f"<{kind}.{reference}@{self._domain}>"
        msg["X-ASB-Reference"] = reference
        for name, value in (headers or {}).items():
            msg[name] = value
        msg.set_content(ack.plain)
        msg.add_alternative(ack.html, subtype="html")
        return msg

    async def send(
        self,
        to: str,
        ack: Acknowledgement,
        reference: str,
        kind: str,
        headers: Mapping[str, str] | None = None,
    ) -> Delivery:
        msg = self.message(to, ack, reference, kind, headers)
        if self._url is None:
            path = self.outbox / f"{reference}-{kind}.eml"
            await asyncio.to_thread(atomic_write, path, bytes(msg))
            return Delivery("outbox", msg["Message-ID"])
        try:
            await asyncio.to_thread(self._smtp_send, msg)
        except smtplib.SMTPRecipientsRefused as exc:
            return Delivery("refused", detail=f"recipient refused: {exc.recipients}")
        except (smtplib.SMTPException, OSError) as exc:
            code = getattr(exc, "smtp_code", None)
            if isinstance(code, int) and 500 <= code < 600:
                return Delivery("refused", detail=f"{code}")
            return Delivery("failed", detail=type(exc).__name__)
        return Delivery("sent", msg["Message-ID"])

    def _smtp_send(self, msg: EmailMessage) -> None:
        assert self._url is not None
        host, port = self._url.hostname or "127.0.0.1", self._url.port
        smtp_class = smtplib.SMTP_SSL if self._url.scheme == "smtps" else smtplib.SMTP
        with smtp_class(host, port or (465 if self._url.scheme == "smtps" else 25),
                        timeout=self._timeout) as smtp:  # fmt: skip
            if self._url.username:
                smtp.login(self._url.username, self._url.password or "")
            smtp.send_message(msg)


class LetterPrinter:
    """A PDF letter (fpdf2) and a JSON ticket with the postal address, in the print queue
    (var/print-queue/). Named by reference: placing it again replaces it."""

    def __init__(self, queue_dir: Path):
        self.queue_dir = queue_dir

    async def send(
        self, address: str, name: str | None, ack: Acknowledgement, reference: str, kind: str
    ) -> Delivery:
        base = self.queue_dir / f"{reference}-{kind}"
        pdf = await asyncio.to_thread(render_letter, address, name, ack)
        await asyncio.to_thread(atomic_write, base.with_suffix(".pdf"), pdf)
        ticket = {
            "reference": reference,
            "kind": kind,
            "name": name,
            "address": address,
            "pdf": base.with_suffix(".pdf").name,
            "queued_at": datetime.now(UTC).isoformat(),
        }
        await asyncio.to_thread(
            atomic_write, base.with_suffix(".json"), json.dumps(ticket, indent=2).encode()
        )
        return Delivery("sent", base.with_suffix(".pdf").name)


def render_letter(address: str, name: str | None, ack: Acknowledgement) -> bytes:
    from fpdf import FPDF  # imported here: only letter-writing processes need it

    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    lines = ([name] if name else []) + [p.strip() for p in address.replace(";", ",").split(",")]
    for line in lines:
        pdf.cell(0, 6, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.cell(0, 6, datetime.now(UTC).strftime("%d %B %Y"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", style="B", size=13)
    pdf.multi_cell(0, 7, _latin1(ack.subject), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=12)
    for paragraph in ack.paragraphs:
        pdf.ln(3)
        pdf.multi_cell(0, 6, _latin1(paragraph), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _latin1(text: str) -> str:
    """The core PDF fonts are Latin-1: replace anything else rather than fail."""
    return text.encode("latin-1", "replace").decode("latin-1")
