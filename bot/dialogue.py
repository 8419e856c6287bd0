"""The dialogue engine behind every channel: Rasa's REST channel, over HTTP.

Nothing here imports Rasa; the boundary is one POST per message, so the engine can be
replaced. The channel and the safety verdict travel in the message metadata.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx


class DialogueUnavailable(RuntimeError):
    """The engine did not answer in time or answered with an error."""


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


class RasaClient:
    def __init__(self, base_url: str, http: httpx.AsyncClient, timeout_seconds: float):
        self._url = base_url.rstrip("/") + "/webhooks/rest/webhook"
        self._status_url = base_url.rstrip("/") + "/"
        self._http = http
        self._timeout = timeout_seconds

    async def send(
        self, sender: str, text: str, channel: str, metadata: dict[str, Any] | None = None
    ) -> list[BotMessage]:
        payload: dict[str, Any] = {"sender": sender, "message": text, "input_channel": channel}
        if metadata:
            payload["metadata"] = metadata
        try:
            response = await self._http.post(self._url, json=payload, timeout=self._timeout)
        except httpx.HTTPError as exc:
            raise DialogueUnavailable(type(exc).__name__) from exc
        if response.status_code != 200:
            raise DialogueUnavailable(f"HTTP {response.status_code}")
        return [_to_message(item) for item in response.json() if item.get("text")]

    async def is_up(self) -> bool:
        try:
            response = await self._http.get(self._status_url, timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200


def _to_message(item: dict[str, Any]) -> BotMessage:
    buttons = item.get("buttons") or []
    return BotMessage(
        text=item["text"],
        choices=[Choice(title=b["title"], payload=b.get("payload") or b["title"]) for b in buttons],
    )
