"""Structured logs: JSON lines in production (ASB_LOG_FORMAT=json), readable otherwise.
Log events carry references, channels and flags, never what a resident wrote."""

from __future__ import annotations

import logging
import os

import structlog


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
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
        cache_logger_on_first_use=True,
    )
