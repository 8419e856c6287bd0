"""What a resident can say at any point: why, change, start again, stop, a person."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.landlord import partnership_of
from actions.report_form import ValidateReportForm, correction_of_answers
from actions.services import services
from bot.conversation.report_answers import CHANGEABLE_FIELDS, parse_field, speaks_of

Events = list[dict[str, Any]]

START_AGAIN_WORDS = re.compile(
    r"\b(start (again|over|afresh|from the (beginning|start))|restart|begin again|reset|"
    r"from the (top|beginning)|report (something|somethin|sth) else|"
    r"(a |an )?(different|new|another) (report|problem|thing|issue))\b",
    re.IGNORECASE,
)
# A stop is a short command, not a description with "stop" in it ("they won't stop").
STOP_WORDS = re.compile(
    r"^\W*(please )?(stop|cancel|quit|exit|end|forget it|never ?mind|leave it)"
    r"( (it|this|that|the report|my report|this report|the chat|now|please))*\W*$"
    r"|\b(stop|cancel) (the|my|this) report\b|\bi('?ve| have) changed my mind\b"
    r"|\bi (want|would like|'?d like) to (stop|cancel|quit)\b"
    r"|\bi don'?t want to (continue|carry on|report (it|this)( any ?more)?)\b",
    re.IGNORECASE,
)


# A correction says so; "Chantelle, chantelle@example.com" answers the question asked.
CHANGE_WORDS = re.compile(
    r"\b(chang\w*|wrong|correct\w*|actually|mistake|meant|update|instead|not|isn'?t|wasn'?t|"
    r"should (be|say|read)|edit|fix|amend|sorry|oops|take \w+ (off|out)|remove|delete)\b",
    re.IGNORECASE,
)
# Asking why or what: a question mark, or a question word that starts the message or asks.
WHY_WORDS = re.compile(
    r"\?|^\W*(?:(?:but|so|ok|okay|um+|erm?|sorry)\W+)?(?:why|y|what|wot|wat|how come)\b|"
    r"\bwhy (?:do|does|is|are|would|should|must|d'?you|you)\b|"
    r"\bwhat (?:do|does) (?:you|that|it) mean",
    re.IGNORECASE,
)
# Asking for a person says so ("can I speak to someone", "a real person please"); "phone
# call please" at the contact question is an answer, not a request to be put through,
# and a word like "agent" is one only alone ("a letting agent" is a landlord).
PERSON_WORDS = re.compile(
    r"\b(speak|talk|chat) (to|with) (a |an |the )?(real |actual )?(person|someone|somebody|"
    r"human|advis[eo]r|operator|officer|member of staff|council|police)\b|"
    r"\b(a |an )?(real|actual|live) (person|human)\b|"
    r"^\W*(a |an )?(human|operator|agent|person)( please| pls| plz)?\W*$|"
    r"\b(have|get|want|need) (a |an |to speak to (a |an )?)?(human|operator|agent)\b|"
    r"\b(call|ring|phone) (someone|somebody|you)\b|\bput me through\b|\bphone number\b|"
    r"\bwho (can|do|should) i (ring|call|phone|speak to)\b|\bwhat number\b|\basb team\b",
    re.IGNORECASE,
)


# Asking who or what the service is; a description of someone ("a man in his fifties
# with a grey beard") in answer to "who is involved?" is no such question.
WHO_ARE_YOU_WORDS = re.compile(
    r"\b(who|what) (are|r) (you|u)\b|\bare (you|u) (a |an )?(real|human|person|bot|robot|"
    r"computer|machine|automated)\b|\bam i (talking|speaking|texting) (to|with)\b|"
    r"\bis this (a |an |the )?(bot|robot|computer|machine|real|human|person|council|police)\b|"
    r"\bwho is this\b|\bwho('?s| is) (this|that|there|replying|answering)\b",
    re.IGNORECASE,
)


class ActionExplainQuestion(Action):
    """Why a question is asked, to a resident who asks; an answer the language model took
    for the question ("Only that I have a stammer, which is why I'd like email") is the
    answer, or the form would explain and ask again for ever."""

    def name(self) -> str:
        return "action_explain_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Events:
        if (answer := await misheard_answer(tracker, WHY_WORDS, dispatcher, domain)) is not None:
            return answer
        slot = tracker.get_slot("requested_slot")
        response = f"utter_why_{slot}"
        if slot and response in domain.get("responses", {}):
            dispatcher.utter_message(response=response)
        else:
            dispatcher.utter_message(response="utter_why_general")
        return []


class ActionChangeAnswer(Action):
    """Change the answer the resident corrects: to the new value when they give it, or
    cleared, so the form asks it again."""

    def name(self) -> str:
        return "action_change_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Events:
        if (answer := await misheard_answer(tracker, CHANGE_WORDS, dispatcher, domain)) is not None:
            return answer
        text = tracker.latest_message.get("text") or ""
        # Speaking of the very thing being asked is answering it ("We rent from Sanctuary,
        # I think? Or it changed its name" at the landlord question), not changing it.
        asked_of = speaks_of(text, tracker.get_slot("requested_slot") or "")
        if asked_of and (answer := await as_the_answer(tracker, dispatcher, domain)) is not None:
            return answer
        changes = {  # only what differs: the same correction twice changes nothing
            slot: value
            for slot, value in correction_of_answers(tracker, text).items()
            if value != tracker.get_slot(slot)
        }
        if changes:  # the new answer is in the message ("change the postcode to CV2 4AB")
            dispatcher.utter_message(text="Thanks, I've changed that.")
            moved = {"council_area": None} if "incident_location" in changes else {}
            return [
                *(SlotSet(slot, value) for slot, value in {**changes, **moved}.items()),
                SlotSet("report_confirmed", None),
                SlotSet("report_field", None),
            ]
        field = tracker.get_slot("report_field") or parse_field(text)
        slots = CHANGEABLE_FIELDS.get(field or "")
        if not slots:
            dispatcher.utter_message(response="utter_ask_which_field")
            return [SlotSet("report_field", None)]
        dispatcher.utter_message(text="OK, let's change that.")
        cleared = [SlotSet(slot, None) for slot in slots]
        # Whatever the change, the report is read back again before it is sent.
        return [*cleared, SlotSet("report_confirmed", None), SlotSet("report_field", None)]


async def misheard_answer(
    tracker: Tracker,
    said_it: re.Pattern[str],
    dispatcher: CollectingDispatcher,
    domain: DomainDict,
) -> Events | None:
    """Events that take the message as the answer to the question being asked, when the
    classifier took it for "start again" or "stop" but the resident said no such thing
    ("the kids from the estate", "it started again last night"): losing a half-made
    report to a misheard command is worse than asking once more. The answer goes through
    the form's own validation, as if the form had heard it ("No, but my wife is recovering
    from a hip replacement" answers both risk questions; it is never stored as said)."""
    text = (tracker.latest_message.get("text") or "").strip()
    if said_it.search(text):
        return None
    return await as_the_answer(tracker, dispatcher, domain)


async def as_the_answer(
    tracker: Tracker, dispatcher: CollectingDispatcher, domain: DomainDict
) -> Events | None:
    """The message taken as the answer to the question the form is asking, if any."""
    text = (tracker.latest_message.get("text") or "").strip()
    slot = tracker.get_slot("requested_slot")
    if not (tracker.active_loop_name and slot):
        return None
    answered = Tracker.from_dict(tracker.current_state())
    answered.slots[slot] = text
    answered.events.append({"event": "slot", "name": slot, "value": text})
    validated = await ValidateReportForm().run(dispatcher, answered, domain)
    return [*validated, FollowupAction(tracker.active_loop_name)]


async def forget_report(tracker: Tracker) -> None:
    """What the gateway kept of a report the resident stopped or started again (the
    safety flags it found, with their words; photos they texted): not sent with the next
    one, as they are promised. Only their own "stop" or "start again" reaches here, never
    a model's guess (see `misheard_answer`); an emergency already raised has gone to the
    police on its own."""
    svc = await services()
    await svc.redis.delete(
        svc.keys.conversation_flags(tracker.sender_id),
        svc.keys.conversation_media(tracker.sender_id),
        svc.keys.conversation_recent(tracker.sender_id),
        svc.keys.conversation_danger(tracker.sender_id),
    )


class ActionStartAgain(Action):
    def name(self) -> str:
        return "action_start_again"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Events:
        if (
            answer := await misheard_answer(tracker, START_AGAIN_WORDS, dispatcher, domain)
        ) is not None:
            return answer
        await forget_report(tracker)
        dispatcher.utter_message(text="OK, let's start again. Nothing from before will be sent.")
        return [AllSlotsReset()]


class ActionStopReport(Action):
    def name(self) -> str:
        return "action_stop_report"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Events:
        if (answer := await misheard_answer(tracker, STOP_WORDS, dispatcher, domain)) is not None:
            return answer
        await forget_report(tracker)
        dispatcher.utter_message(
            text="I've stopped. Your report has not been sent and nothing has been saved. "
            "You can start again at any time. In an emergency call 999."
        )
        return [ActiveLoop(None), AllSlotsReset()]


class ActionHandOff(Action):
    def name(self) -> str:
        return "action_hand_off"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Events:
        if (answer := await misheard_answer(tracker, PERSON_WORDS, dispatcher, domain)) is not None:
            return answer
        # The partnership the report would go to: a Bicester resident is given Cherwell's.
        partnership = partnership_of(tracker)
        dispatcher.utter_message(
            text=f"You can speak to someone at {partnership.name}:\n{partnership.handoff_text()}\n"
            "In an emergency call 999."
            + ("\nOr carry on here, and I'll keep what you've told me so far."
               if tracker.active_loop_name else "")
        )  # fmt: skip
        return []


class ActionWhoAreYou(Action):
    """Who the service is; outside a report, an invitation to tell what happened."""

    def name(self) -> str:
        return "action_who_are_you"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Events:
        if (
            answer := await misheard_answer(tracker, WHO_ARE_YOU_WORDS, dispatcher, domain)
        ) is not None:
            return answer
        dispatcher.utter_message(response="utter_ask_who")
        if not tracker.active_loop_name:
            dispatcher.utter_message(
                text='To report something, tell me what happened. To talk to someone, say "person".'
            )
        return []
