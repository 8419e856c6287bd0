"""Validation of the report form: one question at a time, in plain English."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.council_area import area_candidates, choose_area, report_partnership
from actions.landlord import NO_LANDLORD, choose_landlord, housing_agencies, partnership_of
from actions.services import served_partnerships
from bot import report_answers as answers
from bot.contact import find_postcode, parse_email, parse_uk_phone

_BASE_SLOTS = [
    "incident_description",
    "incident_time",
    "incident_location",
    "people_involved",
    "impact",
    "targeted_identity",
    "vulnerability",
    "previous_incidents",
    "contact_method",
]
_CONTACT_SLOTS = {
    "phone": ["contact_name", "contact_phone"],
    "sms": ["contact_name", "contact_phone"],
    "email": ["contact_name", "contact_email"],
    "letter": ["contact_name", "contact_address"],
    "none": [],
}
Slots = dict[str, Any]

# Questions a resident may not know the answer to: "dunno" is stored as "unknown" at once.
_MAY_BE_UNKNOWN = {
    "incident_time", "people_involved", "impact", "vulnerability", "previous_incidents",
}  # fmt: skip
# For the others, one friendlier ask with an example of a good answer first.
_EXAMPLES = {
    "incident_description": 'For example: "Loud music from number 12 every night until 3am."',
    "incident_location": 'For example "CV1 5FB", "Spon Street" or "outside the Co-op on Far '
    'Gosford Street".',
}


def _normalised_location(text: str) -> str | None:
    """The place with its postcode formatted ("outside the Co-op, CV1 5DZ"), or None."""
    postcode = find_postcode(text)
    if postcode is None:
        return answers.parse_location(text)
    pattern = r"\b" + r"\s*".join(postcode.split()) + r"\b"
    rest = re.sub(pattern, "", text, flags=re.IGNORECASE).strip(" ,.")
    return f"{rest}, {postcode}" if rest else postcode


def _hate_unsure(tracker: Tracker) -> bool:
    """The gateway's safety model could not tell whether a message of this report was a
    hate incident (metadata ``hate_question``): the form then asks whether they were
    targeted because of who they are straight after what happened, not late in the form."""
    return any(
        (event.get("metadata") or {}).get("hate_question")
        for event in tracker.events
        if event.get("event") == "user"
    )


def _skipped(tracker: Tracker, text: str) -> bool:
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return intent == "skip" or answers.is_skip(text)


def _also_said(description: str, tracker: Tracker) -> Slots:
    """When and where, if the resident's account already says so ("14 Spon Street CV1
    5FB ... till 3am every night this week"): the form does not ask again, and the
    read-back shows them for correction."""
    found: Slots = {}
    if not tracker.get_slot("incident_time") and (when := answers.find_when(description)):
        found["incident_time"] = when
    if not tracker.get_slot("incident_location"):
        street = answers.find_street_address(description)
        postcode = find_postcode(description)
        place = ", ".join(p for p in (street, postcode) if p)
        if place:
            found["incident_location"] = place
    return found


def _times_asked(tracker: Tracker, slot: str) -> int:
    """How often the form has asked for `slot` in this report (each ask sets
    requested_slot)."""
    return sum(
        1
        for event in tracker.events
        if event.get("event") == "slot"
        and event.get("name") == "requested_slot"
        and event.get("value") == slot
    )


class ValidateReportForm(FormValidationAction):
    def name(self) -> str:
        return "validate_report_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        method = tracker.get_slot("contact_method")
        contact = _CONTACT_SLOTS.get(method, []) if method else []
        base = list(_BASE_SLOTS)
        if _hate_unsure(tracker):
            base.remove("targeted_identity")
            base.insert(base.index("incident_description") + 1, "targeted_identity")
        served = served_partnerships()
        if area_candidates(served, tracker.get_slot("incident_location")):
            base.insert(base.index("incident_location") + 1, "council_area")
        if tracker.get_slot("incident_location") and housing_agencies(partnership_of(tracker)):
            base.insert(base.index("contact_method"), "landlord")
        return [*base, *contact, "consent_share", "report_confirmed"]

    async def validate_landlord(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if _skipped(tracker, value):
            return {"landlord": NO_LANDLORD}
        landlord = choose_landlord(partnership_of(tracker), value)
        if landlord is None:
            dispatcher.utter_message(text="Please choose your landlord from the list, or say no.")
        return {"landlord": landlord}

    async def validate_council_area(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        served = served_partnerships()
        candidates = area_candidates(served, tracker.get_slot("incident_location"))
        chosen = choose_area(served, value, candidates)
        if chosen is None:
            dispatcher.utter_message(
                text="Please choose one of the council areas, or say not sure."
            )
        return {"council_area": chosen}

    def _optional(
        self, slot: str, value: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Slots:
        if _skipped(tracker, value):
            return {slot: answers.SKIPPED}
        return self._not_an_answer(slot, value, dispatcher, tracker) or {slot: value.strip()}

    def _not_an_answer(
        self, slot: str, value: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Slots | None:
        """The slot's value when `value` is no answer (None when it may be one): never the
        words themselves. Not knowing is "unknown" (after one friendlier ask with an
        example, for a question the report needs); a question back gets the reason and
        the question again; keyboard mash or a lone emoji, "sorry, I didn't catch that"."""
        kind = answers.non_answer(value)
        if kind is None:
            return None
        if kind == "query":
            dispatcher.utter_message(response=f"utter_why_{slot}")
            return {slot: None}
        if kind == "unreadable":
            dispatcher.utter_message(text="Sorry, I didn't catch that.")
            return {slot: None}
        if slot in _MAY_BE_UNKNOWN or _times_asked(tracker, slot) > 1:
            return {slot: answers.UNKNOWN}
        dispatcher.utter_message(
            text="That's fine, a rough idea is enough. " + _EXAMPLES.get(slot, "")
        )
        return {slot: None}

    def _required_skip(self, slot: str, dispatcher: CollectingDispatcher) -> Slots:
        dispatcher.utter_message(text="I need this one to deal with your report.")
        return {slot: None}

    async def validate_incident_description(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if _skipped(tracker, value):
            return self._required_skip("incident_description", dispatcher)
        unclear = self._not_an_answer("incident_description", value, dispatcher, tracker)
        if unclear is not None:
            return unclear
        if len(value.strip()) < 3:
            dispatcher.utter_message(text="Please tell me a little more about what happened.")
            return {"incident_description": None}
        return {"incident_description": value.strip(), **_also_said(value, tracker)}

    async def validate_incident_time(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if _skipped(tracker, value):
            return self._required_skip("incident_time", dispatcher)
        unclear = self._not_an_answer("incident_time", value, dispatcher, tracker)
        if unclear is not None:
            return unclear
        parsed = answers.parse_time(value)
        if parsed is None:
            dispatcher.utter_message(
                text="Please give a day or time, even roughly, or say it's happening now."
            )
        return {"incident_time": parsed}

    async def validate_incident_location(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if _skipped(tracker, value):
            return self._required_skip("incident_location", dispatcher)
        unclear = self._not_an_answer("incident_location", value, dispatcher, tracker)
        if unclear is not None:
            return unclear
        location = _normalised_location(value)
        if location is None:
            dispatcher.utter_message(
                text="I couldn't recognise that as a place. Please give a UK postcode, "
                "like CV1 5FB, or a street name or landmark."
            )
            return {"incident_location": None}
        slots: Slots = {"incident_location": location}
        # A corrected place may belong to another partnership, whose landlords differ.
        landlord = tracker.get_slot("landlord")
        if landlord not in (None, NO_LANDLORD):
            partnership = report_partnership(served_partnerships(), location, None)
            if landlord not in {agency.id for agency in housing_agencies(partnership)}:
                slots["landlord"] = None
        return slots

    async def validate_people_involved(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        return self._optional("people_involved", value, dispatcher, tracker)

    async def validate_impact(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        return self._optional("impact", value, dispatcher, tracker)

    async def validate_vulnerability(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        return self._optional("vulnerability", value, dispatcher, tracker)

    async def validate_previous_incidents(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        return self._optional("previous_incidents", value, dispatcher, tracker)

    async def validate_targeted_identity(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if _skipped(tracker, value):
            return {"targeted_identity": answers.SKIPPED}
        strand = answers.parse_targeted_identity(value)
        if strand is None:
            # Their own words count: a hate incident is one the victim perceives as such.
            return {"targeted_identity": value.strip()}
        if strand in answers.HATE_STRAND_WORDS:
            dispatcher.utter_message(
                text="Thank you for telling me. This will be treated as a hate incident and "
                "the police will be involved."
            )
        return {"targeted_identity": strand}

    async def validate_contact_method(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        method = answers.parse_contact_method(value)
        if method is None:
            dispatcher.utter_message(
                text="Please choose phone call, text message, email, letter, or no contact."
            )
            return {"contact_method": None}
        if method == "none":
            dispatcher.utter_message(
                text="You can report anonymously. But then nobody can reply to you, acknowledge "
                "your report or tell you what happens. If you change your mind, say "
                '"change my contact details".'
            )
        return {"contact_method": method}

    async def validate_contact_name(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        name = answers.parse_name(value)
        if name is None:
            dispatcher.utter_message(text="Please tell me a name we can use. A first name is fine.")
        return {"contact_name": name}

    async def validate_contact_phone(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        phone = parse_uk_phone(value)
        if phone is None:
            dispatcher.utter_message(
                text="That doesn't look like a UK phone number. Please type it with the area "
                "code, for example 07911 123456 or 024 7683 1234."
            )
        return {"contact_phone": phone}

    async def validate_contact_email(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        email = parse_email(value)
        if email is None:
            dispatcher.utter_message(
                text="That doesn't look like an email address. Please check it, for example "
                "name@example.com."
            )
        return {"contact_email": email}

    async def validate_contact_address(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if find_postcode(value) is None or len(value.strip()) < 8:
            dispatcher.utter_message(
                text="Please give the full address, including the house number and postcode."
            )
            return {"contact_address": None}
        return {"contact_address": value.strip()}

    async def validate_consent_share(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        consent = answers.parse_yes_no(value)
        if consent is None:
            dispatcher.utter_message(text="Please answer yes or no.")
            return {"consent_share": None}
        return {"consent_share": "yes" if consent else "no"}

    async def validate_report_confirmed(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if answers.parse_yes_no(value) is True:
            return {"report_confirmed": "yes"}
        field = tracker.get_slot("report_field") or answers.parse_field(value)
        slots = answers.CHANGEABLE_FIELDS.get(field or "")
        if slots:
            dispatcher.utter_message(text="OK, let's change that.")
            return {"report_confirmed": None, "report_field": None, **dict.fromkeys(slots)}
        dispatcher.utter_message(response="utter_ask_which_field")
        return {"report_confirmed": None, "report_field": None}
