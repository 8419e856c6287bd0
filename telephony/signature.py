"""Every Twilio webhook is checked before anything else happens.

`X-Twilio-Signature` is an HMAC of the URL Twilio called (PUBLIC_BASE_URL + path + query,
as seen from outside any proxy) and the sorted form parameters, keyed with the auth token.
A bad or missing signature gets 403 and the route never runs.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import Depends, HTTPException, Request
from starlette.datastructures import MultiDict
from twilio.request_validator import RequestValidator, get_signature_algorithm

from bot.conversation.services import Services
from bot.gateway.deps import get_services

MAX_BODY_BYTES = 64 * 1024


def public_url(base_url: str, request: Request) -> str:
    """The URL as Twilio requested it: the public origin, this path, this query string."""
    url = base_url.rstrip("/") + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    return url


async def verified_params(
    request: Request, services: Annotated[Services, Depends(get_services)]
) -> MultiDict:
    """The form parameters of a request that Twilio really sent; 403 otherwise."""
    token = services.settings.twilio_auth_token
    signature = request.headers.get("X-Twilio-Signature")
    body = await request.body()
    if not token or not signature or len(body) > MAX_BODY_BYTES:
        raise HTTPException(status_code=403, detail="Forbidden")
    try:
        params = MultiDict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError:
        raise HTTPException(status_code=403, detail="Forbidden") from None
    algorithm = get_signature_algorithm(request.headers.get("X-Twilio-Webhooks-Signature-Settings"))
    url = public_url(services.settings.public_base_url, request)
    if not RequestValidator(token).validate(url, params, signature, algorithm):
        raise HTTPException(status_code=403, detail="Forbidden")
    return params


TwilioParams = Annotated[MultiDict, Depends(verified_params)]
