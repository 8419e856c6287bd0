"""POST /twilio/status: Twilio's status callbacks for messages and calls; 204."""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, Response

from telephony.deps import get_telephony
from telephony.runtime import Telephony
from telephony.signature import TwilioParams

log = structlog.get_logger("asb.status")
router = APIRouter()


@router.post("/twilio/status", status_code=204)
async def status_callback(
    params: TwilioParams, telephony: Annotated[Telephony, Depends(get_telephony)]
) -> Response:
    delivery = telephony.sms.delivery
    message_sid = params.get("MessageSid") or params.get("SmsSid")
    message_status = params.get("MessageStatus") or params.get("SmsStatus")
    if message_sid and message_status:
        error = params.get("ErrorCode") or None
        await delivery.message_status(message_sid, message_status.lower(), error)
        if error == "21610":
            to = params.get("To")
            if to:
                await telephony.sms.opt_outs.opt_out(telephony.sms.contact_key(to))
        log.info("sms.status", sid=message_sid, status=message_status, error=error)
    elif params.get("CallSid") and params.get("CallStatus"):
        await delivery.call_status(
            params["CallSid"], params["CallStatus"].lower(), params.get("CallDuration")
        )
    return Response(status_code=204)
