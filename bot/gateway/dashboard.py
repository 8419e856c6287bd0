"""The partnership dashboard for staff, never public:

    GET  /partnership/{id}/            the dashboard (or, without a session, to sign-in)
    GET  /partnership/{id}/sign-in     the sign-in form
    POST /partnership/{id}/sign-in     a staff key or a partner API key -> session cookie
    POST /partnership/{id}/sign-out
    GET  /partnership/{id}/cases.csv   one row per case, nothing personal
    GET  /partnership/{id}/figures.csv every table of the dashboard

A session cookie (bot/gateway/sessions.py) or `Authorization: Bearer <key>` opens them.
Forms are guarded against cross-site use by the SameSite=Strict cookie and by checking
that a POST comes from this origin. A refused key gets the same answer whether or not the
partnership exists.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime
from functools import cache
from typing import Annotated
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from bot.cases.model import Case
from bot.cases.sla import LONDON
from bot.community import figures as fig
from bot.community.charts import Series, bar_chart, line_chart
from bot.conversation.services import Services
from bot.gateway.deps import get_services
from bot.gateway.sessions import SESSION_SECONDS, Access, Principal, SessionSigner
from bot.partnerships import Partnership
from bot.privacy.audit import audit

router = APIRouter()
COOKIE = "asb_dashboard"
_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_MAX_FORM_BYTES = 4096
HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}


@router.get("/partnership/{pid}/")
async def dashboard(
    pid: str, request: Request, services: Annotated[Services, Depends(get_services)]
) -> Response:
    if not _ID.match(pid):
        return _not_found()
    principal = await _principal(request, services, pid)
    if principal is None:
        return RedirectResponse(f"/partnership/{pid}/sign-in", status_code=303, headers=HEADERS)
    partnership = services.partnerships.get(pid)
    now = datetime.now(UTC)
    cases = await _read_cases(services, pid, fig.since(now))
    figures = fig.compute(cases, partnership, now)
    tables = fig.tables(figures, partnership)
    html = (
        _env()
        .get_template("dashboard.html")
        .render(
            partnership=partnership,
            principal=principal,
            figures=figures,
            tables={t.id: t for t in tables},
            charts=_charts(figures, partnership),
            as_at=now.astimezone(LONDON),
        )
    )
    return HTMLResponse(html, headers=HEADERS)


@router.get("/partnership/{pid}/sign-in")
async def sign_in_form(pid: str) -> Response:
    if not _ID.match(pid):
        return _not_found()
    return _sign_in_page(pid, refused=False)


@router.post("/partnership/{pid}/sign-in")
async def sign_in(
    pid: str, request: Request, services: Annotated[Services, Depends(get_services)]
) -> Response:
    if not _ID.match(pid):
        return _not_found()
    if not _same_origin(request, services):
        return _cross_site()
    body = await request.body()
    key = parse_qs(body.decode("utf-8", "replace")).get("key", [""])[0]
    if len(body) > _MAX_FORM_BYTES or not key.strip():
        return _sign_in_page(pid, refused=True)
    access = Access(services.redis, services.keys, services.partnerships)
    principal = await access.by_key(key, pid)
    if principal is None:
        actor = await access.actor_elsewhere(key)
        if actor is not None:  # a real key, for somewhere else: worth an operator's look
            await audit(services.redis, services.keys, actor=actor,
                        action="dashboard.sign_in_refused", subject=pid)  # fmt: skip
        return _sign_in_page(pid, refused=True)
    await audit(services.redis, services.keys, actor=principal.actor,
                action="dashboard.sign_in", subject=pid)  # fmt: skip
    response = RedirectResponse(f"/partnership/{pid}/", status_code=303, headers=HEADERS)
    response.set_cookie(
        COOKIE,
        _signer(services).issue(principal, time.time()),
        max_age=SESSION_SECONDS,
        path=f"/partnership/{pid}/",
        secure=services.settings.public_base_url.startswith("https://"),
        httponly=True,
        samesite="strict",
    )
    return response


@router.post("/partnership/{pid}/sign-out")
async def sign_out(
    pid: str, request: Request, services: Annotated[Services, Depends(get_services)]
) -> Response:
    if not _ID.match(pid):
        return _not_found()
    if not _same_origin(request, services):
        return _cross_site()
    principal = await _principal(request, services, pid)
    if principal is not None:
        await audit(services.redis, services.keys, actor=principal.actor,
                    action="dashboard.sign_out", subject=pid)  # fmt: skip
    response = RedirectResponse(f"/partnership/{pid}/sign-in", status_code=303, headers=HEADERS)
    response.delete_cookie(COOKIE, path=f"/partnership/{pid}/", httponly=True, samesite="strict")
    return response


@router.get("/partnership/{pid}/cases.csv")
async def cases_csv(
    pid: str, request: Request, services: Annotated[Services, Depends(get_services)]
) -> Response:
    principal = await _principal(request, services, pid) if _ID.match(pid) else None
    if principal is None:
        return _unauthorised_csv()
    now = datetime.now(UTC)
    first = fig.since(now)
    cases = await _read_cases(services, pid, first)
    await audit(services.redis, services.keys, actor=principal.actor,
                action="dashboard.export_cases", subject=pid)  # fmt: skip
    return _csv(fig.cases_csv(cases, pid, first), f"{pid}-cases.csv")


@router.get("/partnership/{pid}/figures.csv")
async def figures_csv(
    pid: str, request: Request, services: Annotated[Services, Depends(get_services)]
) -> Response:
    principal = await _principal(request, services, pid) if _ID.match(pid) else None
    if principal is None:
        return _unauthorised_csv()
    partnership = services.partnerships.get(pid)
    now = datetime.now(UTC)
    cases = await _read_cases(services, pid, fig.since(now))
    tables = fig.tables(fig.compute(cases, partnership, now), partnership)
    return _csv(fig.figures_csv(tables), f"{pid}-figures.csv")


async def _read_cases(services: Services, partnership: str, since: datetime) -> list[Case]:
    """The partnership's cases since `since`, read once in batched MGETs."""
    return await services.cases.cases_between(since.timestamp(), partnership=partnership)


async def _principal(request: Request, services: Services, pid: str) -> Principal | None:
    """Who is asking: a Bearer key, else a live session cookie for this partnership."""
    access = Access(services.redis, services.keys, services.partnerships)
    authorization = request.headers.get("authorization", "")
    if authorization.startswith("Bearer "):
        return await access.by_key(authorization[7:], pid)
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    principal = _signer(services).read(token, pid, time.time())
    if principal is None or not await access.still_allowed(principal):
        return None
    return principal


def _same_origin(request: Request, services: Services) -> bool:
    """A POST must come from a page of this service: its Origin (or, failing that, its
    Referer) is this request's origin or PUBLIC_BASE_URL's."""
    sent = request.headers.get("origin") or request.headers.get("referer")
    if not sent:
        return False
    allowed = {_origin(str(request.base_url)), _origin(services.settings.public_base_url)}
    return _origin(sent) in allowed


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _signer(services: Services) -> SessionSigner:
    return SessionSigner(services.settings.secret_key())


def _sign_in_page(pid: str, *, refused: bool) -> HTMLResponse:
    html = _env().get_template("sign_in.html").render(pid=pid, refused=refused)
    return HTMLResponse(html, status_code=401 if refused else 200, headers=HEADERS)


def _not_found() -> Response:
    return Response("Not found\n", status_code=404, media_type="text/plain", headers=HEADERS)


def _cross_site() -> Response:
    return Response(
        "This form must be sent from the dashboard's own page.\n",
        status_code=403,
        media_type="text/plain",
        headers=HEADERS,
    )


def _unauthorised_csv() -> Response:
    return Response(
        "A staff key or a partner API key of this partnership is required.\n",
        status_code=401,
        media_type="text/plain",
        headers={**HEADERS, "WWW-Authenticate": "Bearer"},
    )


def _csv(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={**HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _charts(figures: fig.Figures, partnership: Partnership) -> dict[str, Markup]:
    """A chart for each table that has one, keyed by the table's id."""
    weeks = [f"{w.start.day} {w.start:%b}" for w in figures.weeks]
    months = [f"{m.start:%b %Y}" for m in figures.months]
    targets = partnership.targets
    reports = sum(w.total for w in figures.weeks)
    perception = targets.perception
    return {
        "reports-by-week": bar_chart(
            "chart-reports-by-week",
            "Reports by week and category, last 26 weeks",
            f"Stacked bars, one per week from {weeks[0]} to {weeks[-1]}, each split into "
            f"personal, nuisance, environmental and not ASB; {reports} reports in all.",
            weeks,
            [
                Series(fig.CATEGORY_LABELS[c], [w.counts[c] for w in figures.weeks])
                for c in fig.CATEGORIES
            ],
        ),
        "standards": bar_chart(
            "chart-standards",
            "Standards of response: share met",
            "One bar per published standard: the share of clocks met on time, of those "
            "met or missed; "
            + "; ".join(f"{s.label}: {_percent(s.percent)}" for s in figures.standards)
            + ".",
            [s.short for s in figures.standards],
            [Series("Met", [s.percent for s in figures.standards])],
            unit="%",
            y_max=100,
        ),
        "satisfaction": line_chart(
            "chart-satisfaction",
            "Satisfaction by month against the target",
            "Line: each month's share of satisfaction scores of 4 or 5 out of 5; dashed "
            f"line: the target of {targets.satisfaction_percent:g}%. Gaps are months "
            "without answers.",
            months,
            [Series("Satisfied", [m.satisfied_percent for m in figures.months])],
            target=targets.satisfaction_percent,
            y_max=100,
            unit="%",
        ),
        "perception": line_chart(
            "chart-perception",
            "Perception of anti-social behaviour by month",
            "Line: each month's share answering that anti-social behaviour is a very or "
            "fairly big problem in their area (lower is better)"
            + (
                f"; dashed line: the target of {perception.target_percent:g}% by "
                f"{perception.by:%B %Y}, from a baseline of {perception.baseline_percent:g}%."
                if perception
                else "; no target is published."
            ),
            months,
            [Series("Big problem", [m.big_problem_percent for m in figures.months])],
            target=perception.target_percent if perception else None,
            target_label=f"Target by {perception.by:%b %Y}" if perception else "Target",
            y_max=100,
            unit="%",
        ),
        "calls-by-month": bar_chart(
            "chart-calls-by-month",
            "Calls for service (reports) by month",
            f"One bar per month from {months[0]} to {months[-1]}; "
            f"{sum(m.reports for m in figures.months)} reports in all.",
            months,
            [Series("Reports", [m.reports for m in figures.months])],
        ),
    }


def _percent(value: float | None) -> str:
    return "no clocks yet" if value is None else f"{value:.1f}%"


def _cell(value: fig.Cell, monthly: bool = False) -> str:
    """A table cell as people read it: UK dates, thousands separators, one decimal."""
    if value is None:
        return "no data"
    if isinstance(value, datetime):
        return f"{value.astimezone(LONDON):%-d %b %Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%B %Y}" if monthly else f"{value:%-d %b %Y}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    return str(value)


@cache
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("bot.gateway", "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = _cell
    env.tests["number"] = lambda v: isinstance(v, int | float) and not isinstance(v, bool)
    return env
