"""Structured logs: JSON lines in production (ASB_LOG_FORMAT=json), readable otherwise.

Log events carry references, channels and flags, never what a resident wrote. As a second
line of defence, a redaction step removes anything that looks like a phone number, email
address or postcode, and drops fields that would hold message text, before rendering.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import MutableMapping
from typing import Any

import structlog

_DROPPED_FIELDS = frozenset({"text", "body", "message", "from_", "to", "phone", "email", "name"})
_PATTERNS = (
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),  # email
    re.compile(r"(?<!\w)\+?\d[\d\s()-]{8,}\d(?!\w)"),  # phone number
    re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE),  # UK postcode
)
REDACTED = "[redacted]"


def redact(value: str) -> str:
    for pattern in _PATTERNS:
        value = pattern.sub(REDACTED, value)
    return value


def redact_event(_logger: Any, _method: str, event: MutableMapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in event.items():
        if key in _DROPPED_FIELDS:
            cleaned[key] = REDACTED
        elif isinstance(value, str) and key != "timestamp":
            cleaned[key] = redact(value)
        else:
            cleaned[key] = value
    return cleaned


def configure_logging() -> None:
    json_logs = os.environ.get("ASB_LOG_FORMAT", "console") == "json"
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if json_logs
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact_event,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
        cache_logger_on_first_use=True,
    )
