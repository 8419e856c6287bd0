"""Every Twilio route, for the app to include with one line."""

from __future__ import annotations

from fastapi import APIRouter

from telephony import sms_routes, status_routes, survey_routes, voice_routes

router = APIRouter()
router.include_router(sms_routes.router)
router.include_router(voice_routes.router)
router.include_router(status_routes.router)
router.include_router(survey_routes.router)
