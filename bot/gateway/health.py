"""GET /healthz and GET /metrics."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from redis.exceptions import RedisError

from bot.conversation.services import Services
from bot.gateway.deps import get_services
from bot.platform.counters import Counters
from bot.platform.metrics import DEPLOYMENT_COUNTS

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
    body: dict[str, object] = {"status": status, "components": components}
    down_since = {
        "redis": None if redis_ok else _REDIS_DOWN.since(),
        "rasa": await services.dialogue.down_since() if redis_ok and not rasa_ok else None,
    }
    if redis_ok:
        _REDIS_DOWN.clear()
    if any(down_since.values()):
        body["down_since"] = {name: _iso(at) for name, at in down_since.items() if at}
    return JSONResponse(body, status_code=200 if redis_ok else 503)


class _FirstSeen:
    """When this process first found a component down (Redis cannot hold that for itself)."""

    def __init__(self) -> None:
        self._at: float | None = None

    def since(self) -> float:
        self._at = self._at or time.time()
        return self._at

    def clear(self) -> None:
        self._at = None


_REDIS_DOWN = _FirstSeen()


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def _state(up: bool) -> str:
    return "up" if up else "down"


@router.get("/metrics")
async def metrics(services: Annotated[Services, Depends(get_services)]) -> Response:
    try:
        DEPLOYMENT_COUNTS.values = await Counters(services.redis, services.keys).read()
    except (RedisError, OSError):
        DEPLOYMENT_COUNTS.values = {}  # this process's own metrics are still worth serving
    return Response(generate_latest(_registry()), media_type=CONTENT_TYPE_LATEST)


def _registry() -> CollectorRegistry:
    """This process's metrics; under a master with several workers (which sets
    PROMETHEUS_MULTIPROC_DIR), every worker's, summed, whichever worker is scraped."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    registry.register(DEPLOYMENT_COUNTS)
    return registry
