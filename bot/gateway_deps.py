"""FastAPI dependencies: the services built once at start-up, handed to routes."""

from __future__ import annotations

from fastapi import Request

from bot.conversation import Conversations
from bot.rate_limits import RateLimits
from bot.services import Services


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_conversations(request: Request) -> Conversations:
    return get_services(request).conversations


def get_rate_limits(request: Request) -> RateLimits:
    limits: RateLimits = request.app.state.rate_limits
    return limits
