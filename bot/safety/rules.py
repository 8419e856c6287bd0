"""The rules the safety verdict keeps beside the model, as data (rules.yml): each says
what the model alone gets wrong and what the rule would miss."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from bot.safety.normalise import normalise, package_yaml
from bot.safety.verdict import Verdict


@cache
def _bare_plea() -> re.Pattern[str]:
    pleas = sorted((str(p) for p in package_yaml("rules.yml")["bare_pleas"]), key=len)
    return re.compile(r"^\W*(?:" + "|".join(re.escape(p) for p in reversed(pleas)) + r")\W*$")


def is_bare_plea(normalised: str) -> bool:
    """The message is only a plea ("help", "help me please"): asked about, not flagged."""
    return bool(_bare_plea().match(normalised))


@cache
def _reply_words() -> frozenset[str]:
    return frozenset(str(w) for w in package_yaml("rules.yml")["bare_replies"])


def is_bare_reply(normalised: str) -> bool:
    """The message is only yes, no or thanks ("yes , this is right ."): nothing to read
    with the messages before it."""
    words = re.findall(r"[a-z']+", normalised)
    return bool(words) and all(w in _reply_words() for w in words)


def plea_asked(verdict: Verdict, text: str, emergency_before: bool) -> Verdict:
    """A plea alone is asked about, whatever the model says (neither flagged on the word
    nor cleared): unless the conversation is already an emergency, where it is part of it."""
    if emergency_before or not is_bare_plea(normalise(text)):
        return verdict
    kept = [e for e in verdict.evidence if e.flag != "emergency"]
    return replace(verdict, emergency=False, danger_question=True, evidence=kept)


def emergency_continued(verdict: Verdict, emergency_before: bool) -> Verdict:
    """While the conversation's emergency is open, a message that goes on with it
    ("smoke everywhere", "they've started on the door") is flagged as part of it, on the
    evidence of the messages before (`Verdict.context_evidence`)."""
    if not emergency_before or verdict.emergency or not verdict.context_evidence:
        return verdict
    return replace(
        verdict, emergency=True, danger_question=False, evidence=verdict.context_evidence
    )
