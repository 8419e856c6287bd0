"""Victim risk assessment from the report form's answers ("Focus on the Victim").

The Home Office's ASB "Focus on the Victim" approach asks partnerships to identify
vulnerable and repeat victims at first contact with a short risk assessment matrix, rather
than judging a report by the incident alone: the same noise is a nuisance to one household
and a serious risk to an isolated, disabled person who has reported it for months. The
questions of that matrix map onto the form's answers:

========================================  ======  =========================================
Matrix question                           Points  Form answer it is read from
========================================  ======  =========================================
Has this happened before / reported?      2 (3)   ``previous_incidents`` (3 if it has gone
                                                  on for weeks or months or was reported
                                                  more than once)
Targeted because of who you are (hate)?   3       ``targeted_identity`` or the triage flag
Is it affecting your health?              2       ``impact`` (anxiety, depression, ill,
                                                  stress, panic attacks...)
Is it affecting your sleep?               1       ``impact``
Is it affecting your daily life?          2       ``impact`` (can't go out, work, school)
Do you feel unsafe / scared at home?      3       ``impact``
Disability, long-term illness or mental   2       ``vulnerability``
health condition?
Isolated: live alone, no support?         1       ``vulnerability``
Children in the home?                     1       ``vulnerability`` / ``people_involved``
Your own view: how worried are you?       2       ``impact`` ("terrified", "at breaking
                                                  point", "scared for my life")
========================================  ======  =========================================

The maximum is 20. **High** at 9 or more; **medium** at 4 to 8; **standard** below 4.

Why these weights: the matrix treats feeling unsafe at home, being targeted for who you
are and repeat victimisation as the strongest predictors of harm (they are what the Focus
on the Victim pilots found behind the cases that went badly wrong), so each is worth 3;
effects on health and daily life and a disability or mental health condition make a person
more vulnerable, 2 each; sleep, isolation and children raise the risk but are common on
their own, 1 each. A hate incident on its own (3) plus one more factor reaches medium; two
strong factors and one more reach high.

Overrides, because a sum can hide a single decisive answer:

* words of self-harm or suicide ("I want to end it", "suicidal") or of fear for life are
  always **high**, whatever the score;
* a hate incident is never **standard**: partnerships promise to treat it as a priority;
* danger left unconfirmed (the danger question asked twice without a usable answer,
  bot/safety/danger_question.py) is always **high**: someone may be at risk and said so
  in words the service could not be sure of.

Answers are free text (typed, texted or spoken), and any may be missing, ``None`` or
"skipped"; missing answers add nothing, and the reasons say only what was found.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from bot.safety.normalise import normalise

__all__ = ["HIGH_THRESHOLD", "MEDIUM_THRESHOLD", "RiskAssessment", "assess_risk"]

HIGH_THRESHOLD: Final = 9
MEDIUM_THRESHOLD: Final = 4

_SKIPPED: Final = frozenset(
    {
        "",
        "skipped",
        "skip",
        "none",
        "n a",
        "na",
        "no",
        "nope",
        "nothing",
        "not sure",
        "dont know",
        "do not know",
        "prefer not to say",
    }
)
_NEGATIVE: Final = re.compile(
    r"^ (?:no|nah|nope|not really|i do not think|i dont think|do not think|dont think)\b"
)
_IDENTITIES: Final = {
    "race": "race or ethnicity",
    "religion": "religion or belief",
    "sexual_orientation": "sexual orientation",
    "disability": "disability",
    "transgender": "transgender identity",
}


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{pattern})\b")


_YES: Final = _rx(
    r"yes|yeah|yep|yh|ye|aye|it has|many times|loads of times|again|before|"
    r"always|every|constantly|ongoing|reported"
)
_LONG_RUNNING: Final = _rx(
    r"weeks|months|years|ages|for a long time|ongoing|every (?:day|night|week)|constantly|"
    r"all the time|again and again|(?:reported|rang|called|told) (?:it |them |you )?"
    r"(?:\d+|two|three|four|five|six|several|many|loads of|lots of|so many) times|"
    r"(?:\d+|two|three|four|five|six|several|many|loads of) times|repeatedly|since \w+"
)
_HEALTH: Final = _rx(
    r"health|anxiety|anxious|depress(?:ed|ion)?|stress|stressed|panic attacks?|ill|poorly|"
    r"making me sick|blood pressure|breakdown|nerves|shaking|crying|tearful|my condition|"
    r"mental health|heart|asthma|medication|doctor|gp|can not cope|cannot cope|not coping"
)
_SLEEP: Final = _rx(r"sleep|sleeping|awake|insomnia|no rest|tired|exhausted|nights")
_DAILY: Final = _rx(
    r"(?:can not|cant|scared to|afraid to|too scared to|frightened to|do not|dont|stopped)\s+"
    r"(?:go out|leave|go to work|work|walk|take the kids|use the garden|go outside|answer the "
    r"door|open the curtains|go to the shops|go to school|use my garden)|stay in|staying in|"
    r"trapped|prisoner|off work|lost my job|moved out|moving out|routine|daily life|"
    r"keep the curtains|kids can not play|children can not play|changed my route"
)
_UNSAFE: Final = _rx(
    r"unsafe|not safe|do not feel safe|scared|frightened|afraid|terrified|fear|fearful|"
    r"intimidated|threatened|on edge|in danger|worried for my safety|scared at home"
)
_OWN_VIEW_HIGH: Final = _rx(
    r"terrified|petrified|scared for my life|fear for my life|fear for our|breaking point|"
    r"at the end of my tether|can not take (?:it|any more)|cant take (?:it|any more)|"
    r"really worried|very worried|extremely|desperate|something bad will happen|"
    r"going to get hurt|going to hurt|will get hurt|will kill|high risk|very high"
)
_CRISIS: Final = _rx(
    r"suicidal|suicide|end it all|end my life|kill myself|want to die|wish i was dead|"
    r"self harm|harm myself|hurt myself|take my own life|not worth living|"
    r"scared for my life|fear for my life|fear for our lives|going to kill me"
)
_DISABILITY: Final = _rx(
    r"disabled|disability|disabilities|wheelchair|autistic|autism|asperger|adhd|learning "
    r"difficult(?:y|ies)|learning disabilit(?:y|ies)|down syndrome|downs|blind|deaf|"
    r"partially sighted|mental health|depression|depressed|anxiety|bipolar|schizophrenia|"
    r"ptsd|dementia|alzheimer|long term (?:illness|condition)|chronic|cancer|"
    r"multiple sclerosis|parkinson|epilepsy|stroke|carer|care needs|mobility|crutches|"
    r"frail|elderly|pensioner|over 80|in my 80s|in my 90s|pregnant|illness|ill health|"
    r"condition|vulnerable"
)
_ISOLATED: Final = _rx(
    r"live alone|living alone|live on my own|living on my own|on my own|by myself|no one to|"
    r"nobody to|no family|no support|no friends|isolated|lonely|widow|widowed|housebound"
)
_CHILDREN: Final = _rx(
    r"child|children|kids|kid|baby|babies|toddler|son|daughter|grandchildren|grandkids|"
    r"little one|little ones|teenager|boys|girls|school"
)


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    """The outcome: ``level`` is "high", "medium" or "standard"; ``reasons`` are plain English."""

    level: str
    score: int
    reasons: list[str] = field(default_factory=list)


_MARKS: Final = frozenset(".?!,")


def _answer(answers: Mapping[str, str | None], key: str) -> str | None:
    """The normalised answer, or None when missing, skipped or a plain "no"."""
    raw = answers.get(key)
    if raw is None:
        return None
    words = [w for w in normalise(raw).split() if w not in _MARKS]
    if " ".join(words) in _SKIPPED:
        return None
    return f" {' '.join(words)} "


def assess_risk(
    answers: Mapping[str, str | None], hate_crime: bool = False, danger_unconfirmed: bool = False
) -> RiskAssessment:
    """Score the form's answers on the Focus on the Victim matrix (see module docstring)."""
    score = 0
    reasons: list[str] = []
    crisis = False

    def add(points: int, reason: str) -> None:
        nonlocal score
        score += points
        reasons.append(reason)

    previous = _answer(answers, "previous_incidents")
    if previous is not None and (_YES.search(previous) or _LONG_RUNNING.search(previous)):
        if _LONG_RUNNING.search(previous):
            add(3, "Repeat victim: it has been going on for some time or reported more than once.")
        else:
            add(2, "It has happened before.")

    identity = _answer(answers, "targeted_identity")
    targeted = hate_crime
    if identity is not None:
        named = [
            label
            for key, label in _IDENTITIES.items()
            if key.replace("_", " ") in identity or key in identity
        ]
        if named:
            targeted = True
            add(3, f"Targeted because of {', '.join(named)}: treated as a hate incident.")
        elif not _NEGATIVE.search(identity):
            targeted = True
            add(3, "The resident feels they were targeted because of who they are.")
    if hate_crime and not any("Targeted" in r or "targeted" in r for r in reasons):
        add(3, "The report shows hate-crime cues: treated as a hate incident.")

    impact = _answer(answers, "impact") or ""
    description = _answer(answers, "incident_description") or ""
    if impact:
        if _HEALTH.search(impact):
            add(2, "It is affecting their physical or mental health.")
        if _SLEEP.search(impact):
            add(1, "It is affecting their sleep.")
        if _DAILY.search(impact):
            add(2, "It is affecting their daily life (going out, work, routine).")
        if _UNSAFE.search(impact):
            add(3, "They feel unsafe or frightened, including at home.")
        if _OWN_VIEW_HIGH.search(impact):
            add(2, "In their own view the risk is serious.")
    if _CRISIS.search(impact) or _CRISIS.search(description):
        crisis = True
        reasons.append("They mention fear for their life or thoughts of self-harm: urgent.")

    vulnerability = _answer(answers, "vulnerability") or ""
    if vulnerability:
        if _DISABILITY.search(vulnerability):
            add(2, "Someone in the household has a disability, illness or mental health condition.")
        if _ISOLATED.search(vulnerability):
            add(1, "They are isolated or live alone.")
    people = _answer(answers, "people_involved") or ""
    if _CHILDREN.search(vulnerability) or re.search(
        r"\bmy (?:kids|children|son|daughter|baby)\b", impact + " " + people
    ):
        add(1, "There are children in the home.")
    if _CRISIS.search(vulnerability):
        crisis = True
        reasons.append("They mention thoughts of self-harm: urgent.")

    if danger_unconfirmed:
        reasons.append(
            'Asked "is anyone in danger or hurt right now?" twice, they gave no clear answer.'
        )
    if crisis or danger_unconfirmed or score >= HIGH_THRESHOLD:
        level = "high"
    elif score >= MEDIUM_THRESHOLD or targeted:
        level = "medium"
    else:
        level = "standard"
    if not reasons:
        reasons.append("No risk factors were identified from the answers given.")
    return RiskAssessment(level=level, score=score, reasons=reasons)
