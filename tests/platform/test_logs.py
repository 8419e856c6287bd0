from __future__ import annotations

from bot.platform.logs import REDACTED, redact, redact_event


def test_personal_data_is_redacted_from_log_values() -> None:
    line = "sent to +447911123456 and 07911 123456 for jo@example.org at CV1 5FB"
    cleaned = redact(line)
    for secret in ("7911", "jo@example.org", "CV1 5FB"):
        assert secret not in cleaned
    assert cleaned.count(REDACTED) == 4


def test_references_ids_and_timings_survive() -> None:
    event = {"event": "case.stored", "reference": "ASB-K7MP-4QXW", "ms": 12.5,
             "call_sid": "CA0123456789abcdef", "text": "my neighbour Jo"}  # fmt: skip
    cleaned = redact_event(None, "info", event)
    assert cleaned["reference"] == "ASB-K7MP-4QXW"
    assert cleaned["call_sid"] == "CA0123456789abcdef"
    assert cleaned["ms"] == 12.5
    assert cleaned["text"] == REDACTED
