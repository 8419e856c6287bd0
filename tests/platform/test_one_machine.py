"""The one-machine service as `make run` runs it: supervisord restarts what dies and
nothing else, and residents are answered throughout. Real processes: kill -9 of the live
stack's own Rasa and of a gateway worker."""

from __future__ import annotations

import os
import signal
import time

import httpx
import pytest

from bot.platform.stack import Stack
from tests.platform.procfs import spawned_workers

pytestmark = pytest.mark.rasa

EMERGENCY = "there's a man outside my door with a knife right now"
REPORT = "I want to report anti-social behaviour"
OUTAGE = "part of our system isn't answering"


def pids(stack: Stack) -> dict[str, int]:
    return {spec.name: stack.pid(spec.name) for spec in stack.specs}


def timed_chat(http: httpx.Client, text: str) -> tuple[float, str]:
    started = time.monotonic()
    response = http.post("/api/chat", json={"conversation_id": None, "text": text})
    assert response.status_code == 200, response.text
    return time.monotonic() - started, " ".join(m["text"] for m in response.json()["messages"])


def test_rasa_killed_is_restarted_alone_and_residents_are_answered_meanwhile(
    live_stack: Stack,
) -> None:
    before = pids(live_stack)
    old = live_stack.kill("rasa")
    slowest = 0.0
    scripted = 0
    down_since = None
    with httpx.Client(base_url=live_stack.gateway_url, timeout=30) as http:
        deadline = time.monotonic() + 90
        while True:  # until the restarted Rasa has loaded its model and answers again
            seconds, said = timed_chat(http, EMERGENCY)
            assert "call 999" in said.lower()
            slowest = max(slowest, seconds)
            seconds, said = timed_chat(http, REPORT)
            slowest = max(slowest, seconds)
            if OUTAGE not in said:
                break
            scripted += 1
            health = http.get("/healthz").json()  # Rasa may have come back since
            if health["components"]["rasa"] == "down":
                down_since = down_since or health["down_since"]["rasa"]
            assert time.monotonic() < deadline, "Rasa never came back"
            time.sleep(0.5)
        assert http.get("/healthz").json()["components"]["rasa"] == "up"
    back = live_stack.wait_back("rasa", old, timeout=60)
    after = pids(live_stack)
    assert {name for name in before if after[name] != before[name]} == {"rasa"}
    assert scripted > 0, "Rasa was never seen down: the test proved nothing"
    assert down_since is not None, "/healthz did not say since when Rasa was down"
    assert slowest <= 2.0, f"a resident waited {slowest:.1f}s while Rasa was down"
    print(f"\nRasa back answering; {scripted} reports taken by script, slowest answer "
          f"{slowest:.2f}s, wait_back {back:.0f}s")  # fmt: skip


def test_a_killed_gateway_worker_is_replaced_by_its_master(live_stack: Stack) -> None:
    before = pids(live_stack)
    workers = spawned_workers(before["gateway"])
    assert len(workers) >= 2, "the gateway runs one worker: a crash would stop it"
    os.kill(workers[0], signal.SIGKILL)
    with httpx.Client(base_url=live_stack.gateway_url, timeout=30) as http:
        deadline = time.monotonic() + 60
        while len(set(spawned_workers(before["gateway"])) - {workers[0]}) < len(workers):
            # The other worker serves meanwhile.
            assert "call 999" in timed_chat(http, EMERGENCY)[1].lower()
            assert time.monotonic() < deadline, "the master did not replace its worker"
            time.sleep(0.2)
    assert pids(live_stack) == before  # the master and everything else ran on
