"""The gateway: a FastAPI app that every channel's requests come through."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response

from bot.community.summaries import Summaries
from bot.conversation.services import Services
from bot.gateway import (
    community_pages,
    dashboard,
    health,
    outage,
    partner_api,
    survey_page,
    updates_page,
)
from bot.gateway.rate_limits import RateLimits
from bot.platform.logs import configure_logging
from bot.platform.settings import Settings, get_settings
from bot.safety.triage import default_model
from bot.webchat import routes as webchat
from telephony import outage as telephony_outage
from telephony import routes as telephony
from telephony.runtime import Telephony


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The gateway triages every message: its safety model is loaded before the first
        # one, never during its turn, and a missing model stops start-up rather than leave
        # messages untriaged. (The action server and workers never load it.)
        default_model()
        services = await Services.open(settings)
        app.state.services = services
        app.state.community = Summaries(services.redis, services.keys, services.cases)
        app.state.rate_limits = RateLimits(
            settings.require_redis_url(),
            settings.secret_key(),
            settings.rate_limit_per_sender,
            settings.rate_limit_per_source,
            settings.key_prefix,
        )
        # The channels are built here, at the edge: the core imports no channel.
        app.state.telephony = Telephony(
            settings, services.redis, services.keys, services.conversations, services.partnership
        )
        try:
            yield
        finally:
            await app.state.telephony.aclose()
            await services.aclose()

    app = FastAPI(title="ASB intake gateway", version="0.1.0", lifespan=lifespan)
    app.include_router(webchat.router)
    app.include_router(health.router)
    app.include_router(telephony.router)
    app.include_router(partner_api.router)
    app.include_router(survey_page.router)
    app.include_router(dashboard.router)
    app.include_router(community_pages.router)
    app.include_router(updates_page.router)
    for error in outage.STORE_DOWN:
        app.add_exception_handler(error, _store_down)
    return app


async def _store_down(request: Request, exc: Exception) -> Response:
    """Redis is away: each channel gets a quick "try again or call" in its own form."""
    path = request.url.path
    text = outage.try_again_text(outage.partnership_of(request))
    if path.startswith("/twilio/sms"):
        return telephony_outage.sms_unavailable(text)
    if path.startswith("/twilio/voice"):
        return telephony_outage.voice_unavailable(text)
    return outage.web_chat_unavailable(request)
