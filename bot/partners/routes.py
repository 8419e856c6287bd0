"""The partners' side of the gateway: the published schema, and the partner API."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from bot.partners.payload import SCHEMA_ROUTE, schema

router = APIRouter()


@router.get(SCHEMA_ROUTE)
async def case_schema() -> JSONResponse:
    return JSONResponse(
        schema(),
        media_type="application/schema+json",
        headers={"Cache-Control": "public, max-age=3600"},
    )
