"""The offer of the monthly neighbourhood update that a written message may carry.

The offer is recorded by the community's subscriptions (bot/community/subscriptions.py,
`UpdateOffers`), seen here only through `UpdateOfferPort`, so that writing to residents does
not depend on the community pages built above it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.partnerships import Partnership


@dataclass(frozen=True)
class Offer:
    district: str
    link: str | None  # the email's sign-up link; a text offer is taken by replying UPDATES


class UpdateOfferPort(Protocol):
    async def make(
        self, partnership: Partnership, district: str | None, channel: str, to: str
    ) -> Offer | None:
        """Record an offer to this resident; None: nothing to offer."""
        ...
