"""Operators' view: /healthz reports each component, /metrics counts turns and flags."""

from __future__ import annotations

import re
import time

import httpx
import pytest

from tests.e2e.chat_driver import REFERENCE, ChatResident
from tests.e2e.test_webchat_report import ANSWERS

pytestmark = pytest.mark.rasa


def test_healthz_reports_each_component(live_gateway_url: str) -> None:
    response = httpx.get(f"{live_gateway_url}/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "components": {"redis": "up", "rasa": "up"}}


def test_healthz_says_degraded_without_rasa(gateway_without_rasa: str) -> None:
    response = httpx.get(f"{gateway_without_rasa}/healthz")
    assert response.status_code == 200  # it still triages and answers emergencies
    assert response.json()["status"] == "degraded"
    assert response.json()["components"]["rasa"] == "down"


def test_metrics_count_turns_and_flags(live_gateway_url: str) -> None:
    httpx.post(
        f"{live_gateway_url}/api/chat",
        json={"conversation_id": None, "text": "they r smashing my windows rn help"},
        timeout=30,
    )
    body = httpx.get(f"{live_gateway_url}/metrics").text
    assert 'asb_turns_total{channel="chat",outcome="answered"}' in body
    assert 'asb_triage_flags_total{flag="emergency"}' in body
    assert "asb_turn_seconds_bucket" in body and "asb_emergencies_total" in body


def metric_value(body: str, name: str) -> float | None:
    match = re.search(rf"^{name} ([0-9.e+]+)$", body, re.MULTILINE)
    return float(match.group(1)) if match else None


def test_metrics_count_work_done_by_other_processes(live_gateway_url: str) -> None:
    """Cases (action server), acknowledgements and partner deliveries (workers) are counted
    in Redis and shown by the gateway; the failure counters are there from the start."""
    with httpx.Client(base_url=live_gateway_url, timeout=30) as http:
        final = ChatResident(http).complete(ANSWERS, "I want to report anti-social behaviour")
    assert REFERENCE.search(" ".join(m["text"] for m in final))
    wanted = ("asb_cases_total", "asb_acknowledgements_total", "asb_deliveries_total")
    deadline = time.monotonic() + 30
    while True:
        body = httpx.get(f"{live_gateway_url}/metrics").text
        if all((metric_value(body, name) or 0) >= 1 for name in wanted):
            break
        assert time.monotonic() < deadline, body
        time.sleep(0.5)
    for name in ("delivery_retries", "dead_letters", "sla_at_risk", "sla_breached"):
        assert metric_value(body, f"asb_{name}_total") is not None, name


def test_a_reply_says_how_much_of_its_time_was_the_engines(live_gateway_url: str) -> None:
    """`Server-Timing: engine;dur=<ms>`: what a slow reply spent waiting for Rasa, as a
    browser's developer tools or a load test reads it."""
    started = time.perf_counter()
    response = httpx.post(
        f"{live_gateway_url}/api/chat",
        json={"conversation_id": None, "text": "I want to report anti-social behaviour"},
        timeout=30,
    )
    elapsed_ms = (time.perf_counter() - started) * 1000
    timing = re.fullmatch(r"engine;dur=([0-9.]+)", response.headers["Server-Timing"])
    assert timing is not None
    assert 0 < float(timing.group(1)) < elapsed_ms
