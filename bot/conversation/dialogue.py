"""The dialogue engine behind every channel: Rasa's REST channel, over HTTP.

Nothing here imports Rasa; the boundary is one POST per message, so the engine can be
replaced. The channel and the safety verdict travel in the message metadata.
"""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.platform.messages import BotMessage, Choice


class DialogueUnavailable(RuntimeError):
    """The engine did not answer in time or answered with an error."""


KEEPALIVE_SECONDS = 3.0


class RasaClient:
    """One POST per message to Rasa's REST channel. aiohttp rather than httpx: a turn's
    HTTP call to Rasa cost the gateway about a fifth of its CPU per turn through httpx."""

    def __init__(self, base_url: str, timeout_seconds: float, max_connections: int = 200):
        self._url = base_url.rstrip("/") + "/webhooks/rest/webhook"
        self._status_url = base_url.rstrip("/") + "/"
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None

    def _http(self) -> aiohttp.ClientSession:
        # Made on first use: an aiohttp session belongs to the event loop that runs it.
        if self._session is None:
            # Idle connections are dropped before Rasa's server (Sanic: 5 s) closes them,
            # or a message could go out on a closing connection and fail for nothing.
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(
                    limit=self._max_connections, keepalive_timeout=KEEPALIVE_SECONDS
                )
            )
        return self._session

    async def send(
        self, sender: str, text: str, channel: str, metadata: dict[str, Any] | None = None
    ) -> list[BotMessage]:
        payload: dict[str, Any] = {"sender": sender, "message": text, "input_channel": channel}
        if metadata:
            payload["metadata"] = metadata
        try:
            async with self._http().post(self._url, json=payload, timeout=self._timeout) as reply:
                if reply.status != 200:
                    raise DialogueUnavailable(f"HTTP {reply.status}")
                items = await reply.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise DialogueUnavailable(type(exc).__name__) from exc
        replies = [_to_message(item) for item in items if item.get("text")]
        if not replies:
            # Every turn of this bot says something; Rasa answers nothing when an action
            # failed (the action server is down), and a resident must not get silence.
            raise DialogueUnavailable("no reply (an action failed)")
        return replies

    async def is_up(self, timeout_seconds: float = 2.0) -> bool:
        try:
            async with self._http().get(
                self._status_url, timeout=aiohttp.ClientTimeout(total=timeout_seconds)
            ) as reply:
                return reply.status == 200
        except (aiohttp.ClientError, TimeoutError):
            return False

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


def _to_message(item: dict[str, Any]) -> BotMessage:
    buttons = item.get("buttons") or []
    return BotMessage(
        text=item["text"],
        choices=[Choice(title=b["title"], payload=b.get("payload") or b["title"]) for b in buttons],
    )
