"""The partners' side of the gateway: the published schema, and the partner API.

    GET  /schemas/case.v1.json                     the JSON Schema of `data`
    GET  /partners/v1/cases/{reference}            the case as the agency may see it
    POST /partners/v1/cases/{reference}/updates    accepted, spoc, contacted, ...

The API takes `Authorization: Bearer <key>` (keys from `asb-intake partners issue-key`).
An agency sees and updates only cases routed to it; any other reference answers 404, the
same as a reference that does not exist. An update is applied once: its `id`, or else an
`Idempotency-Key` header, or else a hash of its content, names it, and the same name again
answers 200 with the update already stored (a retry or a replayed request changes nothing).
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from bot.cases.events import CaseEvents
from bot.cases.reference import normalise_reference
from bot.conversation.services import Services
from bot.gateway.deps import get_services
from bot.partners.api_keys import ApiKeys
from bot.partners.payload import SCHEMA_ROUTE, schema
from bot.partners.updates import CaseUpdates, UpdateIn, UpdateRefused
from bot.privacy.audit import audit

router = APIRouter()
_MAX_BODY_BYTES = 16 * 1024
_UNAUTHORISED = JSONResponse(
    {"detail": "a valid partner API key is required"},
    status_code=401,
    headers={"WWW-Authenticate": "Bearer"},
)


@router.get(SCHEMA_ROUTE)
async def case_schema() -> JSONResponse:
    return JSONResponse(
        schema(),
        media_type="application/schema+json",
        headers={"Cache-Control": "public, max-age=3600"},
    )


async def _agency(services: Services, authorization: str | None) -> str | None:
    if not authorization or not authorization.startswith("Bearer "):
        return None
    return await ApiKeys(services.redis, services.keys).agency_for(authorization[7:].strip())


def _updates(services: Services) -> CaseUpdates:
    return CaseUpdates(
        services.redis, services.keys, services.cases,
        CaseEvents(services.redis, services.keys), services.partnerships, services.jobs_pool,
    )  # fmt: skip


def _not_found() -> JSONResponse:
    return JSONResponse({"detail": "no such case for this agency"}, status_code=404)


@router.get("/partners/v1/cases/{reference}")
async def partner_case(
    reference: str,
    services: Annotated[Services, Depends(get_services)],
    authorization: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    agency = await _agency(services, authorization)
    if agency is None:
        return _UNAUTHORISED
    ref = normalise_reference(reference)
    updates = _updates(services)
    case = await updates.visible_case(agency, ref) if ref else None
    if case is None:
        return _not_found()
    await audit(
        services.redis,
        services.keys,
        actor=f"agency:{agency}",
        action="case.read",
        subject=case.reference,
    )
    return JSONResponse(await updates.view(agency, case), headers={"Cache-Control": "no-store"})


@router.post("/partners/v1/cases/{reference}/updates")
async def partner_update(
    reference: str,
    request: Request,
    services: Annotated[Services, Depends(get_services)],
    authorization: Annotated[str | None, Header()] = None,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    agency = await _agency(services, authorization)
    if agency is None:
        return _UNAUTHORISED
    body = await request.body()
    if len(body) > _MAX_BODY_BYTES:
        return JSONResponse({"detail": "request too large"}, status_code=413)
    try:
        update = UpdateIn.model_validate(json.loads(body))
        if update.id is None and idempotency_key is not None:
            update = UpdateIn.model_validate({**update.model_dump(), "id": idempotency_key})
    except (ValueError, ValidationError) as exc:
        errors = exc.errors() if isinstance(exc, ValidationError) else [{"msg": "not JSON"}]
        detail = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e["msg"])} for e in errors]
        return JSONResponse({"detail": detail}, status_code=422)
    ref = normalise_reference(reference)
    if ref is None:
        return _not_found()
    try:
        stored, created = await _updates(services).apply(agency, ref, update)
    except UpdateRefused as refused:
        return JSONResponse({"detail": refused.message}, status_code=refused.status)
    return JSONResponse(stored, status_code=201 if created else 200)
