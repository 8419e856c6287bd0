"""The pages behind the monthly update's email links (bot/community/subscriptions.py).

    GET  /updates/subscribe/{token}     what the update is, and a button to ask for it
    POST /updates/subscribe/{token}     asks for it
    GET  /updates/unsubscribe/{token}   a button to stop it
    POST /updates/unsubscribe/{token}   stops it (RFC 8058 one-click: any body)

Only a POST changes anything: mail scanners and link previews follow GETs. The tokens
are signed and expire (`UpdateLinks`); a tampered one answers 404, an expired one 410, as
does a sign-up link whose offer has gone (expired or erased). The pages name the district,
never the address; they are never cached and never send the link on as a referrer.
"""

from __future__ import annotations

from typing import Annotated, Any

import structlog
from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from bot.community.subscriptions import OFFER_DAYS, Subscriptions, UpdateLinks
from bot.conversation.services import Services
from bot.gateway.deps import get_services
from bot.gateway.pages import PERSONAL_PAGE_HEADERS, templates
from bot.partnerships import Partnership
from bot.privacy.signed_tokens import BadToken, ExpiredToken

log = structlog.get_logger("asb.updates_page")
router = APIRouter()

Services_ = Annotated[Services, Depends(get_services)]


def _page(
    state: str, status: int, partnership: Partnership, district: str | None = None
) -> HTMLResponse:
    """One state of the page: subscribe, subscribed, already, unsubscribe, unsubscribed,
    not_subscribed, expired, invalid."""
    context: dict[str, Any] = {
        "state": state,
        "partnership": partnership,
        "district": district,
        "page": f"/community/{partnership.id}/{district}/" if district else None,
        "line": partnership.main_line(),
        "offer_days": OFFER_DAYS,
    }
    html = templates("bot.gateway").get_template("updates.html").render(context)
    return HTMLResponse(html, status_code=status, headers=PERSONAL_PAGE_HEADERS)


def _tools(services: Services) -> tuple[Subscriptions, UpdateLinks]:
    secret = services.settings.secret_key()
    subscriptions = Subscriptions(services.redis, services.keys, services.cipher, secret)
    return subscriptions, UpdateLinks(secret, services.settings.public_base_url)


def _refused(services: Services, exc: Exception) -> HTMLResponse:
    expired = isinstance(exc, ExpiredToken)
    return _page("expired" if expired else "invalid", 410 if expired else 404, services.partnership)


async def _subscribe(token: str, services: Services, confirmed: bool) -> HTMLResponse:
    subscriptions, links = _tools(services)
    try:
        key, pid, district = links.read_subscribe(token)
    except (BadToken, ExpiredToken) as exc:
        return _refused(services, exc)
    if pid not in services.partnerships:  # no longer served here
        return _page("invalid", 404, services.partnership)
    partnership = services.partnerships.get(pid)
    current = await subscriptions.get(key)
    if current is not None and current.place == (pid, district):
        return _page("already", 200, partnership, district)
    if not confirmed:
        if await subscriptions.offered(key) is None:
            return _page("expired", 410, partnership)
        return _page("subscribe", 200, partnership, district)
    if await subscriptions.take_offer(key, (pid, district)) is None:
        return _page("expired", 410, partnership)
    return _page("subscribed", 200, partnership, district)


@router.get("/updates/subscribe/{token}", response_class=HTMLResponse)
async def subscribe_page(token: str, services: Services_) -> HTMLResponse:
    return await _subscribe(token, services, confirmed=False)


@router.post("/updates/subscribe/{token}", response_class=HTMLResponse)
async def subscribe(token: str, services: Services_) -> HTMLResponse:
    return await _subscribe(token, services, confirmed=True)


@router.get("/updates/unsubscribe/{token}", response_class=HTMLResponse)
async def unsubscribe_page(token: str, services: Services_) -> HTMLResponse:
    subscriptions, links = _tools(services)
    try:
        key = links.read_unsubscribe(token)
    except (BadToken, ExpiredToken) as exc:
        return _refused(services, exc)
    current = await subscriptions.get(key)
    if current is None:
        return _page("not_subscribed", 200, services.partnership)
    return _page("unsubscribe", 200, _partnership(services, current.partnership), current.district)


@router.post("/updates/unsubscribe/{token}", response_class=HTMLResponse)
async def unsubscribe(token: str, services: Services_) -> HTMLResponse:
    subscriptions, links = _tools(services)
    try:
        key = links.read_unsubscribe(token)
    except (BadToken, ExpiredToken) as exc:
        return _refused(services, exc)
    ended = await subscriptions.unsubscribe(key)
    if ended is None:
        return _page("not_subscribed", 200, services.partnership)
    return _page("unsubscribed", 200, _partnership(services, ended.partnership), ended.district)


def _partnership(services: Services, pid: str) -> Partnership:
    return services.partnerships.get(pid) if pid in services.partnerships else services.partnership
