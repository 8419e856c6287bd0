"""FastAPI dependencies and the TwiML response shared by the Twilio routes."""

from __future__ import annotations

from fastapi import Request, Response

from bot.gateway_deps import get_services
from telephony.runtime import Telephony


def get_telephony(request: Request) -> Telephony:
    telephony: Telephony = get_services(request).telephony
    return telephony


def twiml_response(xml: str) -> Response:
    return Response(xml, media_type="text/xml", headers={"Cache-Control": "no-store"})
