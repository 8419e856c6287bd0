"""Scripted residents (residents.yml) played against the live stack over chat, SMS or
the phone line,
and the case each one leaves checked field by field.

A resident answers whatever the bot asks from their own answers, with their quirks: a
question back or a "dunno" the first time, "help" halfway, a correction at the read-back.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import redis
import yaml

from bot.conversation.report_answers import HATE_STRAND_WORDS, SKIPPED, UNKNOWN, non_answer
from bot.conversation.understanding import find_previous
from bot.partnerships import load_partnerships
from bot.platform.settings import PROJECT_ROOT
from bot.safety import danger_question as dq
from bot.safety.desk import EMERGENCY_TEXT
from telephony import voice_flow
from tests.e2e.chat_driver import (
    PAIRED_WITH_PREVIOUS,
    ChatResident,
    all_risk_answers,
    both_risk_answers,
    reference_in,
    with_previous,
)
from tests.records import plain
from tests.telephony.drivers import (
    Caller,
    SmsResident,
    asked,
    question_of,
    reference_said,
    settle,
)

# Every residents*.yml beside this file; POPULATION names one file instead (a new set is
# played on its own first, unseen, before it joins the others).
RESIDENT_FILES = sorted(Path(__file__).parent.glob("residents*.yml"))
# Fields of a stored case's answers, and where the contact details are.
ANSWER_FIELDS = (
    "incident_description", "incident_time", "incident_location", "people_involved",
    "impact", "targeted_identity", "vulnerability", "previous_incidents",
)  # fmt: skip
CONTACT_FIELDS = {
    "contact_name": "name", "contact_phone": "phone", "contact_email": "email",
    "contact_address": "address",
}  # fmt: skip
GIVE_UP_AFTER = 40  # resident messages: a conversation this long has failed


def residents() -> list[dict[str, Any]]:
    chosen = os.environ.get("POPULATION")
    files = [Path(chosen)] if chosen else RESIDENT_FILES
    everyone = [resident for path in files for resident in yaml.safe_load(path.read_text())]
    ids = [resident["id"] for resident in everyone]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    assert not twice, f"resident ids used twice (figures are kept by id): {twice}"
    return everyone


@dataclass
class Played:
    resident: dict[str, Any]
    reference: str | None = None
    messages: int = 0  # what the resident sent
    asked: list[str] = field(default_factory=list)  # question keys, in order
    transcript: str = ""
    wrong: list[str] = field(default_factory=list)  # fields whose stored value is wrong
    # expected facts the resident never said, because nothing asked for them ("the lads"
    # in the opening, and the red cap they would have told of if asked who)
    unsaid: list[str] = field(default_factory=list)
    said: list[str] = field(default_factory=list)  # every message the resident sent
    non_answers: list[str] = field(default_factory=list)  # fields holding a non-answer

    @property
    def told_emergency(self) -> bool:
        """Told to call 999 (nobody in the population is in danger now)."""
        return EMERGENCY_TEXT in self.transcript or voice_flow.EMERGENCY in self.transcript

    @property
    def asked_danger(self) -> bool:
        """Asked "is anyone in danger or hurt right now?"."""
        return dq.QUESTION_TEXT in self.transcript

    @property
    def finished(self) -> bool:
        return self.reference is not None

    @property
    def most_asks_running(self) -> int:
        """The most times one question was asked in a row."""
        longest, run = 0, 0
        for i, key in enumerate(self.asked):
            run = run + 1 if i and self.asked[i - 1] == key else 1
            longest = max(longest, run)
        return longest


class _Chat:
    def __init__(self, http: httpx.Client):
        self.driver = ChatResident(http)

    def say(self, text: str) -> tuple[str | None, str | None]:
        messages = self.driver.say(text)
        return self.driver.last_question(messages), reference_in(messages)

    def dump(self) -> str:
        return self.driver.dump()


class _Sms:
    def __init__(self, http: httpx.Client, number: str | None):
        self.driver = SmsResident(http, number) if number else SmsResident(http)

    def say(self, text: str) -> tuple[str | None, str | None]:
        texts = self.driver.text(text)
        return question_of(texts), reference_in([{"text": t} for t in texts])

    def dump(self) -> str:
        return self.driver.dump()


class _Voice:
    """A caller: the opening said at the line's menu, as a description can be, and each
    answer as Twilio's speech result (the residents' voice answers are written as a
    recogniser writes them)."""

    def __init__(self, http: httpx.Client, number: str | None):
        self.driver = Caller(http, number) if number else Caller(http)
        self.root = self.driver.post("/twilio/voice")

    def say(self, text: str) -> tuple[str | None, str | None]:
        gather = self.root.find("Gather")
        if gather is None:  # the call has ended
            return None, None
        self.root = settle(
            self.driver, self.driver.post(gather.attrib["action"], SpeechResult=text)
        )
        return asked(self.root), reference_said(self.root)

    def dump(self) -> str:
        return self.driver.dump()


def _channel(kind: str, http: httpx.Client, number: str | None) -> _Chat | _Sms | _Voice:
    if kind == "sms":
        return _Sms(http, number)
    if kind == "voice":
        return _Voice(http, number)
    return _Chat(http)


def play(resident: dict[str, Any], http: httpx.Client, number: str | None = None) -> Played:
    """`number`: the mobile a texting or calling resident uses (one of their own; a new
    one if not given)."""
    channel = _channel(resident["channel"], http, number)
    played = Played(resident)
    first_say = dict(resident.get("first_say") or {})
    finals = {**resident.get("answers", {}), **(resident.get("non_answers") or {})}
    correction = resident.get("correction")
    help_at = resident.get("help_at")

    def send(text: str) -> tuple[str | None, str | None]:
        played.messages += 1
        played.said.append(text)
        return channel.say(text)

    question, reference = send(resident["opening"])
    described = False
    while reference is None and played.messages < GIVE_UP_AFTER:
        if question is None:
            if described:
                break
            # Greeted, or told who the service is, without a question: a resident then
            # says what happened.
            described = True
            question, reference = send(resident["answers"]["incident_description"])
            continue
        played.asked.append(question)
        if question == help_at:
            help_at = None
            question, reference = send("help")
            continue
        if question == "report_confirmed" and correction:
            answer, correction = correction, None
        elif question in first_say:
            answer = first_say.pop(question)
        elif question == "danger_question":
            answer = "no"
        elif question == "contact_name" and (both := _asked_with_the_name(channel, finals)):
            answer = both  # "What name and email address should we use?"
        elif question == "incident_time" and (both := _asked_how_often(channel, finals)):
            answer = both  # "When did it happen? If it keeps happening, say how often too"
        elif question == "risk_questions":
            answer = both_risk_answers(dict(finals)) or "skip"
        elif question == "risk_questions_with_previous":
            answer = all_risk_answers(dict(finals)) or "skip"
        elif question in PAIRED_WITH_PREVIOUS:
            answer = with_previous(dict(finals), PAIRED_WITH_PREVIOUS[question]) or "skip"
        else:
            answer = finals.get(question) or "skip"
        question, reference = send(answer)
    played.reference = reference
    played.transcript = channel.dump()
    if isinstance(channel, _Sms | _Voice):
        played.resident = {**resident, "_sender": channel.driver.number}
    return played


def _asked_with_the_name(channel: _Chat | _Sms | _Voice, finals: dict[str, str]) -> str | None:
    """A resident asked for their name and a detail at once gives both."""
    asked = channel.dump().rsplit("bot: ", 1)[-1].lower()
    name = finals.get("contact_name")
    for words, detail in (("email address", "contact_email"), ("number", "contact_phone")):
        if name and words in asked and finals.get(detail):
            return f"{name}, {finals[detail]}"
    return None


def _asked_how_often(channel: _Chat | _Sms | _Voice, finals: dict[str, str]) -> str | None:
    """A resident asked when, and how often if it keeps happening, says both when it
    does keep happening."""
    asked = channel.dump().rsplit("bot: ", 1)[-1].lower()
    when, before = finals.get("incident_time"), finals.get("previous_incidents")
    if "how often" in asked and when and before and find_previous(before):
        return f"{when}, {before}"
    return None


def stored_case(live_redis: redis.Redis, reference: str) -> dict[str, Any]:  # type: ignore[type-arg]
    personal = plain(live_redis.get(f"asb:case:{reference}:personal"))
    case = json.loads(live_redis.get(f"asb:case:{reference}") or b"{}")
    return {**case, **json.loads(personal or b"{}")}


# The fields the form asks only when the resident has not already told them: an expected
# fact in one may go unsaid. Contact details are asked always, and written many ways.
ASKED_OR_HEARD = frozenset({
    "incident_description", "incident_time", "incident_location", "people_involved", "impact",
    "vulnerability", "previous_incidents",
})  # fmt: skip


def check(played: Played, live_redis: redis.Redis) -> None:  # type: ignore[type-arg]
    """Compare the stored case with what the resident said (their `expect`), and look for
    any free-text field holding a non-answer."""
    if played.reference is None:
        return
    case = stored_case(live_redis, played.reference)
    answers = case.get("answers", {})
    contact = case.get("contact") or {}
    stored: dict[str, Any] = {f: answers.get(f) for f in ANSWER_FIELDS}
    stored["contact_method"] = case.get("contact_method") or contact.get("method")
    stored["council_area"] = case.get("partnership")
    stored["landlord"] = _agency_name(case.get("partnership"), case.get("landlord"))
    stored.update({slot: contact.get(name) for slot, name in CONTACT_FIELDS.items()})
    for name, value in stored.items():
        if isinstance(value, str) and value not in (UNKNOWN, SKIPPED) and non_answer(value):
            played.non_answers.append(name)
    everything_said = _squashed(" ".join(played.said))
    for name, expected in (played.resident.get("expect") or {}).items():
        if _holds(stored.get(name), expected, played.resident.get("_sender")):
            continue
        if (
            name in ASKED_OR_HEARD
            and isinstance(expected, str)
            and (_squashed(expected) not in everything_said)
        ):
            played.unsaid.append(f"{name}: {expected!r}")
        else:
            played.wrong.append(f"{name}: expected {expected!r}, stored {stored.get(name)!r}")


@cache
def _agency_names(partnership: str) -> dict[str, str]:
    served = load_partnerships(PROJECT_ROOT / "partnerships", partnership)
    return {a.id: a.name for a in served.get(partnership).agencies}


def _agency_name(partnership: str | None, agency: str | None) -> str | None:
    """The landlord as the read-back names it ("Bolsover District Council housing")."""
    if not (partnership and agency):
        return agency
    return _agency_names(partnership).get(agency, agency)


def _holds(value: Any, expected: Any, sender: str | None) -> bool:
    if expected is None:
        return value in (None, UNKNOWN, SKIPPED, "")
    if expected == "sender":
        expected = sender
    if value is None:
        return False
    shown = f"{value} {HATE_STRAND_WORDS.get(str(value), '')}"  # as the read-back words it
    return _squashed(str(expected)) in _squashed(shown)


def _squashed(text: str) -> str:
    return re.sub(r"\s+", "", text.lower())
