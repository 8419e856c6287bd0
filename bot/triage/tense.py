"""Is it happening now? Tell "they're smashing my window" from "they smashed it last week".

An emergency is risk to life or person *now or imminently*. The emergency cues in the
lexicon are written in forms that are already present-tense ("smashing", "being
attacked", "has been stabbed", "has got a knife"), so a cue that matches is taken as
happening now unless its own clause says otherwise. The clause is the stretch of text
between "." or "," tokens around the cue; a marker elsewhere in the message ("last week"
in the sentence before) only counts when the cue's clause says nothing either way and
the message has no "now" marker at all.

The rules, in order:

1. A hypothetical marker before the cue in its clause ("what should I do if they come
   back with a knife", "if someone threatens me") makes it ``hypothetical``. We treat a
   question about a possible future as not an emergency: the person is safe enough to ask
   for advice, and the bot still tells them to call 999 if it happens. This is a judgement
   call, made on purpose: recall is protected by rule 2 ("what do I do, he's outside with
   a knife right now" has a "now" marker).
2. An explicit "now" marker in the clause ("right now", "rn", "at the moment", "just now",
   "still outside", "hurry") makes it ``now``, even beside a past marker ("they were here
   last week and now they're back with a knife").
3. A past marker in the clause ("last night", "yesterday", "ago", "on Saturday", "was
   carrying") makes it ``past``.
4. A habitual marker ("keeps", "every night", "always") makes it ``habitual``: ongoing
   nuisance, not an incident in progress.
5. Otherwise the message as a whole decides: any "now" marker -> ``now``; a past marker
   and no now marker -> ``past``; nothing either way -> ``unknown``, which the detector
   treats as now, because the cue itself is present tense and a missed emergency costs
   far more than an extra 999 prompt.
"""

from __future__ import annotations

import re
from collections.abc import Container
from typing import Final, Literal

from bot.triage.cues import at_word_start

__all__ = ["MARKERS", "Tense", "Timeframe", "clause_bounds", "has_now_marker", "timeframe"]

Timeframe = Literal["now", "past", "hypothetical", "habitual", "unknown"]

_NOW: Final = at_word_start(
    r"\b(?:right now|right this minute|just now|as we speak|at the moment|currently|"
    r"this minute|this second|as i type|as i am typing|happening now|still (?:here|there|"
    r"outside|at it|going|in|on|at the door|around)|hurry|quick|quickly|urgent|urgently|"
    r"emergency|as soon as possible|immediately|come now|send (?:someone|somebody|help|"
    r"police|the police|an ambulance|ambulance)|get here|on (?:his|her|their) way|"
    r"(?<!ok )(?<!okay )(?<!fine )(?<!safe )(?<!better )(?<!by )(?<!for )(?<!until )"
    r"(?<!up to )(?<!alright )(?<!every )now(?! and then| that)|"
    r"just (?!want|wanted|wanting|to |so |a |like |the |in case|need|thought|moved)[a-z]+ed|"
    r"(?:a|one|two|few|couple of|\d+) (?:minute|minutes|min|mins|second|seconds|secs) ago|"
    r"just (?:threw|thrown|drove|hit|shot|set|put|got|stole|ran|came|broke|broken|been|"
    r"kicked|pulled|stabbed|smashed|pushed)|tonight)\b"
)

_PAST: Final = at_word_start(
    r"\b(?:yesterday|last (?:night|week|weekend|month|year|time|summer|winter|spring|autumn|"
    r"christmas|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|the other (?:day|"
    r"night|week)|ago|earlier|this morning|on (?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)|(?:at|over) the weekend|overnight|back in|in (?:january|february|"
    r"march|april|may|june|july|august|september|october|november|december)|a while back|"
    r"previously|used to|when i was|never reported|already reported|i reported|reported it|"
    r"crime number|crime reference|police came|police have been|came home with|that was|"
    r"it happened|this happened|happened|i am ok now|i am fine now|was|were|had|did|"
    r"went|tried|two weeks|months ago|years ago|last nite)\b"
)
# Past markers strong enough to date a whole message: times, not verb forms ("did not let
# anyone in" says nothing about when the intruder is downstairs).
_PAST_DATED: Final = at_word_start(
    r"\b(?:yesterday|last (?:night|week|weekend|month|year|time|summer|winter|spring|autumn|"
    r"christmas|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|the other (?:day|"
    r"night|week)|(?<!minute )(?<!minutes )(?<!seconds )(?<!second )ago|on (?:monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)|(?:at|over) the weekend|overnight|back in|"
    r"a while back|previously|used to|when i was|last nite|this happened|it happened|"
    r"that was)\b"
)

_HYPOTHETICAL: Final = at_word_start(
    r"\b(?:what if|what should i do if|what do i do if|what would|what happens if|"
    r"if (?:they|he|she|someone|somebody|anyone|it|i|we|people|a)|in case|should i (?:call|"
    r"ring|phone)|do i (?:call|ring|phone)|one day|is it safe|is it legal|can i report|"
    r"would it be|worried (?:he|she|they) will|scared (?:he|she|they) will|might|could be)\b"
)

_HABITUAL: Final = at_word_start(
    r"\b(?:keep|keeps|kept|always|every (?:day|night|time|week|weekend|evening|morning|"
    r"afternoon|friday|saturday|sunday|other)|everyday|all the time|constantly|regularly|"
    r"often|most (?:nights|days|evenings|weekends)|for (?:weeks|months|years)|"
    r"since (?:we|i) moved|again and again|nightly|daily|usually|sometimes)\b"
)

MARKERS: Final = {
    "now": _NOW,
    "past": _PAST,
    "past_dated": _PAST_DATED,
    "hypothetical": _HYPOTHETICAL,
    "habitual": _HABITUAL,
}

_BOUNDARY: Final = re.compile(r" [.,] ")
_SENTENCE: Final = re.compile(r" \. ")


def clause_bounds(text: str, start: int, end: int, *, sentence: bool = False) -> tuple[int, int]:
    """Offsets of the clause (or, with ``sentence``, the sentence) holding [start, end)."""
    pattern = _SENTENCE if sentence else _BOUNDARY
    left = 0
    for m in pattern.finditer(text, 0, start):
        left = m.end() - 1
    after = pattern.search(text, end)
    right = after.start() + 1 if after else len(text)
    return left, right


def has_now_marker(text: str) -> bool:
    """True when ``text`` says the thing is happening now ("right now", "hurry", ...)."""
    return _NOW.search(text) is not None


def timeframe(text: str, start: int, end: int) -> Timeframe:
    """When is the cue at ``text[start:end]`` happening? See the module docstring."""
    return Tense(text).of(start, end)


class Tense:
    """``timeframe`` for the cues of one message.

    A message with several cues asks about the same clause, and about the message as a
    whole, once per cue; each is read only once and the answer remembered here, for this
    message only. ``lacking`` names markers (keys of ``MARKERS``) that the caller knows
    cannot match anywhere in the message (see ``gating``): they are not searched for.
    """

    __slots__ = ("_clauses", "_lacking", "_message", "text")

    def __init__(self, text: str, lacking: Container[str] = ()) -> None:
        self.text = text
        self._lacking = lacking
        self._clauses: dict[tuple[int, int], Timeframe | None] = {}  # clause -> what it says
        self._message: Timeframe | None = None

    def _says(self, marker: str, text: str) -> bool:
        return marker not in self._lacking and MARKERS[marker].search(text) is not None

    def of(self, start: int, end: int) -> Timeframe:
        """When is the cue at ``text[start:end]`` happening?"""
        text = self.text
        left, right = clause_bounds(text, start, end)
        if self._says("hypothetical", text[left:start]):
            return "hypothetical"
        if (left, right) not in self._clauses:
            clause = text[left:right]
            self._clauses[left, right] = (
                "now"
                if self._says("now", clause)
                else "past"
                if self._says("past", clause)
                else "habitual"
                if self._says("habitual", clause)
                else None
            )
        said = self._clauses[left, right]
        if said is not None:
            return said
        if self._message is None:
            self._message = (
                "now"
                if self._says("now", text)
                else "past"
                if self._says("past_dated", text)
                else "unknown"
            )
        return self._message
