"""The danger question: what the service asks when the model is unsure a message is an
emergency, before anything else happens to it, on every channel.

"Is anyone in danger or hurt right now?" with Yes and No (chat buttons, SMS "1 for Yes",
voice "press 1"). Yes: the emergency path, exactly as for a flagged message. No: the
message goes on to the report. No usable answer: asked once more, then the report goes on
marked ``danger_unconfirmed`` with its risk raised. The message that raised the question
waits, sealed, under the conversation's ``danger`` key until then.
"""

from __future__ import annotations

import re
from typing import Final, Literal

from pydantic import BaseModel

from bot.platform.messages import BotMessage, Choice
from bot.safety.flags import TriageFlags
from bot.safety.normalise import normalise
from bot.safety.verdict import Verdict

__all__ = [
    "ASKS",
    "DangerAnswer",
    "PendingQuestion",
    "question",
    "read_answer",
    "would_ask",
]

DangerAnswer = Literal["yes", "no", "unclear"]
ASKS: Final = 2  # asked at most twice; then the report goes on, danger unconfirmed
QUESTION_TEXT: Final = "Before we go on: is anyone in danger or hurt right now?"
AGAIN_TEXT: Final = "Sorry, I need a yes or a no. Is anyone in danger or hurt right now?"
CHOICES: Final = [Choice("Yes", "yes"), Choice("No", "no")]
# How long a question waits for its answer (the message that raised it waits with it).
WAIT_SECONDS: Final = 3600

_YES: Final = re.compile(
    r"^(?:yes|yeah|yea|yep|yup|ye|yh|aye|y|1|one|affirmative|correct|i am|we are|they are|"
    r"he is|she is|someone is|somebody is|please help|help|hurry|quick)\b"
)
_NO: Final = re.compile(
    r"^(?:no|nope|nah|naw|na|n|2|two|not really|not now|not right now|no one|nobody|"
    r"noone|not at the moment|everyone is (?:ok|okay|fine|safe)|we are (?:ok|okay|fine|safe)|"
    r"i am (?:ok|okay|fine|safe))\b"
)


class PendingQuestion(BaseModel):
    """A question asked and not yet answered: the message it holds back, and how often
    it has been asked."""

    text: str
    asked: int = 1
    # The held message's own verdict was unsure whether it was a hate incident: the form
    # brings the identity question forward when the message goes on.
    hate_question: bool = False


def would_ask(verdict: Verdict, flags: TriageFlags) -> bool:
    """Whether the service asks, given the report's flags before this message: when the
    model is unsure, once a report, never once the report is an emergency, and not of an
    answer to the report's questions (a message that describes no incident, once an
    earlier one has): a place, a time or a feeling, after the report has said what
    happened, is not asked about."""
    if not verdict.danger_question or flags.emergency or flags.danger_question is not None:
        return False
    return not (flags.category != "none" and verdict.category == "none")


def question(again: bool = False) -> BotMessage:
    return BotMessage(AGAIN_TEXT if again else QUESTION_TEXT, choices=list(CHOICES))


def read_answer(text: str) -> DangerAnswer:
    """Yes, no, or neither, from an answer typed, texted, spoken or keyed ("1", "2")."""
    words = normalise(text).strip(" .!?,")
    if _NO.match(words):
        return "no"
    if _YES.match(words):
        return "yes"
    return "unclear"
