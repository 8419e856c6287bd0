"""What the bot says and where: a message with its choices, the shape every channel renders
(web chat buttons, SMS numbered options, voice keypad), and the channels a resident uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Channel = Literal["chat", "sms", "voice"]


@dataclass(frozen=True)
class Choice:
    title: str
    payload: str


@dataclass(frozen=True)
class BotMessage:
    text: str
    choices: list[Choice] = field(default_factory=list)
    urgent: bool = False

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"text": self.text}
        if self.choices:
            body["buttons"] = [{"title": c.title, "payload": c.payload} for c in self.choices]
        if self.urgent:
            body["urgent"] = True
        return body

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> BotMessage:
        """The message `as_json` wrote."""
        return cls(
            text=body["text"],
            choices=[Choice(b["title"], b["payload"]) for b in body.get("buttons", [])],
            urgent=bool(body.get("urgent")),
        )
