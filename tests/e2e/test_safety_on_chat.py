"""Safety triage wired into the gateway: an emergency is told to call 999 and a P1 event
is queued for the police before the dialogue engine is asked, even when it is down; a hate
incident is flagged and the resident told; the CLI gives the gateway's verdicts."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import redis

from bot.platform.stack import Stack
from tests.e2e.chat_driver import conversation_key
from tests.records import plain

pytestmark = pytest.mark.rasa

EMERGENCY = "theres lads outside wiv a blade rn they r trying to get in"


def post(url: str, text: str, conversation_id: str | None = None) -> dict:  # type: ignore[type-arg]
    response = httpx.post(
        f"{url}/api/chat", json={"conversation_id": conversation_id, "text": text}, timeout=30
    )
    assert response.status_code == 200, response.text
    body: dict = response.json()  # type: ignore[type-arg]
    return body


def wait_handled(live_redis: redis.Redis, emergency_id: str, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if live_redis.zscore("asb:emergencies:handled", emergency_id) is not None:
            return True
        time.sleep(0.1)
    return False


def open_emergency(live_redis: redis.Redis, key: str) -> dict:  # type: ignore[type-arg]
    emergency_id = live_redis.get(f"asb:conv:{key}:emergency")
    assert emergency_id, "no emergency was raised"
    record = plain(live_redis.get(f"asb:emergency:{emergency_id.decode()}"))
    assert record
    loaded: dict = json.loads(record)  # type: ignore[type-arg]
    return loaded


def test_emergency_gets_999_first_and_a_p1_event_for_the_police(
    live_stack: Stack, live_gateway_url: str, live_redis: redis.Redis
) -> None:
    body = post(live_gateway_url, EMERGENCY)
    first = body["messages"][0]
    assert first.get("urgent") is True
    assert "call 999 now" in first["text"] and "press 55" in first["text"]
    assert "18000" in first["text"] and "emergencySMS" in first["text"]
    key = conversation_key(live_stack, body["conversation_id"])
    emergency = open_emergency(live_redis, key)
    assert emergency["priority"] == "P1" and emergency["channel"] == "chat"
    assert emergency["text"] == EMERGENCY and emergency["cues"]
    assert wait_handled(live_redis, emergency["id"]), "the P1 worker never took the event"
    # The conversation carries on; a location given next reaches the police as an update.
    post(live_gateway_url, "its outside 12 high st cv1 5fb", body["conversation_id"])
    updated = open_emergency(live_redis, key)
    assert updated["location"] == "CV1 5FB" and updated["revision"] == 1
    # The update is its own P1 job: queued, or already run (arq keeps its result).
    job = f"case.emergency:{emergency['id']}:1"
    assert live_redis.exists(f"arq:job:{job}") or live_redis.exists(f"arq:result:{job}")


def test_emergency_is_answered_and_queued_with_rasa_down(
    live_stack: Stack, gateway_without_rasa: str, live_redis: redis.Redis
) -> None:
    body = post(gateway_without_rasa, "HELP THEY R KICKING MY DOOR IN")
    texts = [m["text"] for m in body["messages"]]
    assert body["messages"][0].get("urgent") is True and "call 999 now" in texts[0]
    assert "Sorry" in texts[-1]  # the apology for the missing dialogue engine comes after
    key = conversation_key(live_stack, body["conversation_id"])
    emergency = open_emergency(live_redis, key)
    assert wait_handled(live_redis, emergency["id"])


def test_an_ordinary_report_raises_no_emergency(
    live_stack: Stack, live_gateway_url: str, live_redis: redis.Redis
) -> None:
    body = post(live_gateway_url, "they smashed my window last week and the noise is killing me")
    assert not any(m.get("urgent") for m in body["messages"])
    key = conversation_key(live_stack, body["conversation_id"])
    assert live_redis.get(f"asb:conv:{key}:emergency") is None


def test_hate_is_flagged_and_the_resident_told(
    live_stack: Stack, live_gateway_url: str, live_redis: redis.Redis
) -> None:
    body = post(live_gateway_url, "my neighbour keeps shouting go back to your own country at me")
    said = " ".join(m["text"] for m in body["messages"])
    assert "hate incident" in said and "police" in said
    key = conversation_key(live_stack, body["conversation_id"])
    flags = json.loads(plain(live_redis.get(f"asb:conv:{key}:flags")) or b"{}")
    assert flags["hate_crime"] is True and "race" in flags["hate_strands"]
    assert any(e["flag"] == "hate_crime" for e in flags["evidence"])
    # Told once per report, and the model cannot take the flag away.
    again = post(live_gateway_url, "no", body["conversation_id"])
    assert not any("hate incident" in m["text"] for m in again["messages"])
    flags = json.loads(plain(live_redis.get(f"asb:conv:{key}:flags")) or b"{}")
    assert flags["hate_crime"] is True


def test_cli_and_gateway_give_the_same_verdicts(
    live_stack: Stack, live_gateway_url: str, live_redis: redis.Redis
) -> None:
    corpus = Path(__file__).parents[2] / "data" / "safety" / "corpus" / "everyday_asb.jsonl"
    lines_in = [json.loads(line) for line in corpus.read_text().splitlines()]
    samples = [s for s in lines_in if not s.get("context")][::37][:15]
    lines = "".join(
        json.dumps({"id": str(i), "text": s["text"], "channel": "chat"}) + "\n"
        for i, s in enumerate(samples)
    )
    cli = subprocess.run(
        [sys.executable, "-m", "bot.cli", "triage"], input=lines, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    for sample, line in zip(samples, cli.stdout.splitlines(), strict=True):
        from_cli = json.loads(line)
        body = post(live_gateway_url, sample["text"])
        key = conversation_key(live_stack, body["conversation_id"])
        flags = json.loads(plain(live_redis.get(f"asb:conv:{key}:flags")) or b"{}")
        for field in ("emergency", "hate_crime", "hate_strands", "category", "subtype"):
            assert flags[field] == from_cli[field], (sample["text"], field)
