"""Operators' view: /healthz reports each component, /metrics counts turns and flags."""

from __future__ import annotations

import httpx
import pytest

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
