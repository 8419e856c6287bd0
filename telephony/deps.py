"""FastAPI dependencies and the TwiML response shared by the Twilio routes."""

from __future__ import annotations

from fastapi import Request, Response

from telephony.runtime import Telephony


async def get_telephony(request: Request) -> Telephony:
    telephony: Telephony = request.app.state.telephony
    return telephony


def twiml_response(xml: str, server_timing: str | None = None) -> Response:
    headers = {"Cache-Control": "no-store"}
    if server_timing is not None:
        headers["Server-Timing"] = server_timing
    return Response(xml, media_type="text/xml", headers=headers)
