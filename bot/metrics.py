"""Prometheus metrics, exposed at GET /metrics. Labels carry channels and flag names only."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

TURNS = Counter("asb_turns_total", "Conversation turns", ["channel", "outcome"])
TURN_SECONDS = Histogram(
    "asb_turn_seconds",
    "Time to answer one message, triage and dialogue included",
    ["channel"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
TRIAGE_FLAGS = Counter("asb_triage_flags_total", "Messages raising a safety flag", ["flag"])
EMERGENCIES = Counter("asb_emergencies_total", "Emergencies raised (P1 events queued)")
