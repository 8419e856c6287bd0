"""Linked reports and hotspots: each new case compared with its partnership's recent cases.

A case is linked to an earlier one about the same place (bot/cases/places.py), the same
alleged perpetrator (bot/cases/perpetrators.py) or from the same victim (the keyed hashes of
bot/cases/repeat_victims.py). When a place or an alleged perpetrator is in the partnership's
threshold of reports within its window (three in 30 days by default), the case carries a
`hotspot`; its id is kept as the hotspot grows, so the lead agency hears of it once per
new report (`case.hotspot`). The comparison reads the window's personal records in two
MGETs and decrypts them in memory: nothing personal is written to a key to make it. The
job worker links each case before partners hear of it (`link_stored`), so a resident's
report is never slowed by it, and a case is compared only with the cases made before it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Literal

from bot.cases.model import Case, CasePersonal, ContactDetails, Hotspot, LinkedReport, LinkReason
from bot.cases.perpetrators import same_perpetrator
from bot.cases.places import place_keys
from bot.cases.repeat_victims import pseudonyms
from bot.cases.sightings import Sighting
from bot.cases.store import CaseStore
from bot.partnerships.schema import Partnership
from bot.privacy.contact import postcode_district


@dataclass(frozen=True)
class Links:
    linked: list[LinkedReport]
    hotspot: Hotspot | None


@dataclass(frozen=True)
class NewReport:
    """What linking reads of the report being made."""

    location: str
    postcode: str | None
    people_involved: str | None
    contact: ContactDetails


def hotspot_id(partnership: str, kind: str, first_reference: str) -> str:
    """Names a hotspot by its first report: stable as it grows, says nothing of the place."""
    digest = hashlib.sha256(f"{partnership}|{kind}|{first_reference}".encode()).hexdigest()
    return "HS-" + digest[:10].upper()


class Linker:
    def __init__(self, store: CaseStore, secret: bytes):
        self._store = store
        self._secret = secret

    async def link_stored(self, partnership: Partnership, reference: str) -> Case | None:
        """Link a stored case with the earlier ones, once (`linked_at` says it was), and
        store its links: the job worker does it before partners are told of the case, so
        the resident never waits for it."""
        case = await self._store.get(reference)
        if case is None or case.linked_at is not None:
            return case
        personal = await self._store.get_personal(reference)
        links = Links([], None)
        if personal is not None:
            report = NewReport(
                location=personal.answers.incident_location, postcode=personal.postcode,
                people_involved=personal.answers.people_involved, contact=personal.contact,
            )  # fmt: skip
            links = await self.link(partnership, report, case)
        linked_at = datetime.now(UTC)
        return await self._store.update(
            reference,
            lambda c: c.model_copy(
                update={"linked_reports": links.linked, "hotspot": links.hotspot,
                        "linked_at": linked_at}
            ),
        )  # fmt: skip

    async def link(self, partnership: Partnership, report: NewReport, case: Case) -> Links:
        """The links of `case` to the partnership's cases made before it in the window."""
        since = case.created_at - timedelta(days=partnership.linking.window_days)
        stored = await self._store.get_many(
            [r for r in await self._store.partnership_references(
                partnership.id, since.timestamp(), case.created_at.timestamp())
             if r != case.reference]
        )  # fmt: skip
        # An erased case, or one past retention, has nothing left to compare.
        earlier = [(c, personal) for c, personal in stored if personal is not None]
        sighting = _sighting(report.people_involved, report.location, report.postcode)
        victims = set(pseudonyms(self._secret, report.contact))
        matched: dict[LinkReason, list[Case]] = {
            "location": _same_place(_place_keys(report.location, report.postcode), earlier),
            "perpetrator": [],
            "victim": [],
        }
        for earlier_case, personal in earlier:
            theirs = _sighting(
                personal.answers.people_involved, personal.answers.incident_location,
                personal.postcode,
            )  # fmt: skip
            if sighting is not None and theirs is not None and same_perpetrator(sighting, theirs):
                matched["perpetrator"].append(earlier_case)
            if victims & set(pseudonyms(self._secret, personal.contact)):
                matched["victim"].append(earlier_case)
        linked = [
            LinkedReport(reference=c.reference, reason=reason, created_at=c.created_at)
            for reason, cases in matched.items()
            for c in cases
        ]
        linked.sort(key=lambda link: (link.created_at, link.reason))
        district = postcode_district(report.postcode) if report.postcode else None
        return Links(linked, self._hotspot(partnership, matched, case.reference, district))

    def _hotspot(
        self,
        partnership: Partnership,
        matched: dict[LinkReason, list[Case]],
        reference: str,
        district: str | None,
    ) -> Hotspot | None:
        """The largest place or perpetrator group at the threshold (this report included)."""
        threshold = partnership.linking.hotspot_reports
        best: Hotspot | None = None
        kinds: tuple[Literal["location", "perpetrator"], ...] = ("location", "perpetrator")
        for kind in kinds:
            cases = sorted(matched[kind], key=lambda c: c.created_at)
            if len(cases) + 1 < threshold or (best is not None and len(cases) < best.reports):
                continue
            # A hotspot already named on one of these reports keeps its id as it grows.
            named = [c.hotspot.id for c in cases if c.hotspot and c.hotspot.kind == kind]
            best = Hotspot(
                id=named[-1] if named else hotspot_id(partnership.id, kind, cases[0].reference),
                kind=kind,
                reports=len(cases) + 1,
                threshold=threshold,
                window_days=partnership.linking.window_days,
                references=[*(c.reference for c in cases), reference],
                postcode_district=district or cases[-1].postcode_district,
            )
        return best


def _same_place(places: frozenset[str], earlier: list[tuple[Case, CasePersonal]]) -> list[Case]:
    """The earlier cases about this place, oldest first. A place is known by every key a
    matching report gives it: "31 Swanswell Street" meets "31 Swanswell St, CV1 5FW",
    which gives it its postcode, which meets a report that gave only "CV1 5FW"."""
    keys = set(places)
    left = [(case, _place_keys(p.answers.incident_location, p.postcode)) for case, p in earlier]
    found: list[Case] = []
    while meeting := [(case, theirs) for case, theirs in left if keys & theirs]:
        for case, theirs in meeting:
            found.append(case)
            keys |= theirs
        met = {case.reference for case, _ in meeting}
        left = [(case, theirs) for case, theirs in left if case.reference not in met]
    return sorted(found, key=lambda case: case.created_at)


# A worker links each new case with every case in its window, so each earlier answer is
# read once per process and kept (in memory only, never in Redis).
@lru_cache(maxsize=20_000)
def _place_keys(location: str, postcode: str | None) -> frozenset[str]:
    return place_keys(location, postcode)


@lru_cache(maxsize=20_000)
def _sighting(people: str | None, location: str, postcode: str | None) -> Sighting | None:
    if not people:
        return None
    return Sighting(people=people, location=location, postcode=postcode)
