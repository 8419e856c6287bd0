"""What the gateway says when Redis is briefly unavailable.

Without Redis nothing can be kept, so the honest answer is a quick "try again or call",
given well inside Twilio's 15-second limit, rather than a request that hangs or a 500.
Nothing is half-written: a case is one Redis transaction, so it is either stored or not.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.partnerships import Partnership

# The errors of a store that is away (refused, reset, timed out), not of a bad command.
STORE_DOWN = (RedisConnectionError, RedisTimeoutError)


def try_again_text(partnership: Partnership | None) -> str:
    line = partnership.main_line() if partnership is not None else None
    call = f", or call {line.label} on {line.phone}" if line is not None else ""
    return (
        "Sorry, we can't take your report right now because of a problem on our side. "
        f"Please try again in a few minutes{call}. In an emergency call 999."
    )


def partnership_of(request: Request) -> Partnership | None:
    services = getattr(request.app.state, "services", None)
    return getattr(services, "partnership", None)


def web_chat_unavailable(request: Request) -> JSONResponse:
    return JSONResponse(
        {"detail": try_again_text(partnership_of(request))},
        status_code=503,
        headers={"Retry-After": "60", "Cache-Control": "no-store"},
    )
