"""Actions are run as the Rasa server runs them: a tracker (from JSON fixtures), the
domain from domain.yml, and a CollectingDispatcher that records what would be said."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker

from bot.settings import PROJECT_ROOT

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    return loaded


def load_tracker(name: str, **changes: Any) -> Tracker:
    """A fixture tracker; `slots`, `text` and `intent` override what the fixture holds, and
    `extracted` names slots that Rasa filled from the latest message (these get validated)."""
    state = copy.deepcopy(json.loads((FIXTURES / f"{name}.json").read_text()))
    state["slots"].update(changes.get("slots", {}))
    for slot in changes.get("extracted", ()):
        state["events"].append({"event": "slot", "name": slot, "value": state["slots"][slot]})
    if "text" in changes:
        state["latest_message"]["text"] = changes["text"]
    if "intent" in changes:
        state["latest_message"]["intent"] = {"name": changes["intent"], "confidence": 0.9}
    return Tracker.from_dict(state)
