"""FastAPI dependencies: the services built once at start-up, handed to routes."""

from __future__ import annotations

from fastapi import Request

from bot.conversation import Conversations
from bot.services import Services


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_conversations(request: Request) -> Conversations:
    return get_services(request).conversations
