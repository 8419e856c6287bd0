"""Which council area a report belongs to, asked only when the place cannot tell: a
district shared by two partnerships (or with a neighbour), an unknown district, or a place
given without a postcode that names no served town (or the towns of two) while more than
one partnership is served."""

from __future__ import annotations

import itertools
from difflib import SequenceMatcher
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.services import served_partnerships
from bot.partnerships import Partnership, Partnerships
from bot.partnerships.loader import names_place

NOT_SURE = "Not sure"


def area_candidates(partnerships: Partnerships, location: str | None) -> list[str]:
    """Partnership ids to choose between; empty when nothing needs asking."""
    if not location or len(partnerships.all()) < 2:
        return []
    match = partnerships.match_location(location)
    if match.resolution == "no_postcode":
        return [p.id for p in partnerships.all()]
    return list(match.candidates) if match.needs_asking else []


def choose_area(partnerships: Partnerships, answer: str, candidates: list[str]) -> str | None:
    """The partnership id the resident chose (by its council, its name, or a town in it:
    "Northampton I think"), the default when they are not sure."""
    said = answer.strip().lower()
    if "not sure" in said or "don't know" in said or "dont know" in said:
        return partnerships.default_id
    named = partnerships.named_in(said)  # its id or a town in it
    for partnership_id in candidates:
        partnership = partnerships.get(partnership_id)
        names = (partnership.council, partnership.name)
        if partnership_id in named or (
            set(said.split()) - _GENERIC
            and any(names_place(n, said) or names_place(said, n) for n in names)
        ):
            return partnership_id
    if said.isdigit() and 1 <= int(said) <= len(candidates):  # an SMS reply "2"
        return candidates[int(said) - 1]
    return _sounds_like(partnerships, said, candidates)


# How close a misheard name must be ("chair well" for Cherwell, "bister" for Bicester).
_SOUNDS_LIKE = 0.8
# Words of every council's name, which tell no area apart.
_GENERIC = {"council", "district", "borough", "city", "county", "west", "north", "shire"}


def _sounds_like(partnerships: Partnerships, said: str, candidates: list[str]) -> str | None:
    """The area whose council, name or a town in it a word or two of the answer most
    nearly spells, as a speech recogniser mishears it; None when none is close, or two
    are as close."""
    words = [w for w in said.replace(",", " ").split() if w not in _GENERIC]
    heard = {*words, *("".join(pair) for pair in itertools.pairwise(words))}
    closeness: dict[str, float] = {}
    for partnership_id in candidates:
        partnership = partnerships.get(partnership_id)
        names = {partnership_id, *partnership.area.places, *partnership.council.lower().split()}
        spelt = {n.lower().replace(" ", "") for n in names} - _GENERIC
        closeness[partnership_id] = max(
            (SequenceMatcher(None, n, h).ratio() for n in spelt if len(n) >= 5 for h in heard),
            default=0.0,
        )
    ranked = sorted(closeness.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < _SOUNDS_LIKE:
        return None
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return ranked[0][0]


def with_town(partnerships: Partnerships, location: str, said: str) -> str:
    """The place with the town the resident named beside it ("Ashgate Road" said as
    "Ashgate Road, Chesterfield" gives "Ashgate Road, Chesterfield"): a partner needs the
    town, and it tells the council area, which is then not asked. Unchanged when the place
    already tells, or the message names no town or the towns of more than one area."""
    if partnerships.match_location(location).resolution != "no_postcode":
        return location
    towns = [
        (p.id, place)
        for p in partnerships.all()
        for place in (p.id, *p.area.places)
        if names_place(said, place)
    ]
    if len({partnership for partnership, _ in towns}) != 1:
        return location
    town = max((place for _, place in towns), key=len)
    return f"{location}, {town.title() if town.islower() else town}"


def report_partnership(
    served: Partnerships, location: str | None, council_area: str | None
) -> Partnership:
    """The partnership the report will be filed with, as the case intake decides it."""
    if council_area in served:
        return served.get(council_area or "")
    match = served.match_location(location)
    return served.get(match.partnership) if match.partnership else served.default


class ActionAskCouncilArea(Action):
    def name(self) -> str:
        return "action_ask_council_area"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        served = served_partnerships()
        candidates = area_candidates(served, tracker.get_slot("incident_location"))
        councils = [served.get(c).council for c in candidates]
        dispatcher.utter_message(
            text="Which council area is this in? Then the right people deal with it.",
            buttons=[{"title": c, "payload": c} for c in [*councils, NOT_SURE]],
        )
        return []
