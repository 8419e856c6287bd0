"""Rasa's Redis tracker store, keeping only the conversation's current dialogue session.

Rasa 3.6's `RedisTrackerStore` keeps every session a conversation ever had in one JSON
value, reads all of it on every turn and, on save, reads it again to merge the old
sessions back in, so a turn's cost grows with the whole conversation (a web chat's 100th
turn took ~15x as long as its first). Nothing needs old sessions: Rasa's state machine
discards what came before a `SessionStarted`, and a submitted report lives in its case.

So this store writes only the current session, and once a turn has run one of the
actions named in `new_session_after` (endpoints.yml: submitting or abandoning a report)
it stores the conversation as a fresh session carrying the slots over, as Rasa's own
session start does after a day's silence. A turn's cost is then bounded by the length of
one report, however long the conversation goes on.

A tracker holds everything the resident typed, so it is stored encrypted with the
service's personal-data keys (Fernet, ASB_ENCRYPTION_KEYS newest first, or the key file
`asb-intake run` generates under ASB_DATA_DIR); a tracker written in the clear before is
still read. Event classes are looked up once rather than per event (Rasa walks every
`Event` subclass for each event it reads back, a third of a long tracker's read time),
and Redis is awaited, not called blocking (rasa_plugins/async_redis.py).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.conversation import Dialogue
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses

from rasa_plugins import action_response_check, log_redaction
from rasa_plugins.async_redis import async_twin

SESSION_START = "action_session_start"
LISTEN = "action_listen"
# Slots a new session starts without (as actions/session_start.py).
NOT_CARRIED = {"session_started_metadata", "requested_slot"}

KEYS_FILE = "encryption.keys"  # as bot/privacy/crypto.py
_TOKEN_PREFIX = b"gAAAAA"  # every Fernet token's first bytes

_EVENT_CLASSES: dict[str, type[Event]] = {}


def personal_data_cipher() -> MultiFernet:
    """The service's encryption keys, newest first, from the environment or the key file."""
    text = os.environ.get("ASB_ENCRYPTION_KEYS", "")
    if not text.strip():
        key_file = Path(os.environ.get("ASB_DATA_DIR", "var")) / KEYS_FILE
        if not key_file.exists():
            raise RuntimeError(
                "ASB_ENCRYPTION_KEYS is not set and no key exists under ASB_DATA_DIR: Rasa's "
                "trackers are stored encrypted (start with `make run` or set the keys)."
            )
        text = key_file.read_text()
    return MultiFernet([Fernet(k.strip().encode()) for k in text.split(",") if k.strip()])


def _event_class(type_name: str) -> type[Event] | None:
    if not _EVENT_CLASSES:
        _EVENT_CLASSES.update((cls.type_name, cls) for cls in all_subclasses(Event))
    return _EVENT_CLASSES.get(type_name)


def read_events(dumped: list[dict[str, Any]]) -> list[Event]:
    events = []
    for parameters in dumped:
        cls = _event_class(parameters.get("event", ""))
        event = cls._from_parameters(parameters) if cls else None
        if event is not None:
            events.append(event)
    return events


def current_session(events: list[Event]) -> list[Event]:
    """The events from the latest session start (its `action_session_start` included)."""
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], SessionStarted):
            before = events[index - 1] if index else None
            if isinstance(before, ActionExecuted) and before.action_name == SESSION_START:
                index -= 1
            return events[index:]
    return events


def last_turn_ran(events: list[Event], actions: set[str]) -> bool:
    """Whether the turn just finished (since the last user message) ran one of `actions`
    and ended listening, with no form still active."""
    if not events or not isinstance(events[-1], ActionExecuted):
        return False
    if events[-1].action_name != LISTEN:
        return False
    for event in reversed(events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name in actions:
            return True
    return False


def fresh_session(tracker: DialogueStateTracker) -> list[Event]:
    """What Rasa's session start writes: the start, the carried slots, then listening."""
    carried: list[Event] = [
        SlotSet(name, slot.value)
        for name, slot in tracker.slots.items()
        if slot.value is not None and name not in NOT_CARRIED
    ]
    return [ActionExecuted(SESSION_START), SessionStarted(), *carried, ActionExecuted(LISTEN)]


class SessionTrackerStore(RedisTrackerStore):
    def __init__(
        self, *args: Any, new_session_after: list[str] | None = None, **kwargs: Any
    ) -> None:
        # Rasa builds its tracker store before it serves any message: the earliest point
        # where the project's code runs in Rasa's process to keep residents' words out of
        # its log (Rasa logs a failed turn's text), and to check action server responses
        # without re-checking their schema each time.
        log_redaction.install()
        action_response_check.install()
        super().__init__(*args, **kwargs)
        self.new_session_after = set(new_session_after or [])
        self._redis = async_twin(self.red)  # awaited: a turn's Redis calls block nothing
        self.cipher = personal_data_cipher()

    async def save(
        self,
        tracker: DialogueStateTracker,
        timeout: float | None = None,  # noqa: ASYNC109 - Rasa's signature
    ) -> None:
        await self.stream_events(tracker)  # a no-op unless an event broker is configured
        events = current_session(list(tracker.events))
        if tracker.active_loop_name is None and last_turn_ran(events, self.new_session_after):
            events = fresh_session(tracker)
        serialised = json.dumps(Dialogue(tracker.sender_id, events).as_dict())
        sealed = self.cipher.encrypt(serialised.encode()).decode()
        expiry = timeout or self.record_exp
        await self._redis.set(
            self.key_prefix + tracker.sender_id, sealed, ex=int(expiry) if expiry else None
        )

    async def _retrieve(
        self, sender_id: str, fetch_all_sessions: bool
    ) -> DialogueStateTracker | None:
        stored = await self._redis.get(self.key_prefix + sender_id)
        if stored is None:
            return None
        return self.deserialise_tracker(sender_id, stored)

    def deserialise_tracker(
        self, sender_id: str, serialised_tracker: str | bytes
    ) -> DialogueStateTracker | None:
        tracker = self.init_tracker(sender_id)
        data = serialised_tracker
        raw = data.encode() if isinstance(data, str) else data
        if raw.startswith(_TOKEN_PREFIX):
            raw = self.cipher.decrypt(raw)
        dumped = json.loads(raw)
        tracker.recreate_from_dialogue(Dialogue(dumped["name"], read_events(dumped["events"])))
        return tracker
