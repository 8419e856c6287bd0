"""Prometheus metrics, exposed at GET /metrics. Labels carry channels and flag names only."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import REGISTRY, Counter, Histogram
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

TURNS = Counter("asb_turns_total", "Conversation turns", ["channel", "outcome"])
TURN_SECONDS = Histogram(
    "asb_turn_seconds",
    "Time to answer one message, triage and dialogue included",
    ["channel"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
TRIAGE_FLAGS = Counter("asb_triage_flags_total", "Messages raising a safety flag", ["flag"])
DANGER_QUESTIONS = Counter(
    "asb_danger_questions_total",
    'The danger question: asked, and how it was answered ("yes", "no", "unanswered")',
    ["outcome"],
)
EMERGENCIES = Counter("asb_emergencies_total", "Emergencies raised (P1 events queued)")


class DeploymentCounts(Collector):
    """Counts kept in Redis by the processes that do the work (action server, workers; see
    bot/platform/counters.py), so one scrape of any gateway shows the whole deployment. The /metrics
    route reads them from Redis just before each scrape; this collector only reports them."""

    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def collect(self) -> Iterator[CounterMetricFamily]:
        # Nothing is reported while Redis cannot be read: a missing series, not a false zero.
        for name, value in self.values.items():
            yield CounterMetricFamily(f"asb_{name}", _HELP.get(name, name), value=value)


_HELP = {
    "cases": "Cases stored (a reference given)",
    "acknowledgements": "Written acknowledgements sent (or put in the outbox)",
    "deliveries": "Partner webhook deliveries accepted by the agency",
    "delivery_retries": "Partner webhook attempts that failed and will be retried",
    "dead_letters": "Partner webhook deliveries given up (dead letters)",
    "sla_at_risk": "SLA clocks raised as at risk",
    "sla_breached": "SLA clocks raised as breached",
}
DEPLOYMENT_COUNTS = DeploymentCounts()
REGISTRY.register(DEPLOYMENT_COUNTS)
