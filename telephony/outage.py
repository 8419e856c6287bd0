"""TwiML for when Redis is briefly unavailable: the texter or caller is told at once to
try again or call, instead of Twilio timing out and the person hearing nothing."""

from __future__ import annotations

from fastapi import Response
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from telephony.deps import twiml_response
from telephony.sms_format import gsm_safe
from telephony.voice_flow import LANGUAGE, VOICE


def sms_unavailable(text: str) -> Response:
    reply = MessagingResponse()
    reply.message(gsm_safe(text))
    return twiml_response(str(reply))


def voice_unavailable(text: str) -> Response:
    reply = VoiceResponse()
    reply.say(text, voice=VOICE, language=LANGUAGE)
    reply.hangup()
    return twiml_response(str(reply))
