"""Actions are run as the Rasa server runs them: a tracker (from JSON fixtures), the
domain from domain.yml, and a CollectingDispatcher that records what would be said."""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker

import actions.services
from actions.risk_question import TOGETHER
from bot.platform.settings import PROJECT_ROOT, get_settings

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    return loaded


def load_tracker(name: str, **changes: Any) -> Tracker:
    """A fixture tracker; `slots`, `text` and `intent` override what the fixture holds, and
    `extracted` names slots that Rasa filled from the latest message (these get validated);
    `metadata` is what the gateway sent with it."""
    state = copy.deepcopy(json.loads((FIXTURES / f"{name}.json").read_text()))
    state["slots"].update(changes.get("slots", {}))
    # Slots given were set before the latest message, as Rasa's events would show.
    latest = max(i for i, e in enumerate(state["events"]) if e["event"] == "user")
    earlier = [
        {"event": "slot", "name": name, "value": value}
        for name, value in changes.get("slots", {}).items()
        if name not in changes.get("extracted", ()) and value is not None
    ]
    state["events"][latest:latest] = earlier
    for slot in changes.get("extracted", ()):
        state["events"].append({"event": "slot", "name": slot, "value": state["slots"][slot]})
    if "text" in changes:
        state["latest_message"]["text"] = changes["text"]
    if "metadata" in changes:
        state["latest_message"]["metadata"] = changes["metadata"]
    if "intent" in changes:
        state["latest_message"]["intent"] = {"name": changes["intent"], "confidence": 0.9}
    return Tracker.from_dict(state)


@pytest.fixture
async def action_services(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> AsyncIterator[str]:
    """The action server's services, opened on the Valkey fixture the test names."""
    url: str = request.getfixturevalue(request.param)
    monkeypatch.setenv("REDIS_URL", url)
    monkeypatch.setenv("ASB_PSEUDONYM_KEY", "test-secret")
    get_settings.cache_clear()
    actions.services._opened = None
    yield url
    if actions.services._opened is not None:
        await actions.services._opened.aclose()
        actions.services._opened = None
    get_settings.cache_clear()


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def asked_both(domain: dict[str, Any], text: str, question: str = TOGETHER, **slots: Any) -> Any:
    """A tracker whose latest message answers the risk questions asked together."""
    tracker = load_tracker(
        "report_form_in_progress",
        slots={"targeted_identity": text, "requested_slot": "targeted_identity", **slots},
        text=text,
        extracted=["targeted_identity"],
    )
    latest = max(i for i, e in enumerate(tracker.events) if e["event"] == "user")
    [together] = domain["responses"][question]
    tracker.events.insert(latest, {"event": "bot", "text": together["text"]})
    return tracker
