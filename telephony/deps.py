"""FastAPI dependencies and the TwiML response shared by the Twilio routes."""

from __future__ import annotations

from fastapi import Request, Response

from telephony.runtime import Telephony


async def get_telephony(request: Request) -> Telephony:
    telephony: Telephony = request.app.state.telephony
    return telephony


def twiml_response(xml: str) -> Response:
    return Response(xml, media_type="text/xml", headers={"Cache-Control": "no-store"})
