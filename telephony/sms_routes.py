"""POST /twilio/sms (CONTRACT section 3): one text message in, TwiML <Message>s out.

The conversation is keyed by a keyed hash of the sender's number. A retried MessageSid
gets the answer already given; the turn runs once.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, HTTPException, Response
from starlette.datastructures import MultiDict
from twilio.twiml.messaging_response import MessagingResponse

from bot.conversation import idempotency
from bot.conversation.report_answers import means_this_number
from bot.conversation.services import Services
from bot.conversation.turn import TurnResult
from bot.gateway.deps import get_rate_limits, get_services
from bot.gateway.rate_limits import RateLimits
from bot.platform.messages import BotMessage
from bot.privacy.contact import parse_uk_phone
from telephony import opt_out
from telephony.choices import LastAsked, last_asked, remember_choices
from telephony.deps import get_telephony, twiml_response
from telephony.media import keep_media, media_urls
from telephony.runtime import Telephony
from telephony.signature import TwilioParams
from telephony.sms_format import gsm_safe, reply_text, resolve_reply, sms_bodies

log = structlog.get_logger("asb.sms")
router = APIRouter()

MAX_BODY_CHARS = 1600  # Twilio's own limit for one inbound message
RETRY_WAIT_SECONDS = 12.0  # a retry waits this long for the first request's answer


@router.post("/twilio/sms")
async def inbound_sms(
    params: TwilioParams,
    services: Annotated[Services, Depends(get_services)],
    telephony: Annotated[Telephony, Depends(get_telephony)],
    limits: Annotated[RateLimits, Depends(get_rate_limits)],
) -> Response:
    sid = params.get("MessageSid") or params.get("SmsSid") or ""
    sender = params.get("From") or ""
    if not sid or not sender:
        raise HTTPException(status_code=400, detail="MessageSid and From are required")
    redis, keys = services.redis, services.keys
    key = telephony.sms.contact_key(sender)
    answer_key = keys.twilio_inbound(sid)
    # The checks and what a reply depends on, in one round trip: each Redis reply waits
    # for the disk (fsync).
    allowed, claimed, opted_out, asked = await asyncio.gather(
        limits.allow_sender(key),
        idempotency.claim(redis, answer_key),
        telephony.sms.opt_outs.is_opted_out(key),
        last_asked(redis, keys, key),
    )
    if not claimed:
        kept = await idempotency.wait_for_answer(
            redis, answer_key, RETRY_WAIT_SECONDS, telephony.cipher
        )
        # No answer: still running elsewhere, or its gateway died and the claim lapsed,
        # when this retry takes the message over.
        claimed = kept is None and await idempotency.claim(redis, answer_key)
        log.info("sms.retry", sid=sid, answered=kept is not None, taken_over=claimed)
        if not claimed:
            return twiml_response(kept if kept is not None else str(MessagingResponse()))
    if not allowed:
        # A flood from one number gets no replies (each would cost a text), only a log line.
        log.warning("sms.rate_limited")
        await idempotency.release(redis, answer_key)
        return twiml_response(str(MessagingResponse()))
    try:
        async with idempotency.holding(redis, answer_key):
            xml, turn = await _answer(params, services, telephony, key, opted_out, asked)
    except BaseException:
        await idempotency.release(redis, answer_key)
        raise
    # The answer kept for Twilio's retries, and the choices the reply offered, at once.
    writes = [idempotency.store_answer(redis, answer_key, xml, telephony.cipher)]
    if turn is not None:
        writes.append(remember_choices(redis, keys, key, turn.messages, telephony.conversation_ttl))
    await asyncio.gather(*writes)
    return twiml_response(xml, turn.server_timing() if turn is not None else None)


async def _answer(
    params: MultiDict,
    services: Services,
    telephony: Telephony,
    key: str,
    opted_out: bool,
    asked: LastAsked,
) -> tuple[str, TurnResult | None]:
    """The TwiML reply, and the conversation turn it came from (None: no turn ran)."""
    redis, keys, ttl = services.redis, services.keys, telephony.conversation_ttl
    body = (params.get("Body") or "")[:MAX_BODY_CHARS]
    media = media_urls(params)
    await keep_media(redis, keys, key, media, ttl, telephony.cipher)
    opt_outs = telephony.sms.opt_outs
    word = opt_out.keyword(body)
    if word == "stop":
        await opt_outs.opt_out(key)
        log.info("sms.opted_out", contact_key=key)
        turn = await _turn(services, key, body, ttl, params["From"])  # ends a report too
        return str(MessagingResponse()), turn
    if word == "start" and opted_out:
        await opt_outs.opt_in(key)
        log.info("sms.opted_in", contact_key=key)
        return _twiml([opt_out.opted_in_text(services.partnership)]), None
    if word == "help":
        if opted_out:
            return _twiml([]), None
        # The carrier's HELP answer, then the question the report was waiting on.
        question = asked.question
        again = [reply_text(BotMessage(question, choices=asked.choices))] if question else []
        return _twiml([opt_out.help_text(services.partnership), *again]), None
    if not body.strip():
        if media and not opted_out:
            return _twiml(["Thank you, I've kept that with your report."]), None
        return str(MessagingResponse()), None
    text = resolve_reply(body, asked.choices)
    if means_this_number(text) and (number := parse_uk_phone(params["From"])):
        # Offered when the form asks for a phone number: the number the text came from.
        text = number
    turn = await _turn(services, key, text, ttl, params["From"])
    # An opted-out number still reaches triage and the conversation (an emergency still
    # raises the police event), but is sent nothing until it texts START.
    return (str(MessagingResponse()) if opted_out else _twiml(sms_bodies(turn.messages))), turn


async def _turn(services: Services, key: str, text: str, ttl: int, sender: str) -> TurnResult:
    _, result = await asyncio.gather(
        services.redis.set(services.keys.conversation(key), "sms", ex=ttl),
        services.conversations.turn(key, "sms", text, contact=sender),
    )
    return result


def _twiml(bodies: list[str]) -> str:
    response = MessagingResponse()
    for body in bodies:
        response.message(gsm_safe(body))
    return str(response)
