"""The public neighbourhood pages (CONTRACT section 3): anonymous, cacheable, no personal data.

    GET /community/{partnership}/          the partnership's districts that have pages
    GET /community/{partnership}/{area}/   a district's summary; ?month=YYYY-MM picks a month

`area` is a postcode district, `CV1`; another case or spacing ("cv1") is redirected (301)
to it, as is a partnership id in capitals. A postcode sector is written `CV1-5` ("CV15"
would be another district) and has no page of its own: a case keeps only its district
outside its sealed personal record, so the answer points to the district's page. HTML by
default, the same content as JSON with `Accept: application/json`; both are cached by
browsers and proxies for five minutes, and the counts behind them in Redis
(bot/community/summaries.py).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from bot.community.summaries import (
    CACHE_SECONDS,
    CATEGORY_LABELS,
    FIRST_YEAR,
    PUBLIC_CATEGORIES,
    Summaries,
    month_key,
    month_of,
    parse_month,
)
from bot.conversation.services import Services
from bot.gateway.deps import get_services
from bot.gateway.pages import templates
from bot.partnerships import Partnership

router = APIRouter()
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_SECTOR = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)[\s-]+[0-9]$")
CATEGORY_HINTS = {
    "personal": "aimed at a person or household",
    "nuisance": "affecting the community",
    "environmental": "affecting public spaces",
}
HEADERS = {
    "Cache-Control": f"public, max-age={CACHE_SECONDS}",
    "Vary": "Accept",
    # Partner websites may show the figures: anonymous data, no credentials.
    "Access-Control-Allow-Origin": "*",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'"
    ),
}
Services_ = Annotated[Services, Depends(get_services)]


def summaries(request: Request) -> Summaries:
    """The gateway's summaries, built once at start-up (bot/app.py)."""
    built: Summaries = request.app.state.community
    return built


def area_url(partnership: str, district: str) -> str:
    return f"/community/{partnership}/{district}/"


@router.get("/community/{pid}/")
async def partnership_areas(pid: str, request: Request, services: Services_) -> Response:
    partnership = _partnership(services, pid)
    if partnership is None:
        return _no_partnership(request)
    if pid != partnership.id:
        return _redirect(request, f"/community/{partnership.id}/")
    areas = [{"area": d, "url": area_url(partnership.id, d)} for d in partnership.area.districts]
    if _wants_json(request):
        body = {"partnership": partnership.id, "name": partnership.name, "areas": areas}
        return JSONResponse(body, headers=HEADERS)
    return _page("community_list.html", 200, partnership=partnership, areas=areas)


@router.get("/community/{pid}/{area}/")
async def area_summary(
    pid: str,
    area: str,
    request: Request,
    services: Services_,
    month: str | None = None,
) -> Response:
    partnership = _partnership(services, pid)
    if partnership is None:
        return _no_partnership(request)
    asked = area.strip().upper()
    sector = _SECTOR.match(asked)
    district = sector.group(1) if sector else re.sub(r"\s+", "", asked)
    if not _DISTRICT.match(district) or district not in partnership.area.districts:
        message = (
            f"{district} is not in the area of {partnership.name}."
            if _DISTRICT.match(district)
            else "That is not a postcode district (like CV1)."
        )
        return _not_found(request, message, partnership)
    if sector:
        message = (
            f"Figures are published for whole postcode districts, not sectors: see {district}."
        )
        return _not_found(request, message, partnership, areas=[district])
    if pid != partnership.id or area != district:
        return _redirect(request, area_url(partnership.id, district))
    now = datetime.now(UTC)
    try:
        chosen = parse_month(month, now) if month is not None else None
    except ValueError as exc:
        return _error(request, 422, "Not a month we can show", str(exc), partnership)
    summary = await summaries(request).area_summary(partnership, district, chosen, now)
    if _wants_json(request):
        return JSONResponse(summary.model_dump(mode="json"), headers=HEADERS)
    return _page(
        "community.html",
        200,
        partnership=partnership,
        s=summary,
        current=month_key(month_of(now)),
        first_month=f"{FIRST_YEAR}-01",
        categories=PUBLIC_CATEGORIES,
        labels=CATEGORY_LABELS,
        hints=CATEGORY_HINTS,
    )


def _partnership(services: Services, pid: str) -> Partnership | None:
    wanted = pid.strip().lower()
    return services.partnerships.get(wanted) if wanted in services.partnerships else None


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _redirect(request: Request, path: str) -> Response:
    query = request.url.query
    return RedirectResponse(path + (f"?{query}" if query else ""), 301, headers=HEADERS)


def _no_partnership(request: Request) -> Response:
    return _error(
        request, 404, "Page not found",
        "No partnership here publishes neighbourhood summaries under that name.", None,
    )  # fmt: skip


def _not_found(
    request: Request, message: str, partnership: Partnership, areas: list[str] | None = None
) -> Response:
    return _error(request, 404, "Page not found", message, partnership, areas)


def _error(
    request: Request,
    status: int,
    title: str,
    message: str,
    partnership: Partnership | None,
    areas: list[str] | None = None,
) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status, headers=HEADERS)
    links = [] if partnership is None else [
        {"area": d, "url": area_url(partnership.id, d)}
        for d in (areas if areas is not None else partnership.area.districts)
    ]  # fmt: skip
    return _page(
        "community_error.html", status, partnership=partnership, title=title,
        message=message, areas=links,
    )  # fmt: skip


def _page(template: str, status: int, **context: Any) -> HTMLResponse:
    html = templates("bot.gateway").get_template(template).render(**context)
    return HTMLResponse(html, status_code=status, headers=HEADERS)
