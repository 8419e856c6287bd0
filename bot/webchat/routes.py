"""GET /chat and POST /api/chat (CONTRACT section 3).

The body is parsed by hand so every kind of bad input gets its own plain message and
nothing is stored for a request that is refused.
"""

from __future__ import annotations

import asyncio
import json
from functools import cache
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field, ValidationError

from bot.conversation.resends import MessageInProgress
from bot.conversation.turn import Conversations, SenderTooFast, UnknownConversation
from bot.gateway.deps import get_conversations, get_rate_limits
from bot.gateway.rate_limits import RateLimits

MAX_TEXT_CHARS = 2000
_MAX_BODY_BYTES = 16 * 1024
_PAGE = Path(__file__).parent / "static" / "chat.html"

router = APIRouter()


class ChatRequest(BaseModel):
    conversation_id: str | None = None
    text: str
    # The page's own id for the message, the same when it sends the message again: the
    # resend gets the first copy's answer and is not taken twice (bot/conversation/resends.py).
    message_id: str | None = Field(
        default=None, min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$"
    )


class ChatInputError(ValueError):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@cache
def _page_html() -> str:
    return _PAGE.read_text(encoding="utf-8")


@router.get("/chat", response_class=HTMLResponse)
async def chat_page() -> HTMLResponse:
    return HTMLResponse(_page_html(), headers={"Cache-Control": "no-store"})


# The body is parsed by hand (above), so it is described here for the OpenAPI document
# that clients and the fuzz test (tests/test_fuzz.py) read.
_CHAT_OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": ChatRequest.model_json_schema()}},
    }
}
_CHAT_RESPONSES: dict[int | str, dict[str, str]] = {
    400: {"description": "The body is not UTF-8 JSON"},
    404: {"description": "The conversation has ended or was never started"},
    413: {"description": "The request is too large"},
    409: {"description": "The same message is still being answered; send it again shortly"},
    422: {"description": "No text, text too long, bad message_id, or not the expected object"},
    429: {"description": "Too many messages; try again in a minute"},
    503: {"description": "Redis is briefly unavailable; try again or call"},
}


@router.post("/api/chat", openapi_extra=_CHAT_OPENAPI, responses=_CHAT_RESPONSES)
async def chat_turn(
    request: Request,
    conversations: Annotated[Conversations, Depends(get_conversations)],
    limits: Annotated[RateLimits, Depends(get_rate_limits)],
) -> JSONResponse:
    source = request.client.host if request.client else "unknown"
    refusal: JSONResponse | None = None
    try:
        chat = _parse(await request.body())
    except ChatInputError as error:
        refusal = JSONResponse({"detail": error.message}, status_code=error.status)
    if refusal is not None or chat.conversation_id is None:
        # Only the source address to check (a flood of bad requests is refused as too fast).
        if not await limits.allow_source(source):
            return _too_fast()
        if refusal is not None:
            return refusal
        conversation_id, key = await conversations.start_web_chat(
            chat.message_id, chat.text.strip()
        )
        admit = None
    else:
        conversation_id = chat.conversation_id
        key = conversations.web_chat_key(conversation_id)
        admit = _within_limits(limits, source, key)
    try:
        # An existing conversation's id and rate limits are checked in the turn's first
        # round trip: each Redis reply waits for the disk (fsync).
        result = await conversations.turn(
            key,
            "chat",
            chat.text.strip(),
            known=admit is not None,
            admit=admit,
            message_id=chat.message_id,
        )
    except SenderTooFast:
        return _too_fast()
    except MessageInProgress:
        return JSONResponse(
            {
                "detail": "We are still answering that message. Please wait a few seconds, "
                "then send it again. In an emergency call 999."
            },
            status_code=409,
            headers={"Retry-After": "5"},
        )
    except UnknownConversation:
        return JSONResponse(
            {"detail": "This conversation has ended or was not found. Please start a new one."},
            status_code=404,
        )
    headers = {"Cache-Control": "no-store"}
    if not result.repeated:  # a resend's answer waited for no engine
        headers["Server-Timing"] = result.server_timing()
    return JSONResponse(
        {
            "conversation_id": conversation_id,
            "messages": [message.as_json() for message in result.messages],
        },
        headers=headers,
    )


async def _within_limits(limits: RateLimits, source: str, key: str) -> bool:
    source_ok, sender_ok = await asyncio.gather(
        limits.allow_source(source), limits.allow_sender(key)
    )
    return source_ok and sender_ok


def _too_fast() -> JSONResponse:
    return JSONResponse(
        {
            "detail": "You're sending messages very quickly. Please wait a minute and try "
            "again. In an emergency call 999."
        },
        status_code=429,
        headers={"Retry-After": "60"},
    )


def _parse(body: bytes) -> ChatRequest:
    if len(body) > _MAX_BODY_BYTES:
        raise ChatInputError(413, "That request is too large.")
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ChatInputError(400, "The message could not be read: it must be UTF-8 text.") from None
    try:
        raw = json.loads(decoded)
    except json.JSONDecodeError:
        raise ChatInputError(
            400, 'The request must be JSON: {"conversation_id", "text"}.'
        ) from None
    try:
        chat = ChatRequest.model_validate(raw)
    except ValidationError as error:
        if any(e["loc"][:1] == ("message_id",) for e in error.errors()):
            raise ChatInputError(
                422, '"message_id" must be 16 to 64 letters, digits, "-" or "_".'
            ) from None
        raise ChatInputError(
            422,
            'Send a JSON object with "text" (a string) and "conversation_id" (a string or null).',
        ) from None
    if not chat.text.strip():
        raise ChatInputError(422, "Please type a message before sending.")
    if len(chat.text) > MAX_TEXT_CHARS:
        raise ChatInputError(
            422, f"Messages can be at most {MAX_TEXT_CHARS:,} characters. Please send it in parts."
        )
    if chat.conversation_id is not None and not 16 <= len(chat.conversation_id) <= 64:
        raise ChatInputError(
            404, "This conversation has ended or was not found. Please start a new one."
        )
    return chat
