"""FastAPI dependencies: the services built once at start-up, handed to routes.

Async, because FastAPI runs a plain `def` dependency in its thread pool: a thread hop
per dependency per request for what is an attribute read."""

from __future__ import annotations

from fastapi import Request

from bot.conversation.services import Services
from bot.conversation.turn import Conversations
from bot.gateway.rate_limits import RateLimits


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def get_conversations(request: Request) -> Conversations:
    return (await get_services(request)).conversations


async def get_rate_limits(request: Request) -> RateLimits:
    limits: RateLimits = request.app.state.rate_limits
    return limits
