"""Whether the resident rents from a housing provider that is a partner agency, so the
landlord hears of the case (and may lead it). Asked only where the partnership has one."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.council_area import report_partnership
from actions.services import served_partnerships
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


def choose_landlord(partnership: Partnership, answer: str) -> str | None:
    """The housing agency id, "none" for no (or not sure), None when unclear."""
    said = answer.strip().lower()
    agencies = housing_agencies(partnership)
    if said.isdigit() and 1 <= int(said) <= len(agencies):  # an SMS reply "2"
        return agencies[int(said) - 1].id
    for agency in agencies:
        first_word = agency.name.lower().split()[0]
        if said and (said in agency.name.lower() or agency.id in said or first_word in said):
            return agency.id
    if said.startswith(("no", "not", "n/a", "private", "i own", "skip", "don't", "dont")):
        return NO_LANDLORD
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
