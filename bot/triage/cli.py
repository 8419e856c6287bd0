"""`asb-intake triage`: JSON Lines in, one verdict line out per input line (CONTRACT section 2).

Input, one message per line::

    {"id": "m1", "text": "theres a lad outside with a knife rn", "channel": "sms"}

Output, in the same order::

    {"id": "m1", "emergency": true, "hate_crime": false, "hate_strands": [],
     "category": "personal", "subtype": "weapon"}

A line that is not valid JSON gets ``{"id": null, "error": "..."}``; a JSON value that is
not an object, or has no string ``text``, gets an error line carrying its id when it has
one. The run always goes on; blank lines are skipped. Each output line is flushed as soon
as it is written, so a caller can pipe messages through one at a time. The exit status is
0 unless standard input cannot be read.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from bot.triage.detector import CHANNELS, triage

__all__ = ["process_line", "run"]


def _error(ident: Any, message: str) -> dict[str, Any]:
    return {"id": ident, "error": message}


def process_line(line: str) -> dict[str, Any]:
    """The output object for one non-blank input line."""
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return _error(None, f"invalid JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(value, dict):
        return _error(None, f"expected a JSON object, got {type(value).__name__}")
    ident = value.get("id")
    if isinstance(ident, (dict, list)):
        ident = None  # an id is echoed back; only scalars make sense as one
    text = value.get("text")
    if not isinstance(text, str):
        return _error(ident, 'missing or non-string "text"')
    channel = value.get("channel")
    # An unknown channel never costs a verdict: the rules are the same on every channel.
    verdict = triage(text, channel if channel in CHANNELS else None)
    return {"id": ident, **verdict.contract_dict()}


def run(stdin: TextIO, stdout: TextIO) -> int:
    """Read JSON Lines from ``stdin``, write verdict lines to ``stdout``. Returns the exit code."""
    try:
        for line in stdin:
            if not line.strip():
                continue
            stdout.write(json.dumps(process_line(line), ensure_ascii=False) + "\n")
            stdout.flush()
    except (OSError, UnicodeDecodeError) as exc:
        stdout.flush()
        print(f"asb-intake triage: cannot read standard input: {exc}", file=sys.stderr)
        return 1
    return 0
