"""Starting a report: a resident who opens with what happened is not asked it again."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.safety.triage import triage

# Shorter than this and it is more likely "I want to report something" than a description.
_MIN_DESCRIPTION_WORDS = 5
# "I'd like to report ..." before an account: the account is what counts.
_ASKING_TO_REPORT = re.compile(
    # a greeting in any words first ("hello sat sri akal, ", "Salaam. ")
    r"^\W*(?:(?:hi|hello|hiya|good (?:morning|afternoon|evening))\b[^.,!?]{0,20}[.,!?]+)?[\s,!.]*"
    r"(?:i'?d like to|i would like to|i want to|i wanna|i need to|can i|i wish to|"
    r"i'?m (?:writing|texting|calling|ringing) to|"
    r"want to|wanna)?\s*(?:report|complain about|make a (?:report|complaint)(?: about)?)\s*"
    r"(?:some |an? )?(?:anti-?social behaviou?r|asb|antisocial behaviou?r|problem|issue|"
    r"something)?\s*(?:about|with|from|of)?",
    re.IGNORECASE,
)


# A wish to report, or a subject that is one, even with no account yet.
_WANTS_TO_REPORT = re.compile(
    r"\b(report|complain|complaint|concern|problem|issue|trouble|nuisance|asb|anti-?social|"
    r"noise|noisy|music|party|parties|neighbou?rs?|dogs?|barking|fouling|parking|parked|"
    r"drugs?|dealing|graffiti|rubbish|litter|fly-?tipping|dumped|youths|kids|teenagers|"
    r"motorbikes?|scramblers?|harass\w*|abuse|abusive|threat\w*|vandal\w*|damage)\b",
    re.IGNORECASE,
)


# Words that ask, greet or name a topic, not an event: "Hello, I want to complain about
# my neighbours please" tells nothing that happened.
_NOT_AN_EVENT = re.compile(
    r"^(?:hi|hiya|hey+|hello|good|morning|afternoon|evening|dear|sir|madam|please|pls|plz|"
    r"thanks|thank|you|u|i|im|i'?m|i'?d|we|my|our|me|us|a|an|the|to|of|in|on|at|for|with|"
    r"about|regarding|re|want|wanna|would|should|like|need|can|could|do|does|how|who|what|"
    r"where|is|are|it|this|that|there|have|has|got|report|reporting|complain|complaint|"
    r"make|made|tell|help|some|sum1|someone|something|problem|problems|issue|issues|"
    r"trouble|concern|matter|anti-?social|antisocial|behaviou?r|asb|nuisance|neighbou?rs?|"
    r"next|door|road|street|area|estate|flat|house|council|police|right|place|just|really|"
    r"again|bit|ongoing|bothering|sorry|know|if|or|and|so|be|not|any|one|there'?s|here|"
    r"isn'?t|it'?s|its|non|emergency|urgent|serious|way|okay|ok|this|online|chat|"
    # how they can talk with us, not what happened: "Hello. Me deaf. Chat only, phone no."
    r"only|phone|fone|text|txt|texting|e-?mail|call|calling|ring|speak|talk|talking|typing|"
    r"type|typ|slow|slowly|deaf|blind|hearing|bsl|sign|signing|interpreter|english|language|"
    # fillers, endearments and hurry, as said on the phone: "i hiya pet its aboot the fella
    # next door", "yeah im on my break so ill be quick"
    r"yeah|yep|yes|um+|er+m?|uh|like|love|pet|duck|hun|hon|mate|pal|fella|bloke|guy|aboot|"
    r"boot|break|quick|quickly|ill|i'll|abt|bout)$",
    re.IGNORECASE,
)
_MIN_EVENT_WORDS = 3
# A question this short asks about reporting rather than telling what happened.
_MIN_QUESTION_WORDS = 10


def account_in(text: str) -> bool:
    """Whether the opening message tells what happened, beyond asking to report or
    greeting: enough words, three of them about an event."""
    rest = _ASKING_TO_REPORT.sub("", text, count=1)
    words = re.findall(r"[\w'-]+", rest)
    if text.rstrip().endswith("?") and len(words) < _MIN_QUESTION_WORDS:
        return False  # "can I report something that isn't an emergency here?"
    event_words = [w for w in words if len(w) > 2 and not _NOT_AN_EVENT.match(w)]
    return len(words) >= _MIN_DESCRIPTION_WORDS and len(event_words) >= _MIN_EVENT_WORDS


class ActionStartReport(Action):
    def name(self) -> str:
        return "action_start_report"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = (tracker.latest_message.get("text") or "").strip()
        return start_report(dispatcher, text if intent in ("inform", "report_asb") else "")


def start_report(dispatcher: CollectingDispatcher, text: str) -> list[dict[str, Any]]:
    """The report's opening words; the account becomes what happened when it says so."""
    dispatcher.utter_message(response="utter_start_report")
    if account_in(text):
        dispatcher.utter_message(text="Thank you for telling me what happened.")
        return [SlotSet("incident_description", text)]
    return []


class ActionNotUnderstood(Action):
    """What Rasa does with a message it could not place (its default fallback, replaced):
    outside a report, an account of something that happened, or a wish to report or
    complain ("noise", "a matter of ongoing concern"), starts the report; anything else
    gets the choices."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text = (tracker.latest_message.get("text") or "").strip()
        if tracker.active_loop_name:
            dispatcher.utter_message(response="utter_default")
            return []
        if not (account_in(text) or _WANTS_TO_REPORT.search(text)):
            dispatcher.utter_message(response="utter_default")
            # As Rasa's own fallback does: the message is taken back, so the dialogue
            # waits for the next one instead of falling back again and again ("ok so
            # yeah" had the choices ten times over).
            return [UserUtteranceReverted()]
        # start_report keeps the words as what happened only when they tell it.
        return [*start_report(dispatcher, text), FollowupAction("report_form")]


class ActionOutOfScope(Action):
    """Rasa's answer to a message outside the service ("how do I pay my council tax"),
    unless the message tells of something that happened which the safety model reads as
    anti-social behaviour ("somebody is flying a drone over my garden filming my
    daughter"): that starts the report rather than being turned away."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text = (tracker.latest_message.get("text") or "").strip()
        if tracker.active_loop_name or not account_in(text) or triage(text).category == "none":
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        return [*start_report(dispatcher, text), FollowupAction("report_form")]
