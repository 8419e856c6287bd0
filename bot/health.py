"""GET /healthz and GET /metrics."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from redis.exceptions import RedisError

from bot.counters import Counters
from bot.gateway_deps import get_services
from bot.metrics import DEPLOYMENT_COUNTS
from bot.services import Services

router = APIRouter()


@router.get("/healthz")
async def healthz(services: Annotated[Services, Depends(get_services)]) -> JSONResponse:
    try:
        redis_ok = bool(await services.redis.ping())
    except (RedisError, OSError):
        redis_ok = False
    rasa_ok = await services.dialogue.is_up()
    components = {"redis": _state(redis_ok), "rasa": _state(rasa_ok)}
    # Without the dialogue engine the gateway still triages and answers emergencies;
    # without Redis it cannot keep anything, so it is not serving.
    status = "ok" if redis_ok and rasa_ok else ("degraded" if redis_ok else "down")
    return JSONResponse(
        {"status": status, "components": components}, status_code=200 if redis_ok else 503
    )


def _state(up: bool) -> str:
    return "up" if up else "down"


@router.get("/metrics")
async def metrics(services: Annotated[Services, Depends(get_services)]) -> Response:
    try:
        DEPLOYMENT_COUNTS.values = await Counters(services.redis, services.keys).read()
    except (RedisError, OSError):
        DEPLOYMENT_COUNTS.values = {}  # this process's own metrics are still worth serving
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
