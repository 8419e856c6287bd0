"""Rasa's log records pass through rasa_plugins/log_redaction.py: what happened is kept,
what the resident said is not, even when Rasa logs a failed turn with its text and locals
or an action server's error with the whole tracker."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from rasa_plugins import log_redaction

WORDS = "the man at number 12 shouts at my children"


@pytest.fixture
def rasa_log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger in a process where the redaction is installed, as in the Rasa server."""
    make_record = logging.getLogRecordFactory()
    log_redaction.install()
    log_redaction.install()  # a second call changes nothing
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s - %(message)s"))
    logger = logging.getLogger("rasa.redaction-test")
    logger.handlers, logger.propagate = [handler], False
    logger.setLevel(logging.INFO)
    yield logger, stream
    logging.setLogRecordFactory(make_record)


def test_a_failed_turn_is_logged_without_its_text(
    rasa_log: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = rasa_log
    line = json.dumps({
        "text": WORDS, "event": "rest.message.received.failure", "level": "error",
        "exception": [{"exc_type": "LockError", "exc_value": WORDS,
                       "frames": [{"locals": {"text": WORDS}}]}],
    })  # fmt: skip
    logger.error(line)
    written = stream.getvalue()
    assert WORDS not in written
    logged = json.loads(written.split(" - ", 1)[1])
    assert logged["event"] == "rest.message.received.failure"
    assert logged["exception"] == ["LockError"] and "text" in logged["withheld"]


def test_an_action_server_error_is_logged_as_its_types_only(
    rasa_log: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = rasa_log
    try:
        try:
            raise ValueError(f"500, body={{'tracker': {{'text': '{WORDS}'}}}}")
        except ValueError as error:
            raise RuntimeError("Failed to execute custom action 'action_submit_report'") from error
    except RuntimeError:
        logger.exception("Encountered an exception while running an action")
    written = stream.getvalue()
    assert WORDS not in written and "body=" not in written and "Traceback" not in written
    assert "Encountered an exception" in written
    assert "RuntimeError <- ValueError" in written


def test_formatting_arguments_and_long_or_multi_line_messages_are_cut(
    rasa_log: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = rasa_log
    logger.info("Received user message %s\n%s", "from the web", WORDS)
    logger.info("x" * 1000)
    lines = stream.getvalue().splitlines()
    assert lines[0].endswith("Received user message from the web")
    assert lines[1].endswith("[cut]") and WORDS not in stream.getvalue()
