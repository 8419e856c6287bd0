"""The survey page that closing notices by email and letter link to.

    GET  /survey/{token}    the two questions (and a comment box) as a plain HTML form
    POST /survey/{token}    the answers, form-encoded: satisfaction, perception, comment

The token (bot/partners/survey.py, `SurveyLinks`) names the case and expires; a tampered
one answers 404, an expired one 410. One answer per case: once the score is recorded the
page says so, and a second POST answers 409. Pages are never cached (`no-store`) and never
send the link on as a referrer.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qsl

import structlog
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from bot.cases.model import Case
from bot.conversation.services import Services
from bot.gateway.deps import get_services
from bot.gateway.pages import PERSONAL_PAGE_HEADERS, templates
from bot.partners.survey import (
    MAX_COMMENT_CHARS,
    PERCEPTION_ANSWERS,
    PERCEPTION_QUESTION,
    SATISFACTION_LABELS,
    BadToken,
    ExpiredToken,
    SurveyAnswers,
    SurveyLinks,
)

log = structlog.get_logger("asb.survey_page")
router = APIRouter()

_MAX_BODY_BYTES = 8 * 1024
Services_ = Annotated[Services, Depends(get_services)]


def _page(
    services: Services, status: int, state: str, case: Case | None, **extra: Any
) -> HTMLResponse:
    """The page in one of its states: form, thanks, already, expired, invalid."""
    partnership = services.partnerships.get(case.partnership) if case else services.partnership
    context = {
        "state": state,
        "reference": case.reference if case else None,
        "partnership": partnership.name,
        "line": partnership.main_line(),
        "question": PERCEPTION_QUESTION,
        "perception_answers": PERCEPTION_ANSWERS,
        "satisfaction_labels": SATISFACTION_LABELS,
        "max_comment": MAX_COMMENT_CHARS,
        "chosen": {},
        "error": None,
        **extra,
    }
    html = templates("bot.gateway").get_template("survey.html").render(context)
    return HTMLResponse(html, status_code=status, headers=PERSONAL_PAGE_HEADERS)


async def _open(services: Services, token: str) -> tuple[Case | None, str, int]:
    """The case the token names, the page to show and its status."""
    links = SurveyLinks(services.settings.secret_key(), services.settings.public_base_url)
    try:
        reference = links.read(token)
    except ExpiredToken:
        return None, "expired", 410
    except BadToken:
        return None, "invalid", 404
    case = await services.cases.get(reference)
    if case is None:
        return None, "invalid", 404
    if case.surveyed_at is not None:
        return case, "already", 200
    return case, "form", 200


@router.get("/survey/{token}", response_class=HTMLResponse)
async def survey_form(token: str, services: Services_) -> HTMLResponse:
    case, state, status = await _open(services, token)
    return _page(services, status, state, case)


@router.post("/survey/{token}", response_class=HTMLResponse)
async def survey_answer(token: str, request: Request, services: Services_) -> HTMLResponse:
    case, state, status = await _open(services, token)
    if case is None or state != "form":
        return _page(services, 409 if state == "already" else status, state, case)
    body = await request.body()
    try:
        if len(body) > _MAX_BODY_BYTES:
            raise ValueError("too large")
        form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except ValueError:  # UnicodeDecodeError included
        return _page(services, 400, "form", case, error="The answers could not be read.")
    score = form.get("satisfaction", "")
    perception = next((a for a in PERCEPTION_ANSWERS if a == form.get("perception")), None)
    if score not in ("1", "2", "3", "4", "5") or (form.get("perception") and not perception):
        return _page(
            services, 422, "form", case, chosen=form,
            error="Please choose how happy you are with how your report was handled.",
        )  # fmt: skip
    answers = SurveyAnswers(services.cases)
    recorded = await answers.satisfaction(case.reference, int(score), form.get("comment"))
    if recorded is None:  # answered meanwhile, from another tab
        return _page(services, 409, "already", case)
    if perception is not None:
        await answers.perception(case.reference, perception)
    log.info("survey_page.answered", reference=case.reference)
    complaint = services.partnerships.get(case.partnership).complaint_text()
    return _page(services, 200, "thanks", case, unhappy=int(score) <= 2, complaint=complaint)
