"""Whether the resident rents from a housing provider that is a partner agency, so the
landlord hears of the case (and may lead it). Asked only where the partnership has one."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.council_area import report_partnership
from actions.services import served_partnerships
from bot.conversation import report_answers as answers
from bot.partnerships import Agency, Partnership

NO_LANDLORD = "none"
_NOT_A_TENANT = "No, I own my home or rent privately"
_NOT_SURE = "Not sure"


def housing_agencies(partnership: Partnership) -> list[Agency]:
    return [agency for agency in partnership.agencies if agency.kind == "housing"]


def partnership_of(tracker: Tracker) -> Partnership:
    return report_partnership(
        served_partnerships(),
        tracker.get_slot("incident_location"),
        tracker.get_slot("council_area"),
    )


# Words of a housing provider's name that do not tell one from another.
_GENERIC = frozenset({
    "the", "council", "district", "borough", "city", "housing", "homes", "association",
    "group", "trust", "formerly", "and", "of",
})  # fmt: skip
_PLAIN_YES = frozenset({
    "y", "yes", "yeah", "yep", "yup", "aye", "ye", "yea", "yeh", "ya", "ar", "ok", "okay",
    "sure", "please", "i", "we", "do", "does", "that", "one", "them", "it", "is", "correct",
})  # fmt: skip
# Not a partner's tenant: they own, rent privately, or rent from someone not listed.
_NOT_A_PARTNERS_TENANT = re.compile(
    r"\b(?:no|nope|nah|naw|not|none|n/a|skip|don'?t|dont|private(?:ly)?|own|owned|owner|owns|"
    r"home ?owners?|bought|mortgage|outright|freehold|leasehold|rent|rents|renting|rentin|"
    r"tenants?|tenancy|tenancies|lease|landlord|letting|lettin|agents?|agency|council|housing|"
    r"association|"
    # someone else's: "tied cottage, belongs to the estate", "through work"
    r"belongs?|belonging|owned by|tied|employer|through (?:my )?work)\b",
    re.IGNORECASE,
)

# A council tenant who does not name the council ("We rent from the council.", "it's a
# council flat"), and words that say otherwise ("private landlord, not council").
_COUNCIL_TENANT = re.compile(
    r"\b(?:rent(?:s|ed|ing)?\b.{0,20}\b(?:from|off|off of|with|through) (?:the |our |my )?"
    r"council|council (?:house|houses|"
    r"flat|home|bungalow|property|tenants?|tenancy|housing|place)|(?:the|a) council one)\b|"
    r"^(?:the )?council$",
    re.IGNORECASE,
)
_NOT_THE_COUNCILS = re.compile(
    r"\b(?:no|not|nope|nah|never|private(?:ly)?|own|owned|bought|used to|\w+n't|dont|"
    r"didnt|isnt|wasnt|arent)\b",
    re.IGNORECASE,
)


def _names(agency: Agency, partnership: Partnership) -> list[str]:
    """The words that name the provider: the first that is not generic ("citizen",
    "bolsover", "west") and any other long one that is not a place of the partnership
    ("whitefriars", its former name; not "northamptonshire", which another council shares)."""
    words: list[str] = re.findall(r"[a-z]+", agency.name.lower())
    own = [w for w in words if w not in _GENERIC] or words[:1]
    places = {partnership.id, *(p.lower() for p in partnership.area.places)}
    return [own[0], *(w for w in own[1:] if len(w) >= 6 and w not in places)]


def _a_towns_council_housing(agency: Agency, partnership: Partnership, said: str) -> bool:
    """A council's housing named by a town of its area, often the council that ran it
    before ("Daventry housing" for West Northamptonshire Council's)."""
    if "council" not in agency.name.lower():
        return False
    towns = "|".join(re.escape(place.lower()) for place in partnership.area.places)
    return re.search(rf"\b(?:{towns})\b.*\b(?:council|housing)\b", said) is not None


def choose_landlord(partnership: Partnership, answer: str) -> str | None:
    """The housing agency id, "none" for no (owning, renting privately or from a landlord
    not listed, or not sure), None when unclear ("yes" with more than one listed)."""
    said = answer.strip().lower()
    agencies = housing_agencies(partnership)
    if said in {NO_LANDLORD, *(agency.id for agency in agencies)}:  # read earlier
        return said
    if said.isdigit() and 1 <= int(said) <= len(agencies):  # an SMS reply "2"
        return agencies[int(said) - 1].id
    for agency in agencies:
        words = _names(agency, partnership)
        if said and (
            said in agency.name.lower()
            or any(re.search(rf"\b{w}\b", said) for w in words)
            or _a_towns_council_housing(agency, partnership, said)
        ):
            return agency.id
    if _COUNCIL_TENANT.search(said) and not _NOT_THE_COUNCILS.search(said):
        councils = [agency for agency in agencies if "council" in agency.name.lower()]
        if len(councils) == 1:  # "we rent from the council": the one council landlord
            return councils[0].id
    if answers.parse_yes_no(said) is True:
        named = set(re.findall(r"[a-z]+", said)) - _PLAIN_YES
        if not named:  # "yes", "yes I do": the one listed, or which?
            return agencies[0].id if len(agencies) == 1 else None
        return NO_LANDLORD  # "yes. sovereign": a landlord, not one listed
    if _NOT_A_PARTNERS_TENANT.search(said) or answers.parse_yes_no(said) is False:
        return NO_LANDLORD
    return None


# The resident saying, unasked, whose tenant they are or that they own their home. Only in
# the first person: "they rent from Citizen" is the neighbour's landlord, not theirs.
_OWN_HOME = re.compile(
    r"\b(?:i|we)\s+(?:have\s+)?(?:own|owned|bought)\s+(?:my|our|the|this)\s+(?:own\s+)?"
    r"(?:house|home|flat|bungalow|place|property|cottage)\b|"
    r"\b(?:i|we)\s*(?:'m|'re|am|are)\s+(?:a\s+)?(?:home\s?owners?|owner[- ]occupiers?)\b|"
    r"\b(?:i|we)\s+rent\s+(?:it\s+)?privately\b",
    re.IGNORECASE,
)
_TENANT_OF = re.compile(
    r"\b(?:i|we)\s*(?:'m|'re|am|are)\s+(?:a\s+)?(?P<of>[\w ]{2,30}?)\s+tenants?\b|"
    r"\b(?:my|our)\s+landlord\s+is\s+(?P<is>[\w ]{2,30})|"
    r"\b(?:i|we)\s+rent\s+(?:(?:my|our|the)\s+(?:house|home|flat|bungalow)\s+)?"
    r"(?:from|off)\s+(?P<from>[\w ]{2,30})",
    re.IGNORECASE,
)


def landlord_said(partnership: Partnership, text: str) -> str | None:
    """The landlord a message tells without being asked ("we own our house", "I'm a
    Citizen tenant"): the housing agency id, "none", or None when it does not say."""
    if _OWN_HOME.search(text):
        return NO_LANDLORD
    if match := _TENANT_OF.search(text):
        named = next(group for group in match.groups() if group)
        return choose_landlord(partnership, named)
    return None


class ActionAskLandlord(Action):
    def name(self) -> str:
        return "action_ask_landlord"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        names = [agency.name for agency in housing_agencies(partnership_of(tracker))]
        dispatcher.utter_message(
            text="Do you rent your home from one of these? If you do, we'll let your "
            "landlord know too.",
            buttons=[{"title": n, "payload": n} for n in [*names, _NOT_A_TENANT, _NOT_SURE]],
        )
        return []
