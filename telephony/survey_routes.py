"""The survey call's webhooks (telephony/survey_call.py places the call):

    POST /twilio/voice/survey?t=            the outcome, then the score (1-5, star skips)
    POST /twilio/voice/survey/score?t=      the score pressed; then the perception question
    POST /twilio/voice/survey/perception?t= the perception pressed (1-4, star skips); thanks
    POST /twilio/voice/survey/offer?t=      a caller offered their survey: 1 takes it, else
                                            the line's menu
    POST /twilio/voice/survey/status?t=&attempt=   the call's final status (204)

Signatures are checked as on every Twilio route (telephony/signature.py). `t` is the
survey token naming the case; answers are recorded once per case, so a retried request
changes nothing.
"""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, Response

from bot.cases.model import Case
from bot.conversation.services import Services
from bot.gateway.deps import get_services
from bot.partners.survey import (
    BadToken,
    ExpiredToken,
    SurveyAnswers,
    SurveyLinks,
    perception_by_position,
)
from bot.partnerships import Partnership
from telephony import survey_voice, voice_flow
from telephony.deps import get_telephony, twiml_response
from telephony.runtime import Telephony
from telephony.signature import TwilioParams
from telephony.survey_call import SurveyCalls

log = structlog.get_logger("asb.survey_voice")
router = APIRouter()

Services_ = Annotated[Services, Depends(get_services)]
Telephony_ = Annotated[Telephony, Depends(get_telephony)]
MAX_TRIES = 2  # a question with no usable key pressed is asked once more, then passed over
OFFER_TOKEN_DAYS = 1


def survey_calls(services: Services, telephony: Telephony) -> SurveyCalls:
    return SurveyCalls(
        services.redis, services.jobs_pool, services.keys, services.cases, telephony.secret,
        services.settings.public_base_url,
    )  # fmt: skip


async def _case(services: Services, telephony: Telephony, token: str) -> Case | None:
    """The case the token names, while its survey can still be answered."""
    links = SurveyLinks(telephony.secret, services.settings.public_base_url)
    try:
        reference = links.read(token)
    except (BadToken, ExpiredToken):
        return None
    return await services.cases.get(reference)


def _partnership(services: Services, case: Case) -> Partnership:
    return services.partnerships.get(case.partnership)


@router.post("/twilio/voice/survey")
async def survey_start(
    params: TwilioParams, services: Services_, telephony: Telephony_, t: str = "", via: str = ""
) -> Response:
    inbound = via == "in"
    case = await _case(services, telephony, t)
    if case is None or case.surveyed_at is not None:
        return twiml_response(survey_voice.cannot_survey(inbound=inbound))
    log.info("survey_call.answered", call_sid=params.get("CallSid"), reference=case.reference)
    return twiml_response(
        survey_voice.start(case, _partnership(services, case), t, inbound=inbound)
    )


@router.post("/twilio/voice/survey/score")
async def survey_score(
    params: TwilioParams,
    services: Services_,
    telephony: Telephony_,
    t: str = "",
    via: str = "",
    tries: int = 1,
) -> Response:
    inbound = via == "in"
    case = await _case(services, telephony, t)
    if case is None:
        return twiml_response(survey_voice.cannot_survey(inbound=inbound))
    digit = (params.get("Digits") or "").strip()
    if digit in ("1", "2", "3", "4", "5") or digit == survey_voice.SKIP:
        opening = ""
        if digit != survey_voice.SKIP:
            score = int(digit)
            await SurveyAnswers(services.cases).satisfaction(case.reference, score)
            opening = "Thank you."
            if score <= 2:
                complaint = _partnership(services, case).complaint_text()
                opening += f" We are sorry. {voice_flow.voice_text(complaint)}"
        await survey_calls(services, telephony).answered(case.reference)
        return twiml_response(
            survey_voice.perception_question(t, inbound=inbound, tries=1, opening=opening)
        )
    if tries >= MAX_TRIES:
        await survey_calls(services, telephony).answered(case.reference)
        return twiml_response(survey_voice.finish(inbound=inbound, opening="Sorry, I didn't hear."))
    return twiml_response(
        survey_voice.score_question(
            t, inbound=inbound, tries=tries + 1, opening="Sorry, I didn't catch that."
        )
    )


@router.post("/twilio/voice/survey/perception")
async def survey_perception(
    params: TwilioParams,
    services: Services_,
    telephony: Telephony_,
    t: str = "",
    via: str = "",
    tries: int = 1,
) -> Response:
    inbound = via == "in"
    case = await _case(services, telephony, t)
    if case is None:
        return twiml_response(survey_voice.cannot_survey(inbound=inbound))
    digit = (params.get("Digits") or "").strip()
    answer = perception_by_position(int(digit)) if digit in ("1", "2", "3", "4") else None
    if answer is not None:
        await SurveyAnswers(services.cases).perception(case.reference, answer)
    if answer is not None or digit == survey_voice.SKIP or tries >= MAX_TRIES:
        return twiml_response(survey_voice.finish(inbound=inbound))
    return twiml_response(
        survey_voice.perception_question(
            t, inbound=inbound, tries=tries + 1, opening="Sorry, I didn't catch that."
        )
    )


@router.post("/twilio/voice/survey/offer")
async def survey_offer(
    params: TwilioParams, services: Services_, telephony: Telephony_, t: str = ""
) -> Response:
    if (params.get("Digits") or "").strip() == "1":
        case = await _case(services, telephony, t)
        if case is not None and case.surveyed_at is None:
            return twiml_response(
                survey_voice.start(case, _partnership(services, case), t, inbound=True)
            )
    return twiml_response(voice_flow.back_to_menu(1))


@router.post("/twilio/voice/survey/status", status_code=204)
async def survey_status(
    params: TwilioParams, services: Services_, telephony: Telephony_, t: str = "", attempt: int = 1
) -> Response:
    case = await _case(services, telephony, t)
    status = (params.get("CallStatus") or "").lower()
    if case is not None and status:
        await survey_calls(services, telephony).status(case.reference, attempt, status)
    return Response(status_code=204)


async def offer(services: Services, telephony: Telephony, caller_key: str) -> str | None:
    """TwiML offering a caller their pending survey before the menu, or None."""
    reference = await survey_calls(services, telephony).offered(caller_key)
    case = await services.cases.get(reference) if reference is not None else None
    if case is None or case.surveyed_at is not None:
        return None
    links = SurveyLinks(telephony.secret, services.settings.public_base_url)
    token = links.token(case.reference, days=OFFER_TOKEN_DAYS)
    return survey_voice.offer(_partnership(services, case), case.reference, token)
