"""POST /twilio/voice and the URLs its TwiML names (CONTRACT section 3).

The routes are thin: they read what Twilio sent, decide the next step, and hand the words
to `voice_flow`. Conversation turns run through `voice_turns`, the same triage and Rasa
conversation as the other channels.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, HTTPException, Response
from starlette.datastructures import MultiDict

from bot.conversation.report_answers import parse_yes_no
from bot.conversation.services import Services
from bot.gateway.deps import get_services
from bot.privacy.contact import is_mobile, parse_uk_phone, pseudonymous_key
from bot.privacy.crypto import seal
from bot.safety.triage import triage
from telephony import survey_routes, voice_flow
from telephony.call_state import Calls
from telephony.deps import get_telephony, twiml_response
from telephony.runtime import Telephony
from telephony.signature import TwilioParams
from telephony.sms_format import resolve_reply
from telephony.voice_turns import TurnOutcome

log = structlog.get_logger("asb.voice")
router = APIRouter()

HOLD_AFTER_SECONDS = 3.0  # a turn slower than this gets a holding phrase and a redirect
PICK_UP_SECONDS = 4.0  # each pick-up request waits at most this long
MAX_PICK_UPS = 3
# Below this recogniser confidence an answer is read back for a yes or no first.
LOW_CONFIDENCE = 0.5
MAX_CHECKS = 2

MENU_TEXT = {
    "1": "I want to report anti-social behaviour",
    "2": "I want to report a hate incident",
    "3": "What is happening with my report?",
}
# A spoken menu choice is a few words ("report", "speak to someone", "hate incident").
MENU_CHOICE_WORDS = 4
_MENU_SPEECH = [
    ("4", re.compile(r"\b(person|someone|somebody|human|operator|advisor|adviser)\b")),
    ("2", re.compile(r"\bhate\b")),
    ("3", re.compile(r"\b(existing|already|my report|reference|update|progress|check)\b")),
    ("1", re.compile(r"\b(report|anti ?social|asb|complain|complaint)\b")),
]
_WANTS_PERSON = re.compile(
    r"\b(speak|talk) to (a |an )?(person|someone|somebody|human|advisor|adviser|operator)\b"
)

Services_ = Annotated[Services, Depends(get_services)]
Telephony_ = Annotated[Telephony, Depends(get_telephony)]


def _calls(services: Services) -> Calls:
    return Calls(services.redis, services.keys, services.cipher)


def _heard(params: MultiDict) -> tuple[str, str]:
    """(digits, speech) of a Gather result; both empty when nothing was heard."""
    digits = (params.get("Digits") or "").strip()
    speech = (params.get("SpeechResult") or "").strip()
    return digits, speech


def _caller_mobile(params: MultiDict) -> str | None:
    """The caller's number when it is a UK or international mobile that can get a text."""
    number = parse_uk_phone(params.get("From") or "")
    return number if number and is_mobile(number) else None


def _call_sid(params: MultiDict) -> str:
    sid = params.get("CallSid") or ""
    if not re.fullmatch(r"CA[0-9a-fA-F]{32}|[A-Za-z0-9]{10,64}", sid):
        raise HTTPException(status_code=400, detail="CallSid missing")
    return sid


@router.post("/twilio/voice")
async def incoming_call(
    params: TwilioParams, services: Services_, telephony: Telephony_
) -> Response:
    call_sid = _call_sid(params)
    caller = params.get("From") or "unknown"
    key = pseudonymous_key(telephony.secret, "voice", f"{caller}|{call_sid}")
    number = parse_uk_phone(caller)
    caller_key = pseudonymous_key(telephony.secret, "phone", number) if number else None
    await _calls(services).begin(call_sid, key, caller_key, telephony.conversation_ttl)
    await services.redis.set(
        services.keys.conversation(key), "voice", ex=telephony.conversation_ttl
    )
    log.info("voice.call", call_sid=call_sid)
    # A resident whose survey after closure is pending is offered it before the menu.
    survey = await survey_routes.offer(services, telephony, caller_key) if caller_key else None
    return twiml_response(survey or voice_flow.greeting(services.partnership))


@router.post("/twilio/voice/menu")
async def menu(
    params: TwilioParams, services: Services_, telephony: Telephony_, step: int | None = None
) -> Response:
    call_sid = _call_sid(params)
    calls = _calls(services)
    state = await calls.get(call_sid)
    if state is None:
        return twiml_response(voice_flow.greeting(services.partnership))
    # The step a choice here starts is named in the URL (older TwiML: the call's next).
    step = step or state.next_step
    digits, speech = _heard(params)
    choice = digits[:1] if digits else _menu_choice(speech)
    if speech and triage(speech, "voice").emergency:
        choice = None  # an emergency is never taken as a menu choice: it goes to triage
    if choice == "4":
        await calls.answered(call_sid)
        return twiml_response(_speak_to_someone(services))
    text = MENU_TEXT.get(choice or "") or speech
    if not text:
        failures = await calls.failed(call_sid)
        return twiml_response(voice_flow.menu_again(failures, services.partnership, step))
    await calls.answered(call_sid)
    return await _turn(params, services, telephony, call_sid, state.conversation_key, step, text)


@router.post("/twilio/voice/answer")
async def answer(
    params: TwilioParams, services: Services_, telephony: Telephony_, step: int = 1
) -> Response:
    call_sid = _call_sid(params)
    calls = _calls(services)
    state = await calls.get(call_sid)
    if state is None:
        return twiml_response(voice_flow.greeting(services.partnership))
    digits, speech = _heard(params)
    last = state.last.messages if state.last else []
    if digits == "0" or _WANTS_PERSON.search(speech.lower()):
        await calls.answered(call_sid)
        return twiml_response(_speak_to_someone(services))
    if not digits and not speech:
        failures = await calls.failed(call_sid)
        return twiml_response(
            voice_flow.ask_again(
                last, step=step, failures=failures, partnership=services.partnership
            )
        )
    held = await calls.take_unsure(call_sid, step)
    if held is not None:  # the caller was asked whether an answer was heard right
        heard_right = _yes_or_no(digits, speech)
        if heard_right is False:
            await calls.answered(call_sid)
            return twiml_response(voice_flow.say_again(last, step))
        if heard_right is True:
            digits, speech = "", held
    elif await _unsure(params, calls, call_sid, step, speech, digits):
        return twiml_response(voice_flow.check_heard(speech, step))
    choices = next((m.choices for m in reversed(last) if m.choices), [])
    text = resolve_reply(digits, choices) if digits else resolve_reply(speech, choices)
    return await _turn(params, services, telephony, call_sid, state.conversation_key, step, text)


async def _unsure(
    params: MultiDict, calls: Calls, call_sid: str, step: int, speech: str, digits: str
) -> bool:
    """Whether to read an answer back before using it: the recogniser was unsure of it
    (Twilio's Confidence), it is not a keypad answer, at most twice a question, and never
    when it might be an emergency (that goes straight to the conversation's triage)."""
    try:
        confidence = float(params.get("Confidence") or 1.0)
    except ValueError:
        confidence = 1.0
    if digits or not speech or confidence >= LOW_CONFIDENCE:
        return False
    if await calls.checks(call_sid, step) >= MAX_CHECKS:
        return False
    verdict = triage(speech, "voice")
    if verdict.emergency or verdict.danger_question:
        return False
    await calls.hold_unsure(call_sid, step, speech)
    return True


def _yes_or_no(digits: str, speech: str) -> bool | None:
    if digits in ("1", "2"):
        return digits == "1"
    return parse_yes_no(speech)


@router.post("/twilio/voice/result")
async def result(
    params: TwilioParams, services: Services_, telephony: Telephony_, step: int, tries: int = 1
) -> Response:
    call_sid = _call_sid(params)
    outcome = await telephony.voice_turns.result(call_sid, step, PICK_UP_SECONDS)
    if outcome is None:
        if tries >= MAX_PICK_UPS:
            return twiml_response(
                voice_flow.goodbye(services.partnership, "Sorry, something went wrong our end.")
            )
        return twiml_response(voice_flow.holding(step, tries + 1))
    return await _render(params, services, call_sid, step, outcome)


@router.post("/twilio/voice/callback")
async def callback(params: TwilioParams, services: Services_) -> Response:
    call_sid = _call_sid(params)
    calls = _calls(services)
    state = await calls.get(call_sid)
    digits, speech = _heard(params)
    wants = digits == "1" or bool(re.search(r"\b(yes|yeah|please|call ?back)\b", speech.lower()))
    if state is not None and wants:
        await _record_callback(services, call_sid, state.conversation_key, params)
        return twiml_response(voice_flow.callback_recorded())
    if digits == "2" or re.search(r"\b(no|menu|back)\b", speech.lower()):
        await calls.answered(call_sid)
        return twiml_response(voice_flow.back_to_menu(state.next_step if state else 1))
    failures = await calls.failed(call_sid)
    if failures >= voice_flow.MAX_FAILURES:
        return twiml_response(voice_flow.goodbye(services.partnership, "Sorry, I didn't hear."))
    return twiml_response(
        voice_flow.offer_callback(services.partnership, reason="Sorry, I didn't catch that.")
    )


@router.post("/twilio/voice/after-dial")
async def after_dial(params: TwilioParams, services: Services_) -> Response:
    if (params.get("DialCallStatus") or "") == "completed":
        return twiml_response(voice_flow.goodbye(services.partnership, "Thank you for calling."))
    return twiml_response(
        voice_flow.offer_callback(services.partnership, reason="Sorry, nobody could answer.")
    )


async def _turn(
    params: MultiDict,
    services: Services,
    telephony: Telephony,
    call_sid: str,
    conversation_key: str,
    step: int,
    text: str,
) -> Response:
    turns = telephony.voice_turns
    await turns.start(
        call_sid, step, conversation_key, text, _caller_mobile(params), params.get("From")
    )
    outcome = await turns.result(call_sid, step, HOLD_AFTER_SECONDS)
    if outcome is None:
        return twiml_response(voice_flow.holding(step, 1))
    return await _render(params, services, call_sid, step, outcome)


async def _render(
    params: MultiDict, services: Services, call_sid: str, step: int, outcome: TurnOutcome
) -> Response:
    await _calls(services).answered(call_sid, outcome, step)
    return twiml_response(
        voice_flow.reply(
            outcome.messages,
            step=step + 1,
            emergency=outcome.emergency,
            reference=outcome.reference,
            control_room=services.partnership.control_room_phone,
            sms_sent=bool(outcome.reference and _caller_mobile(params)),
        )
    )


def _menu_choice(speech: str) -> str | None:
    words = speech.lower()
    spoken_digits = {"one": "1", "two": "2", "three": "3", "four": "4"}
    if words.strip(" .") in spoken_digits:
        return spoken_digits[words.strip(" .")]
    if _WANTS_PERSON.search(words):
        return "4"
    if len(words.split()) > MENU_CHOICE_WORDS:
        # A description, not a choice ("someone keeps trying our front door"): it goes to
        # the conversation, through the safety triage, as if the caller had chosen 1.
        return None
    for digit, pattern in _MENU_SPEECH:
        if pattern.search(words):
            return digit
    return None


def _speak_to_someone(services: Services) -> str:
    transfer = services.partnership.transfer
    if transfer and transfer.is_open(datetime.now(UTC)):
        label = transfer.label or services.partnership.main_line().label
        return voice_flow.transfer(transfer.phone, label)
    return voice_flow.offer_callback(services.partnership, reason="Our team is closed just now.")


async def _record_callback(
    services: Services, call_sid: str, conversation_key: str, params: MultiDict
) -> None:
    """A callback request on the conversation; the number is kept sealed in the request
    record (personal data, like a case's contact details), never in a key."""
    now = datetime.now(UTC)
    record_key = services.keys.conversation_callback(conversation_key)
    async with services.redis.pipeline(transaction=True) as tx:
        tx.hset(
            record_key,
            mapping={
                "requested_at": now.isoformat(),
                "call_sid": call_sid,
                "phone": seal(services.cipher, parse_uk_phone(params.get("From") or "") or ""),
                "partnership": services.partnership.id,
            },
        )
        tx.expire(record_key, services.settings.conversation_ttl_seconds)
        tx.zadd(services.keys.callback_requests(), {conversation_key: now.timestamp()})
        await tx.execute()
    log.info("voice.callback_requested", call_sid=call_sid)
