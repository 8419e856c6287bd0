"""A resident typing into POST /api/chat, answering whatever the bot asks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bot.conversation.report_answers import non_answer, parse_yes_no
from bot.platform.stack import Stack
from bot.privacy.contact import pseudonymous_key

REFERENCE = re.compile(r"\bASB-[0-9A-Z]{4}-[0-9A-Z]{4}\b")

# The bot's questions, recognised by their words, in the order the form asks them.
# A resident not in danger answers the danger question "no" unless a test says otherwise.
SAFE_ANSWERS = {"danger_question": "no"}
QUESTION_KEYS = [
    # Asked before anything else when the safety model is unsure (bot/safety).
    ("danger_question", "is anyone in danger or hurt right now?"),
    ("incident_description", "what happened?"),
    ("incident_time", "when did it happen"),
    ("incident_location", "where did it happen"),
    ("council_area", "which council area"),
    ("people_involved", "who is involved"),
    ("impact", "how is this affecting"),
    # Whether they were targeted and whether anyone at home is vulnerable, asked together,
    # with whether it happened before while that is open too.
    ("risk_questions_with_previous", "if none of these, just say no"),
    ("vulnerability_and_previous", "happened before? and is anyone in your household"),
    ("targeted_and_previous", "happened before? and do you think you were targeted"),
    ("risk_questions", "if neither, just say no"),
    ("targeted_identity", "because of who you are"),
    ("vulnerability", "vulnerable"),
    ("previous_incidents", "happened before"),
    ("landlord", "rent your home"),
    ("contact_method", "keep you informed"),
    ("contact_name", "what name"),
    ("contact_phone", "what phone number"),
    ("contact_email", "what email"),
    ("contact_address", "postal address"),
    ("consent_share", "share your report"),
    ("report_confirmed", "is this right?"),
]


Answers = dict[str, "str | list[str]"]


def next_answer(answers: Answers, key: str) -> str | None:
    """The answer to question `key`: a list gives one answer each time it is asked (the
    last one again after that), so a test can correct the read-back and then confirm."""
    if key == "risk_questions_with_previous" and key not in answers:
        return all_risk_answers(answers)
    if key in PAIRED_WITH_PREVIOUS and key not in answers:
        return with_previous(answers, PAIRED_WITH_PREVIOUS[key])
    if key == "risk_questions" and key not in answers:
        return both_risk_answers(answers)
    given = answers.get(key, SAFE_ANSWERS.get(key))
    if isinstance(given, list):
        return given.pop(0) if len(given) > 1 else given[0]
    return given


PAIRED_WITH_PREVIOUS = {
    "vulnerability_and_previous": "vulnerability",
    "targeted_and_previous": "targeted_identity",
}


def with_previous(answers: Answers, key: str) -> str | None:
    """One reply to "has this happened before?" asked with one other risk question."""
    other = next_answer(answers, key)
    previous = next_answer(answers, "previous_incidents")
    if other is None or previous is None:
        return other or previous
    before = (
        None if parse_yes_no(previous) is False
        else "I'm not sure if it happened before" if non_answer(previous) == "unknown"
        else f"it has happened before: {previous}"
    )  # fmt: skip
    if parse_yes_no(other) is False:
        return f"No, but {before}" if before else "No"
    return (
        f"{other.rstrip('.')}. {before[:1].upper()}{before[1:]}"
        if before
        else (f"{other.rstrip('.')}. Never before")
    )


def all_risk_answers(answers: Answers) -> str | None:
    """One reply to the two risk questions and "has this happened before?": the reply to
    the two, and what is so of the third ("No, but it has happened before: every weekend")."""
    both = next_answer(answers, "risk_questions")
    previous = next_answer(answers, "previous_incidents")
    if both is None or previous is None:
        return both or previous
    if parse_yes_no(previous) is False:
        return both if parse_yes_no(both) is False else f"{both.rstrip('.')}. Never before"
    if non_answer(previous) == "unknown":
        return f"{both.rstrip('.')}, and I'm not sure if it happened before"
    joiner = ", but" if parse_yes_no(both) is False else ". And"
    return f"{both.rstrip('.')}{joiner} it has happened before: {previous}"


def both_risk_answers(answers: Answers) -> str | None:
    """One reply to "were you targeted because of who you are, and is anyone in your
    household vulnerable?", as a person gives it: "no" when neither, else what is so."""
    targeted = next_answer(answers, "targeted_identity")
    vulnerable = next_answer(answers, "vulnerability")
    if targeted is None or vulnerable is None:
        return targeted or vulnerable
    said = [a for a in (targeted, vulnerable) if parse_yes_no(a) is not False]
    if not said:
        return targeted
    if said == [vulnerable]:
        return f"{targeted.rstrip('.')}, but {vulnerable[:1].lower()}{vulnerable[1:]}"
    return ". ".join(a.rstrip(".") for a in said)


def question_in(text: str) -> str | None:
    """The question a message ends with (a read-back quotes earlier answers above it)."""
    lines = [line for line in text.lower().splitlines() if line.strip()]
    lowered = lines[-1] if lines else ""
    for key, words in QUESTION_KEYS:
        if words in lowered:
            return key
    return None


@dataclass
class ChatResident:
    http: httpx.Client
    conversation_id: str | None = None
    transcript: list[tuple[str, str]] = field(default_factory=list)

    def say(self, text: str) -> list[dict[str, Any]]:
        response = self.http.post(
            "/api/chat", json={"conversation_id": self.conversation_id, "text": text}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        self.conversation_id = body["conversation_id"]
        self.transcript.append(("resident", text))
        for message in body["messages"]:
            self.transcript.append(("bot", message["text"]))
        return list(body["messages"])

    def last_question(self, messages: list[dict[str, Any]]) -> str | None:
        for message in reversed(messages):
            key = question_in(message["text"])
            if key:
                return key
        return None

    def not_in_danger(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Answer "no" if the bot asked the danger question (asked when the safety model is
        unsure); the bot's next messages either way."""
        if self.last_question(messages) == "danger_question":
            return self.say(SAFE_ANSWERS["danger_question"])
        return messages

    def complete(self, answers: Answers, opening: str, max_turns: int = 40) -> list[dict[str, Any]]:
        """Answer each question from `answers` until the bot stops asking; return the last reply."""
        messages = self.say(opening)
        for _ in range(max_turns):
            key = self.last_question(messages)
            if key is None:
                return messages
            answer = next_answer(answers, key)
            assert answer is not None, f"unexpected question {key}:\n{self.dump()}"
            messages = self.say(answer)
        raise AssertionError(f"the report never finished:\n{self.dump()}")

    def dump(self) -> str:
        return "\n".join(f"{who}: {text}" for who, text in self.transcript)


def reference_in(messages: list[dict[str, Any]]) -> str | None:
    for message in messages:
        match = REFERENCE.search(message["text"])
        if match:
            return match.group(0)
    return None


def conversation_key(stack: Stack, conversation_id: str) -> str:
    """The pseudonymous key the service files a web chat conversation under."""
    secret = (Path(stack.settings_env["ASB_DATA_DIR"]) / "pseudonym.key").read_text().strip()
    return pseudonymous_key(secret.encode(), "chat", conversation_id)
