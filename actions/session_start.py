"""A new dialogue session: answers carry over, the session-start metadata does not.

Rasa keeps the first message's metadata in the `session_started_metadata` slot for the
whole session, and a set slot of that kind makes every later turn measurably slower. The
gateway sends a fresh safety verdict with every message anyway, so it is not kept.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

_NOT_CARRIED = {"session_started_metadata", "requested_slot"}


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        carried = [
            SlotSet(name, value)
            for name, value in tracker.current_slot_values().items()
            if value is not None and name not in _NOT_CARRIED
        ]
        return [SessionStarted(), *carried, ActionExecuted("action_listen")]
