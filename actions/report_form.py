"""Validation of the report form: one question at a time, in plain English."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.council_area import area_candidates, choose_area, report_partnership, with_town
from actions.landlord import (
    NO_LANDLORD,
    choose_landlord,
    housing_agencies,
    landlord_said,
    partnership_of,
)
from actions.risk_question import asked_together, hate_unsure
from actions.services import served_partnerships
from bot.conversation import report_answers as answers
from bot.conversation import understanding
from bot.privacy.contact import (
    address_said,
    find_postcode,
    find_spoken_postcode,
    is_mobile,
    parse_email,
    parse_uk_phone,
)

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
_CONTACT_SLOTS: dict[str, tuple[str, ...]] = {
    "phone": ("contact_name", "contact_phone"),
    "sms": ("contact_name", "contact_phone"),
    "email": ("contact_name", "contact_email"),
    "letter": ("contact_name", "contact_address"),
    "none": (),
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


def _normalised_location(text: str, spoken: bool = False) -> str | None:
    """The place with its postcode formatted ("outside the Co-op, CV1 5DZ"), or None.
    `spoken`: a call's transcript, where "c v one five f b" is a postcode."""
    postcode = find_postcode(text)
    if postcode is None and spoken and (postcode := find_spoken_postcode(text)):
        street = understanding.find_place(text)  # the words of the postcode are no place
        return f"{street}, {postcode}" if street else postcode
    if postcode is None:
        return answers.parse_location(_LEAD_IN.sub("", text))
    pattern = r"\b" + r"\s*".join(postcode.split()) + r"\b"
    rest = _LEAD_IN.sub("", re.sub(pattern, "", text, flags=re.IGNORECASE)).strip(" ,.")
    return f"{rest}, {postcode}" if rest else postcode


# Words before a place that are no part of it: "it's CV2 4AB", "like I said, the Co-op".
_LEAD_IN = re.compile(
    r"^\W*(?:(?:it'?s|its|it is|it was|that'?s|that is|er+m?|um+|the postcode is|postcode(?: is)?|"
    r"(?:like |as )?i (?:said|told you|say))(?:\W+|$))+",
    re.IGNORECASE,
)


def _skipped(tracker: Tracker, text: str) -> bool:
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return intent == "skip" or answers.is_skip(text)


# Messages that are commands, not accounts: nothing is read from them.
_COMMANDS = {"ask_why", "stop", "start_again", "ask_human", "change_answer", "ask_who", "skip"}
# Asked for one by one, or chosen from a list: never filled from other answers.
_ONLY_WHEN_ASKED = {"council_area", "landlord", "contact_address", "consent_share",
                    "report_confirmed", "incident_description"}  # fmt: skip
# How many times a question is asked before the form moves on, and the answer it then
# sets. A detail of the way they chose (a number, an email, an address) asked three
# times without one the form can use: the report goes on without contact, which the
# read-back shows and "change my contact details" puts right.
MAX_ASKS = 3
_CONTACT_DETAIL_ASKS = ("contact_phone", "contact_email", "contact_address")
_MOVE_ON_TO: dict[str, tuple[str, str | None]] = {
    **{slot: (slot, answers.UNKNOWN) for slot in _BASE_SLOTS},
    "council_area": ("council_area", None),  # the served partnerships' default
    "landlord": ("landlord", NO_LANDLORD),
    "contact_name": ("contact_name", answers.SKIPPED),
    "contact_method": ("contact_method", "none"),
    **dict.fromkeys(_CONTACT_DETAIL_ASKS, ("contact_method", "none")),
}
_WITHOUT_CONTACT = (
    "Let's move on: I'll leave contact details out. If you want a reply, "
    'say "change my contact details" before you send the report.'
)
_MOVING_ON = {
    "any": "Let's move on. The team dealing with your report can ask you about that.",
    **dict.fromkeys(("contact_method", *_CONTACT_DETAIL_ASKS), _WITHOUT_CONTACT),
}
_SEND_IT_QUESTION = 'Shall I send your report? Say "yes" to send it, or tell me what to change.'
# A yes that goes on to put something right: "that's it, but the postcode is CV2 4AB".
_YES_BUT = re.compile(r"\b(?:but|except|apart from|although|only thing)\b", re.IGNORECASE)
# Words after a "yes, but" that add nothing for the partners ("yes but quick please").
_ONLY_MANNERS = re.compile(
    r"^(?:(?:please|pls|plz|thanks?|thank you|cheers|ta|quick(?:ly)?|hurry(?: up)?|asap|"
    r"be quick|send it|go on|ok|okay|mate|love|hun)\W*)*$",
    re.IGNORECASE,
)
_DONT_SHARE = re.compile(
    r"\b(?:don'?t|do not|not|no|without) shar|council only|keep it private", re.IGNORECASE
)
_CONTACT_DETAILS = {"contact_name", "contact_phone", "contact_email"}
_ANONYMOUS_ANSWER = (
    "Your name goes only to the agencies who deal with your report, in confidence. If you "
    'would rather not give it, say "no name" and I\'ll leave it out.'
)
# One way only, said with another answer: the way to keep them informed changes to it.
_ONLY_THIS_WAY = re.compile(
    r"\b(?:text|txt|e-?mail|letter|post|phone|call)s? only\b|"
    r"\bonly (?:by )?(?:text|txt|e-?mail|letter|post|phone|call)s?\b",
    re.IGNORECASE,
)
# A number other than the one they text or ring from: then it is asked for, not assumed.
_ANOTHER_NUMBER = re.compile(
    r"\b(?:not (?:on )?this (?:one|number|phone|mobile)|(?:another|a different|my other|"
    r"the other) (?:number|phone|mobile)|landline|(?:my|our|the) (?:work|shop|home|business|"
    r"office|house|husband'?s|wife'?s|partner'?s|mum'?s|dad'?s|son'?s|daughter'?s) "
    r"(?:mobile|phone|number|line)|"
    # someone else to be rung or texted: "ring my mum", "text my daughter instead"
    r"(?:ring|call|phone|text|contact) (?:my|our|her|his|their) (?:mum|mam|mom|dad|nan|nana|"
    r"grandad|husband|wife|partner|son|daughter|sister|brother|carer|aunt(?:ie)?|uncle|"
    r"friend|neighbour))\b",
    re.IGNORECASE,
)


def added_detail(text: str) -> str | None:
    """What a "yes, but ..." at the read-back adds that no field took ("yes but he had a
    red cap on"): the words after the "but", unless they are only manners."""
    match = _YES_BUT.search(text)
    if match is None:
        return None
    added = text[match.end() :].strip(" ,.;:-!")
    if len(added.split()) < 2 or _ONLY_MANNERS.match(added):
        return None
    return added


# A field is named in a few words ("the time", "where it was"); a longer reply at the
# read-back is more to say ("group of street drinkers on the benches..." names no field,
# though "street" is in it).
_FIELD_NAME_WORDS = 6


def _field_named(text: str, said_yes: bool | None) -> str | None:
    """The field a reply to the read-back names: a short reply ("the time", "where it
    was"), or the start of a longer one that says no ("no the time is wrong, it was ...")
    or of what follows a "yes, but" ("yes but the time was more like half eleven")."""
    if len(text.split()) <= _FIELD_NAME_WORDS:
        return answers.parse_field(text)
    start = text if said_yes is False else added_detail(text) if said_yes else None
    return answers.parse_field(" ".join(start.split()[:_FIELD_NAME_WORDS])) if start else None


def _described_with(tracker: Tracker, added: str) -> str:
    """What happened, with what the resident added at the read-back after it."""
    said = tracker.get_slot("incident_description") or ""
    return f"{said} (Added when confirming: {added})".strip()


def heard_in_latest_message(tracker: Tracker) -> Slots:
    """Report fields the resident's latest message gives besides the one asked for
    ("last night about 11 outside the Co-op" answers when and where): only for fields
    still empty, and never from a command or from an answer at the read-back
    (corrections are read there)."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    requested = tracker.get_slot("requested_slot")
    if intent in _COMMANDS or requested == "report_confirmed":
        return {}
    text = tracker.latest_message.get("text") or ""
    if answers.non_answer(text) is not None:
        return {}
    # Whether they feel targeted because of who they are is theirs to say: the safety
    # model's hate flag goes to the partners with the case, but is not their answer
    # ("someone keeps trying our front door" can score as race).
    heard = understanding.read_report(text, spoken=_spoken(tracker))
    if requested == "contact_method":  # read with the choice (_details_given)
        heard = {s: v for s, v in heard.items() if s not in _CONTACT_DETAILS}
    if requested == "targeted_identity":  # "Disability" says why, not who is at risk
        heard.pop("vulnerability", None)
    if requested in understanding.RISK_QUESTIONS:  # "all 32 residents are over 65": at risk
        heard.pop("people_involved", None)
    if "incident_location" in heard:
        heard["incident_location"] = with_town(
            served_partnerships(), heard["incident_location"], text
        )
    heard = {
        slot: value
        for slot, value in heard.items()
        if slot != requested and slot not in _ONLY_WHEN_ASKED and tracker.get_slot(slot) is None
    }
    chosen = tracker.get_slot("contact_method")
    if chosen and (only := _ONLY_THIS_WAY.search(text)):  # "Darren Cole, 0770..., text only"
        method = answers.parse_contact_method(only.group(0))
        if method and method != chosen:
            heard["contact_method"] = method
    if requested != "landlord" and tracker.get_slot("landlord") is None:
        partnership = report_partnership(
            served_partnerships(),
            heard.get("incident_location") or tracker.get_slot("incident_location"),
            tracker.get_slot("council_area"),
        )
        if housing_agencies(partnership) and (landlord := landlord_said(partnership, text)):
            heard["landlord"] = landlord  # shown in the read-back, where it can be changed
    return heard


# Questions a plain "no" answers: a reply starting "nah, but ..." is their answer.
_YES_OR_NO = frozenset({
    "targeted_identity", "vulnerability", "previous_incidents", "landlord", "people_involved",
    "impact",
})  # fmt: skip


def correction_of_answers(tracker: Tracker, text: str) -> Slots:
    """What a correction changes of the answers given so far (`read_correction` with the
    place, name, who and when already in the report)."""
    return understanding.read_correction(
        text,
        tracker.get_slot("incident_location"),
        tracker.get_slot("contact_name"),
        tracker.get_slot("people_involved"),
        tracker.get_slot("incident_time"),
    )


def corrections_in_latest_message(tracker: Tracker) -> Slots:
    """Earlier answers the latest message corrects while the form asks something else
    ("actually it was Tuesday"): only answers already given."""
    requested = tracker.get_slot("requested_slot")
    if requested in (None, "report_confirmed"):
        return {}
    text = tracker.latest_message.get("text") or ""
    changes = understanding.correction_in(
        text, tracker.get_slot("incident_location"), asked_yes_or_no=requested in _YES_OR_NO
    )
    return {
        slot: value
        for slot, value in changes.items()
        if slot != requested and _answered_before(tracker, slot)
    }


def _answer_part(value: str) -> str:
    """An answer without a question about the form asked beside it ("the school. do u
    need the proper address?": "the school.") or the correction of an earlier answer
    that follows it ("about 6 of them. Oh and it's Portland Road, not Portland Street")."""
    value = answers.without_questions_back(value)
    split = understanding.split_correction(value)
    return split[0] if split and understanding.correction_in(split[1]) else value


def _answered_before(tracker: Tracker, slot: str) -> bool:
    """Whether `slot` held an answer before the latest message (slots set while this
    message is read do not count)."""
    value_before, value = None, None
    for event in tracker.events:
        if event.get("event") == "user":
            value_before = value
        elif event.get("event") == "slot" and event.get("name") == slot:
            value = event.get("value")
    return value_before is not None


_DETAIL_WORDS = re.compile(
    r"\b(?:and )?(?:my |the )?(?:e-?mail(?: address)?|mobile|phone|number)(?: number)?"
    r"(?: is|'s)?\b|\S+@\S+|\+?\d[\d ()-]{7,}\d",
    re.IGNORECASE,
)


def _method_from_details(text: str, tracker: Tracker) -> str | None:
    """The contact method a detail implies, when no method is named: an email address
    means email, a mobile number a text, another number a call; a name alone, from a
    resident who is texting or ringing, a text or a call back to the number they use."""
    if parse_email(text):
        return "email"
    if phone := understanding.find_phone(text):
        return "sms" if is_mobile(phone) else "phone"
    if _sender_phone(tracker) and _only_a_name(text):
        return "phone" if _spoken(tracker) else "sms"
    return None


_TIME_FILLERS = re.compile(
    r"\b(?:bout|about|around|roughly|approx\w*|ish|at|like|maybe|think|it|was|i|on|the|in|"
    r"just|gone|after|before|o'?clock|oclock|nite|night|morning|evening|afternoon|and)\b",
    re.IGNORECASE,
)


def _only_a_time(text: str) -> bool:
    """Nothing in the answer but a time ("last nite bout 9", "yesterday evening")."""
    rest = _TIME_FILLERS.sub(" ", understanding.without_time_phrases(text))
    return not re.search(r"[a-z]{3,}", rest, re.IGNORECASE)


def _details_in(text: str) -> Slots:
    """An email address or phone number given with a name."""
    found: Slots = {}
    if email := parse_email(text):
        found["contact_email"] = email
    if phone := understanding.find_phone(text):
        found["contact_phone"] = phone
    return found


_NOT_NAME_WORDS = re.compile(
    r"\b(?:text|txt|texts|call|ring|phone|e-?mail|email|letter|write|me|on|at|by|to|please|"
    r"is|my|and|or|via|message|mobile|number|best|fine|thanks|thank you|you can|can|it|its|"
    r"it'?s|the|one|this|that|a|an|i|we|our|use|just|only|good|ok|okay|here|for)\b",
    re.IGNORECASE,
)


def _name_given(text: str) -> str | None:
    """A name said with the contact choice: "I'm Sam", or beside a detail ("Sam,
    07911 123456", "email jo@example.com - Jo Bloggs")."""
    if name := understanding.find_name(text):
        return name
    if not _details_in(text):
        return _only_a_name(text)
    # The part beside the detail that is only a name ("Harold Bentley, 07700 900561. It
    # is a mobile my grandson set up" gives Harold Bentley); of several, one written as a
    # name is ("put nan, Pauline Hardy, but ring my mum, 07700 900913" gives Pauline Hardy).
    parts = []
    for part in re.split(r"[,.;:\n]| - ", _without_details(text)):
        rest = _NOT_NAME_WORDS.sub(" ", _SAID_WITH_A_NAME.sub(" ", part)).strip(" -")
        if rest and len(rest.split()) <= 3 and re.fullmatch(r"[^\W\d_][\w' -]*", rest):
            parts.append(rest)
    written_as_a_name = [p for p in parts if all(w[0].isupper() for w in p.split())]
    chosen = written_as_a_name or parts
    return answers.parse_name(chosen[0]) if chosen else None


# Said with a name on the phone: its spelling ("doughty d o u g h t y") and who the caller
# is to the one it happened to ("i'm his neighbour").
_SAID_WITH_A_NAME = re.compile(
    r"\b(?:[a-z] ){2,}[a-z]\b|\b(?:i'?m|i am) (?:his|her|their|the) [a-z]+\b", re.IGNORECASE
)
# An address given already, as the place: "same as I gave you", "the address above".
_SAME_PLACE = re.compile(
    r"\b(?:same (?:as|address|place|one)|as (?:i said|before|above)|(?:i )?(?:gave|said|told) "
    r"(?:you )?(?:before|already|earlier)|the address (?:i gave|above|you have)|that address|"
    r"where it'?s? (?:is )?happening)\b",
    re.IGNORECASE,
)
# A name withheld: "anonymous", "no name", "none".
_NO_NAME = re.compile(
    r"^\W*(?:anon|anonymous|anonymously|no name|none|no|nah|not giving (?:it|my name)|"
    r"leave it (?:out|blank)|i'?d rather not)\W*$",
    re.IGNORECASE,
)
_NOT_A_NAME_ALONE = re.compile(
    r"\b(?:that|this|yes|yeah|no|ok|okay|fine|please|thanks|number|same|one|it|the|use|me|"
    r"my|sure|text|call|phone|telephone|email|letter|post|anonymous|help|skip)\b",
    re.IGNORECASE,
)


def _only_a_name(text: str) -> str | None:
    """A reply that is only a name ("Dee", "Harold Smith")."""
    cleaned = text.strip(" .,!")
    words = cleaned.split()
    if not 1 <= len(words) <= 3 or _NOT_A_NAME_ALONE.search(cleaned):
        return None
    if answers.parse_contact_method(cleaned) is not None:
        return None  # "txt", "email": a choice, not a name
    if not all(re.fullmatch(r"[^\W\d_][\w'-]*", word) for word in words):
        return None
    return answers.parse_name(cleaned)


def _without_details(text: str) -> str:
    return _DETAIL_WORDS.sub(" ", text).strip(" ,.;-")


def _away_from_home(tracker: Tracker) -> bool:
    """A report only about a public place (a park, a bus stop, a town centre): the
    resident's landlord has no part in it, so they are not asked who it is. Anything
    said of their home or neighbours, anywhere in the report, and they are asked."""
    said = (tracker.get_slot(slot) for slot in ("incident_description", "incident_location",
                                                 "people_involved", "impact"))  # fmt: skip
    return understanding.only_in_public(" ".join(s for s in said if isinstance(s, str)))


def _spoken(tracker: Tracker) -> bool:
    return bool(tracker.get_latest_input_channel() == "voice")


def _sender_phone(tracker: Tracker) -> str | None:
    """The number a text or call came from (metadata from the gateway), so a resident who
    wants to be texted or rung back is not asked for it."""
    metadata = tracker.latest_message.get("metadata") or {}
    sender = metadata.get("sender_phone")
    return parse_uk_phone(sender) if isinstance(sender, str) else None


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

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """What the latest message says besides the answer asked for; each value then goes
        through the same validation as an answer (`validate_<slot>`)."""
        events = await super().get_extraction_events(dispatcher, tracker, domain)
        heard = {**heard_in_latest_message(tracker), **corrections_in_latest_message(tracker)}
        return [*events, *(SlotSet(slot, value) for slot, value in heard.items())]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Never a loop: a question the resident has answered three times without an
        answer the form can use is left for the team to ask about (or, for a list, the
        partnership's default), and the form moves on."""
        events: list[EventType] = await super().get_validation_events(dispatcher, tracker, domain)
        slot = tracker.get_slot("requested_slot")
        answered = slot in tracker.slots_to_validate()
        if (
            answered
            and slot in _MOVE_ON_TO
            and tracker.get_slot(slot) is None
            and _times_asked(tracker, slot) >= MAX_ASKS
        ):
            dispatcher.utter_message(text=_MOVING_ON.get(slot, _MOVING_ON["any"]))
            moved, value = _MOVE_ON_TO[slot]
            events.append(SlotSet(moved, value or served_partnerships().default_id))
        return events

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        method = tracker.get_slot("contact_method")
        wanted = _CONTACT_SLOTS.get(method, ()) if method else ()
        # Details said before the way is chosen ("hi, I'm Daniel, 07911 152840, ..."):
        # validation drops a slot the form does not require, and they would be asked again.
        given = [s for s in sorted(_CONTACT_DETAILS) if s not in wanted and tracker.get_slot(s)]
        contact = [*wanted, *given]
        base = list(_BASE_SLOTS)
        if hate_unsure(tracker):
            base.remove("targeted_identity")
            base.insert(base.index("incident_description") + 1, "targeted_identity")
        served = served_partnerships()
        if area_candidates(served, tracker.get_slot("incident_location")):
            base.insert(base.index("incident_location") + 1, "council_area")
        if (
            tracker.get_slot("incident_location")
            and housing_agencies(partnership_of(tracker))
            and not _away_from_home(tracker)
        ):
            base.insert(base.index("contact_method"), "landlord")
        # Consent to share is asked with the read-back (actions/report_summary.py).
        return [*base, *contact, "report_confirmed"]

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
        if answers.non_answer(value) == "unknown":  # "dunno": as "not sure"
            return {"council_area": served.default_id}
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
        value = _answer_part(value)
        return self._not_an_answer(slot, value, dispatcher, tracker) or {slot: value.strip()}

    def _not_an_answer(
        self, slot: str, value: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Slots | None:
        """The slot's value when `value` is no answer (None when it may be one): never the
        words themselves. Not knowing is "unknown" (after one friendlier ask with an
        example, for a question the report needs); a question back gets the reason and
        the question again; keyboard mash or a lone emoji, "sorry, I didn't catch that"."""
        asked_now = slot == tracker.get_slot("requested_slot")
        corrected = corrections_in_latest_message(tracker) if asked_now else {}
        if corrected and slot not in corrected:
            # "actually the postcode is CV2 4AB" while asked something else: the earlier
            # answer changes (get_extraction_events), and this question is asked again,
            # unless the message answered it before correcting (`_answer_part`).
            dispatcher.utter_message(text="Thanks, I've changed that.")
            if value.strip() == (tracker.latest_message.get("text") or "").strip():
                return {slot: None}
        kind = answers.non_answer(value)
        if kind is None:
            latest = tracker.latest_message.get("text") or ""
            if asked_now and answers.asks_why_beside(latest):
                dispatcher.utter_message(response=f"utter_why_{slot}")
            return None
        if not asked_now:
            # Read from an answer to another question ("I don't know his name, he lives
            # alone"): not an answer to this one, which is asked in its turn.
            return {slot: None}
        if kind == "query":
            dispatcher.utter_message(response=f"utter_why_{slot}")
            return {slot: None}
        if kind == "unreadable":
            dispatcher.utter_message(text="Sorry, I didn't catch that.")
            return {slot: None}
        if kind == "repeat":
            return {slot: None}  # the form asks it again
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
        value = _answer_part(value)
        unclear = self._not_an_answer("incident_description", value, dispatcher, tracker)
        if unclear is not None:
            return unclear
        if len(value.strip()) < 3:
            dispatcher.utter_message(text="Please tell me a little more about what happened.")
            return {"incident_description": None}
        return {"incident_description": value.strip()}

    async def validate_incident_time(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if _skipped(tracker, value):
            return self._required_skip("incident_time", dispatcher)
        value = _answer_part(value)
        unclear = self._not_an_answer("incident_time", value, dispatcher, tracker)
        if unclear is not None:
            return unclear
        # Only the time, when the answer also says where ("last night outside the Co-op").
        said_when = understanding.find_when(value)
        found_both = said_when and understanding.find_place(value)
        parsed = said_when if found_both else answers.parse_time(value)
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
        value = _answer_part(value)
        unclear = self._not_an_answer("incident_location", value, dispatcher, tracker)
        if unclear is not None:
            return unclear
        said_where = understanding.find_place(value, landmark_alone=True)
        said_when = understanding.find_when(value)
        if said_when and not said_where and not find_postcode(value) and _only_a_time(value):
            # The answer to another question ("last night about 9"): kept there, and where
            # is asked again.
            dispatcher.utter_message(text="Thank you. And where did it happen?")
            earlier = {} if tracker.get_slot("incident_time") else {"incident_time": said_when}
            return {"incident_location": None, **earlier}
        location = _normalised_location(
            said_where if said_where and said_when else value, spoken=_spoken(tracker)
        )
        if location is None:
            dispatcher.utter_message(
                text="I couldn't recognise that as a place. Please give a UK postcode, "
                "like CV1 5FB, or a street name or landmark."
            )
            return {"incident_location": None}
        # The town named beside it, or (a corrected street) the one named before.
        location = with_town(served_partnerships(), location, value)
        location = with_town(
            served_partnerships(), location, tracker.get_slot("incident_location") or ""
        )
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
        if not _skipped(tracker, value):
            together = self._risk_answers("vulnerability", value, dispatcher, tracker, domain)
            if together is not None:
                return together
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
        together = self._risk_answers("targeted_identity", value, dispatcher, tracker, domain)
        if together is not None:
            return together
        strand = answers.parse_targeted_identity(value)
        unclear = (
            None if strand else self._not_an_answer("targeted_identity", value, dispatcher, tracker)
        )
        if unclear is not None:
            return unclear
        if strand is None:
            # Their own words count: a hate incident is one the victim perceives as such.
            return {"targeted_identity": value.strip()}
        self._hate_said(strand, dispatcher)
        return {"targeted_identity": strand}

    def _risk_answers(
        self,
        slot: str,
        value: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Slots | None:
        """A reply to risk questions asked together, `slot` among them: the answers it
        gives (the ones it leaves are asked on their own); None when `slot` was asked
        alone or the reply answers none of them."""
        asked = asked_together(tracker, domain)
        if slot not in asked:
            return None
        if found := understanding.read_risk_answers(value, asked):
            self._hate_said(found.get("targeted_identity"), dispatcher)
            return {slot: None, **found}
        if answers.parse_yes_no(value) is True:
            dispatcher.utter_message(text="Thank you. I'll take them one at a time.")
            return {slot: None}
        return None

    @staticmethod
    def _hate_said(strand: str | None, dispatcher: CollectingDispatcher) -> None:
        if strand in answers.HATE_STRAND_WORDS:
            dispatcher.utter_message(
                text="Thank you for telling me. This will be treated as a hate incident and "
                "the police will be involved."
            )

    async def validate_contact_method(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        method = answers.parse_contact_method(value) or _method_from_details(value, tracker)
        if method is None and answers.asks_if_anonymous(value):
            dispatcher.utter_message(text=_ANONYMOUS_ANSWER)
            return {"contact_method": None}
        if method is None:
            name = _only_a_name(value)
            dispatcher.utter_message(
                text=(f"Thank you, {name}. " if name else "")
                + "Please choose phone call, text message, email, letter, or no contact."
            )
            return {"contact_method": None, **({"contact_name": name} if name else {})}
        if method == "none":  # anonymous: a name or number said earlier is not kept
            dispatcher.utter_message(
                text="You can report anonymously. But then nobody can reply to you, acknowledge "
                "your report or tell you what happens. If you change your mind, say "
                '"change my contact details".'
            )
            return {"contact_method": method, **dict.fromkeys(_CONTACT_DETAILS)}
        return {"contact_method": method, **self._details_given(method, value, dispatcher, tracker)}

    def _details_given(
        self, method: str, value: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Slots:
        """Contact details said with the choice ("text me, I'm Sam"), and the number a
        text or call came from when they want a text or a call back."""
        wanted = _CONTACT_SLOTS.get(method, ())
        found: Slots = {
            slot: tracker.get_slot(slot)
            or {
                "contact_name": _name_given,
                "contact_phone": understanding.find_phone,
                "contact_email": parse_email,
            }[slot](value)
            for slot in _CONTACT_DETAILS
            if slot in wanted
        }
        if "contact_address" in wanted and not tracker.get_slot("contact_address"):
            # Their home, when the place they gave was it (confirmed in the read-back).
            location = tracker.get_slot("incident_location") or ""
            found["contact_address"] = understanding.home_address(location)
        if "contact_phone" in wanted and not found.get("contact_phone"):
            sender = None if _ANOTHER_NUMBER.search(value) else _sender_phone(tracker)
            if sender:
                found["contact_phone"] = sender
                if tracker.get_latest_input_channel() == "voice":
                    # A text shows it in the read-back; a caller hears it said.
                    dispatcher.utter_message(
                        text="I'll use the number you're calling from. You can change it "
                        "before you send the report."
                    )
        return {slot: value for slot, value in found.items() if value}

    async def validate_contact_name(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if value == answers.SKIPPED or _skipped(tracker, value) or _NO_NAME.match(value):
            return {"contact_name": answers.SKIPPED}
        if (kind := answers.non_answer(value)) is not None:
            if kind == "unknown":
                return {"contact_name": answers.SKIPPED}
            if kind == "repeat":
                return {"contact_name": None}
            dispatcher.utter_message(response="utter_why_contact_name")
            return {"contact_name": None}
        # Asked with the detail the method needs: "Sam Taylor, sam@example.com".
        details = _details_in(value)
        name = _name_given(value)
        if name is None and "?" in value:  # "is this anonymous?": a question, no name
            if answers.asks_if_anonymous(value) or "anonym" in value.lower():
                dispatcher.utter_message(text=_ANONYMOUS_ANSWER)
            else:
                dispatcher.utter_message(response="utter_why_contact_name")
            return {"contact_name": None, **details}
        name = name or (None if details else answers.parse_name(value))
        if name is None:
            dispatcher.utter_message(text="Please tell me a name we can use. A first name is fine.")
        return {"contact_name": name, **details}

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
        address = value.strip()
        place = tracker.get_slot("incident_location")
        if _SAME_PLACE.search(address) and isinstance(place, str) and re.search(r"\d", place):
            # "same as I gave you before, that's my house": the place, house number and all
            # (a postcode the partners can look up when it was not given).
            return {"contact_address": place}
        if find_postcode(address) is None and _spoken(tracker):
            address = address_said(address) or address
        if find_postcode(address) is None or len(address) < 8:
            dispatcher.utter_message(
                text="Please give the full address, including the house number and postcode."
            )
            return {"contact_address": None}
        return {"contact_address": address}

    async def validate_report_confirmed(
        self, value: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        """Yes sends it (and consents to sharing, which the read-back explains); "send,
        but don't share it" sends it without; a correction in plain words ("no, it was
        Tuesday", "the postcode is CV2 4AB", "take my name off it") changes that answer
        and reads the report back again; anything else asks what to change."""
        said_yes = answers.read_back_yes_no(value)
        if _DONT_SHARE.search(value) and said_yes is not False:
            return {"report_confirmed": "yes", "consent_share": "no"}
        if said_yes is True and not _YES_BUT.search(value):
            return {"report_confirmed": "yes", "consent_share": "yes"}
        changes = correction_of_answers(tracker, value)
        if changes:
            slots = await self._changed(changes, dispatcher, tracker, domain)
            dispatcher.utter_message(text="Thanks, I've changed that.")
            return {"report_confirmed": None, "report_field": None, **slots}
        field = tracker.get_slot("report_field") or _field_named(value, said_yes)
        cleared = answers.CHANGEABLE_FIELDS.get(field or "")
        if cleared:
            dispatcher.utter_message(text="OK, let's change that.")
            return {"report_confirmed": None, "report_field": None, **dict.fromkeys(cleared)}
        if said_yes is True:  # "yes but quick please": nothing to change
            sent: Slots = {"report_confirmed": "yes", "consent_share": "yes"}
            if added := added_detail(value):  # "yes but he had a red cap on": kept
                sent["incident_description"] = _described_with(tracker, added)
            return sent
        if said_yes is None and len(value.split()) > _FIELD_NAME_WORDS:  # more to say
            if value.strip() in (tracker.get_slot("incident_description") or ""):
                # The same words again, added once already: the yes or no is what is due.
                dispatcher.utter_message(text=_SEND_IT_QUESTION)
                return {"report_confirmed": None, "report_field": None}
            dispatcher.utter_message(text="Thanks, I've added that to what happened.")
            return {
                "report_confirmed": None,
                "report_field": None,
                "incident_description": _described_with(tracker, value.strip()),
            }
        dispatcher.utter_message(response="utter_ask_which_field")
        return {"report_confirmed": None, "report_field": None}

    async def _changed(
        self, changes: Slots, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        """Each corrected answer through its own validation, as if it had been asked."""
        slots: Slots = {}
        for slot, value in changes.items():
            validate = getattr(self, f"validate_{slot}")
            slots.update(await validate(value, dispatcher, tracker, domain))
        if "incident_location" in slots:
            slots.setdefault("council_area", None)  # the new place may lie in another area
        return slots
