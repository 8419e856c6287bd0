"""What Rasa may write to its log: no word a resident sent.

Rasa Open Source logs the message text when a turn fails or times out (with the stack's
local variables), and an action server error with the whole tracker in its body. Rasa
installs its own log handlers and formatters (coloredlogs, structlog) after reading any
logging configuration, so the redaction happens where every log record is made: a record
keeps a structured line's allowed fields only, a plain line's first line (cut short), and
an exception as its types, never its message or locals. Standard library only.
"""

from __future__ import annotations

import json
import logging
from typing import Any

# Fields of Rasa's structured (JSON) lines that name what happened, not what was said.
ALLOWED_FIELDS = {"event", "level", "timestamp", "logger", "action_name", "policy", "model_id"}
LONGEST_MESSAGE = 300


def _structured(message: str) -> str | None:
    if not message.startswith("{"):
        return None
    try:
        fields = json.loads(message)
    except ValueError:
        return None
    if not isinstance(fields, dict):
        return None
    kept = {k: v for k, v in fields.items() if k in ALLOWED_FIELDS}
    errors = fields.get("exception")
    if isinstance(errors, list):
        kept["exception"] = [e.get("exc_type") for e in errors if isinstance(e, dict)]
    withheld = sorted(set(fields) - set(kept))
    if withheld:
        kept["withheld"] = withheld
    return json.dumps(kept)


def _exception_types(error: BaseException | None) -> str:
    names: list[str] = []
    while error is not None and len(names) < 5:
        names.append(type(error).__name__)
        error = error.__cause__ or error.__context__
    return " <- ".join(names)


def safe_message(record: logging.LogRecord) -> str:
    """The record's message as it may be written: no resident's words in it."""
    message = record.getMessage()
    safe = _structured(message)
    if safe is None:
        safe = message.splitlines()[0] if message else ""
        if len(safe) > LONGEST_MESSAGE:
            safe = safe[:LONGEST_MESSAGE] + " [cut]"
    if record.exc_info and record.exc_info[1] is not None:
        safe += f" [exception: {_exception_types(record.exc_info[1])}]"
    return safe


def install() -> None:
    """Redact every log record this process makes from now on (idempotent)."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "redacting", False):
        return

    def redacted_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        record.msg, record.args = safe_message(record), None
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return record

    redacted_record.redacting = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(redacted_record)
