"""Open hotspots: the hotspots named on a partnership's cases within its linking window,
each as its newest case saw it (the case that made it largest)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.cases.model import Case, Hotspot
from bot.partnerships.schema import Partnership


@dataclass(frozen=True)
class OpenHotspot:
    id: str
    kind: Literal["location", "perpetrator"]
    postcode_district: str | None
    reports: int
    references: tuple[str, ...]
    last_report: datetime


class OpenHotspots:
    """Fed cases one at a time (the dashboard reads each case once for every figure)."""

    def __init__(self, partnership: Partnership, now: datetime):
        self._since = now - timedelta(days=partnership.linking.window_days)
        self._partnership = partnership.id
        self._newest: dict[str, tuple[datetime, Hotspot]] = {}

    def see(self, case: Case) -> None:
        if case.hotspot is None or case.partnership != self._partnership:
            return
        if case.created_at < self._since:
            return
        seen = self._newest.get(case.hotspot.id)
        if seen is None or case.created_at > seen[0]:
            self._newest[case.hotspot.id] = (case.created_at, case.hotspot)

    def rows(self) -> list[OpenHotspot]:
        """Newest report first."""
        return [
            OpenHotspot(h.id, h.kind, h.postcode_district, h.reports, tuple(h.references), at)
            for at, h in sorted(self._newest.values(), key=lambda pair: pair[0], reverse=True)
        ]


def open_hotspots(cases: list[Case], partnership: Partnership, now: datetime) -> list[OpenHotspot]:
    tracker = OpenHotspots(partnership, now)
    for case in cases:
        tracker.see(case)
    return tracker.rows()
