"""The questions asked after closure, on every channel, and their answers.

Satisfaction: a score from 1 (very unhappy) to 5 (very happy), with an optional comment.
Perception (the Place Survey / Crime Survey question, optional, after the score): "How
much of a problem is anti-social behaviour in your area?" The score is recorded once per
case (`Case.surveyed_at`), whichever channel it comes by: a text reply, the survey page
(`SurveyLinks`, bot/gateway/survey_page.py) or the keypad on a call (telephony/).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Literal

import structlog

from bot.cases.model import Case, PerceptionAnswer
from bot.cases.store import CaseStore
from bot.privacy.signed_tokens import BadToken as BadToken  # re-exported for the survey's routes
from bot.privacy.signed_tokens import ExpiredToken as ExpiredToken
from bot.privacy.signed_tokens import SignedTokens

log = structlog.get_logger("asb.survey")

PERCEPTION_QUESTION = "How much of a problem is anti-social behaviour in your area?"
# In the order asked: A-D by text, 1-4 on the keypad, top to bottom on the page.
PERCEPTION_ANSWERS: dict[PerceptionAnswer, str] = {
    "very_big": "A very big problem",
    "fairly_big": "A fairly big problem",
    "not_very_big": "Not a very big problem",
    "not_a_problem": "Not a problem at all",
}
SATISFACTION_LABELS = {
    1: "Very unhappy",
    2: "Unhappy",
    3: "Neither happy nor unhappy",
    4: "Happy",
    5: "Very happy",
}
MAX_COMMENT_CHARS = 1000
LINK_DAYS = 28  # a letter takes days to arrive and to be read

_PERCEPTION_WORDS: list[tuple[PerceptionAnswer, re.Pattern[str]]] = [
    ("not_very_big", re.compile(r"c|not (a )?very big( problem)?")),
    ("very_big", re.compile(r"a|(a )?very big( problem)?")),
    ("fairly_big", re.compile(r"b|(a )?fairly big( problem)?")),
    ("not_a_problem", re.compile(r"d|(it'?s )?(not a|no) problem( at all)?|not at all")),
]


def read_perception(text: str) -> PerceptionAnswer | Literal["skip"] | None:
    """A text reply to the perception question: A-D, the answer's own words ("fairly
    big", "not a problem"), SKIP, or None when the reply is something else."""
    words = " ".join(re.sub(r"[^a-z' ]", " ", text.lower()).split())
    if words == "skip":
        return "skip"
    for answer, pattern in _PERCEPTION_WORDS:
        if pattern.fullmatch(words):
            return answer
    return None


def perception_by_position(position: int) -> PerceptionAnswer | None:
    """The answer at 1-4 (the keypad, A-D), or None."""
    answers = list(PERCEPTION_ANSWERS)
    return answers[position - 1] if 1 <= position <= len(answers) else None


class SurveyAnswers:
    """Records the answers on the case: the score once, the perception once."""

    def __init__(self, cases: CaseStore):
        self._cases = cases

    async def satisfaction(
        self, reference: str, score: int, comment: str | None = None, now: datetime | None = None
    ) -> Case | None:
        """The case with the score recorded; None when there is no such case or it was
        answered already (one answer per case)."""
        now = now or datetime.now(UTC)
        first = False

        def record(case: Case) -> Case:
            nonlocal first
            first = case.surveyed_at is None  # re-read on a retried transaction
            if not first:
                return case
            return case.model_copy(update={"satisfaction": score, "surveyed_at": now})

        case = await self._cases.update(reference, record)
        if case is None or not first:
            return None
        comment = (comment or "").strip()[:MAX_COMMENT_CHARS]
        if comment:
            personal = await self._cases.get_personal(reference)
            if personal is not None:  # erased or past retention: the score alone is kept
                personal = personal.model_copy(update={"satisfaction_comment": comment})
                await self._cases.set_personal(reference, personal)
        await self._cases.wait_durable()
        log.info("satisfaction.recorded", reference=reference, score=score)
        return case

    async def perception(self, reference: str, answer: PerceptionAnswer) -> bool:
        """Whether the answer was recorded (False: no such case, or answered already)."""
        first = False

        def record(case: Case) -> Case:
            nonlocal first
            first = case.perception is None
            return case.model_copy(update={"perception": answer}) if first else case

        case = await self._cases.update(reference, record)
        if case is None or not first:
            return False
        await self._cases.wait_durable()
        log.info("perception.recorded", reference=reference)
        return True


class SurveyLinks:
    """Personal survey links: `{reference}.{expiry day}.{HMAC}` (bot/privacy/signed_tokens.py),
    keyed with the deployment's secret. The token names the case and when it stops
    working, nothing more; the HMAC stops anyone making one for another case or changing
    the day."""

    def __init__(self, secret: bytes, base_url: str):
        self._tokens = SignedTokens(secret, "survey")
        self._base = base_url.rstrip("/")

    def token(self, reference: str, days: int = LINK_DAYS, now: datetime | None = None) -> str:
        return self._tokens.issue([reference], days, now)

    def url(self, reference: str, days: int = LINK_DAYS, now: datetime | None = None) -> str:
        return f"{self._base}/survey/{self.token(reference, days, now)}"

    def read(self, token: str, now: datetime | None = None) -> str:
        """The reference a token names; BadToken or ExpiredToken otherwise."""
        [reference] = self._tokens.read(token, 1, now)
        return reference
