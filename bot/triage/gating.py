"""Which cue patterns a message's words allow to match, so that only those run.

Python's regex engine tries every alternative at every position, so running all ~90 cue
patterns over every message costs far more than the matching itself: a typical message
matches two of them. Every pattern is therefore read once, at import, with the standard
library's own regex parser, to learn which words a match cannot do without:

* a *key* is the start (up to four letters) of a literal word the pattern needs at the
  start of a word: ``\\bknifes?\\b`` needs a word starting "knif";
* a *clause* is a set of keys one of which must be present: ``(?:knife|blade)`` needs
  "knif" or "blad";
* a pattern needs, for at least one of its alternatives, every clause of that
  alternative: ``going to (?:kill|stab) (?:me|us)`` needs "goin" and "to" and "kill" or
  "stab" and "me" or "us".

At run time a message's words are looked up once, each in a memo of the keys it starts
with. A pattern runs only when the message has, for some alternative, its rarest clause,
and also has every clause of rare words that all alternatives imply (``_implied``); and it
is tried only where a match may start: at words starting with one of the keys of its
first word (``first_words``). Only literal words that must start a word of the message
become keys (after a space, ``\\s`` or ``\\b``), so gating can only skip a pattern, or a
place, where it could not have matched: it changes no verdict. tests/triage/test_gating.py
checks this against running every pattern everywhere in every message.

Normalised text is words separated by single spaces (``normalise.py``); a rare word may
still contain apostrophes ("rock'n'roll"), where ``\\b`` also stands before a letter, so
words are split at apostrophes too when their keys are looked up.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from typing import Any, Final

from bot.triage.cues import Cue, Starts

# The standard library's own regex parser and its opcodes: private modules, so looked up
# by name (and untyped). Reading patterns with it is exact where a home-made parser guesses.
_parser: Any = importlib.import_module("re._parser")
sre: Any = importlib.import_module("re._constants")

__all__ = ["Gates", "first_words", "needs"]

Clause = frozenset[str]  # keys one of which must be present
Alternative = frozenset[Clause]  # clauses that must all be present
Dnf = list[Alternative]  # alternatives one of which must be satisfied

_ALWAYS: Final[Dnf] = [frozenset()]  # no requirement: the pattern always runs
_MAX_ALTERNATIVES: Final = 16  # beyond this, alternatives are merged (see _merge)
_WORD_CHARS: Final = frozenset(map(ord, "abcdefghijklmnopqrstuvwxyz0123456789"))
_REPEATS: Final = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_WORD_STARTERS: Final = ((sre.CATEGORY, sre.CATEGORY_SPACE), (sre.LITERAL, 32), (sre.LITERAL, 39))

# Words so common that a clause of them rules out almost nothing: a pattern is first
# looked up by its rarest clauses.
_COMMON_WORDS: Final = (
    "the and are with you her him his they she not was for their that this have has had "
    "all who one out any got get been just will what there when because can from into "
    "our your them some about like then now"
)
_COMMON: Final = frozenset(w[:4] for w in _COMMON_WORDS.split(" "))


def _cost(clause: Clause) -> int:
    """How often a clause is met in ordinary messages, roughly: short keys start many
    words ("in" starts "inside", "into", "instead"), common words are everywhere."""
    return sum(
        100 if k in _COMMON else 30 if len(k) == 2 else 3 if len(k) == 3 else 1 for k in clause
    )


def _best(alternative: Alternative) -> Clause:
    return min(alternative, key=lambda c: (_cost(c), sorted(c)))


def _implied(dnf: Dnf) -> Alternative:
    """Clauses every alternative of ``dnf`` implies: those they share, and unions made of
    one clause from each (its k-th rarest), which hold whichever alternative holds."""
    ranked = [sorted(alt, key=lambda c: (_cost(c), sorted(c))) for alt in dnf]
    implied = set(frozenset.intersection(*dnf))
    for k in range(max(len(r) for r in ranked)):
        implied.add(frozenset().union(*(r[min(k, len(r) - 1)] for r in ranked)))
    return frozenset(implied)


def _merge(dnf: Dnf) -> Dnf:
    """One alternative that every alternative of ``dnf`` implies (see ``_implied``):
    weaker than ``dnf`` but never wrong."""
    if any(not alt for alt in dnf):
        return _ALWAYS
    return [_implied(dnf)]


def _and(left: Dnf, right: Dnf) -> Dnf:
    if len(left) * len(right) > _MAX_ALTERNATIVES:
        right = _merge(right)
        if len(left) * len(right) > _MAX_ALTERNATIVES:
            left = _merge(left)
    return list(dict.fromkeys(a | b for a in left for b in right))


def _or(dnfs: Iterable[Dnf]) -> Dnf:
    parts = list(dnfs)
    if any(not alt for dnf in parts for alt in dnf):
        return _ALWAYS
    out = list(dict.fromkeys(alt for dnf in parts for alt in dnf))
    if len(out) > _MAX_ALTERNATIVES:  # one alternative per part, then one in all
        out = list(dict.fromkeys(_merge(dnf)[0] for dnf in parts))
    return out if len(out) <= _MAX_ALTERNATIVES else _merge(out)


def _seq(items: Any, run: str | None) -> tuple[Dnf, bool]:
    """What a parsed regex sequence needs, and whether it ends where a word may start.

    ``run`` is the literal word read so far from the start of a word of the message, or
    None when the position is not known to be at the start of a word.
    """
    need: Dnf = _ALWAYS

    def flush() -> None:
        nonlocal need
        if run is not None and len(run) >= 2:
            need = _and(need, [frozenset({frozenset({run[:4]})})])

    for op, arg in items:
        if op is sre.LITERAL and arg in _WORD_CHARS:
            if run is not None:
                run += chr(arg)
            continue
        if op is sre.SUBPATTERN or op is sre.BRANCH:
            # a word may go on inside the group: "kni(?:fe|ves)" needs "knif" or "kniv"
            alts = [arg[3]] if op is sre.SUBPATTERN else arg[1]
            parts = [_seq(alt, run) for alt in alts]
            need = _and(need, _or(p[0] for p in parts))
            run = "" if all(p[1] for p in parts) else None
            continue
        flush()
        at_start = run == ""
        if op is sre.LITERAL:
            run = "" if arg == 32 else None
        elif op is sre.IN:
            # a space starts a word; so does an apostrophe, as words are split there too
            run = "" if all(a in _WORD_STARTERS for a in arg) else None
        elif op is sre.AT:
            # after \b a word starts; other anchors (^, $) keep the position, \B leaves it
            keep = at_start and arg is not sre.AT_NON_BOUNDARY
            run = "" if arg is sre.AT_BOUNDARY or keep else None
        elif op is sre.ASSERT or op is sre.ASSERT_NOT:
            if op is sre.ASSERT and arg[0] == 1:  # what a lookahead needs is needed too
                need = _and(need, _seq(arg[1], "" if at_start else None)[0])
            run = "" if at_start else None
        elif op in _REPEATS:
            low, _, body = arg
            sub, ends_at_start = _seq(body, "" if at_start else None)
            if low >= 1:
                need = _and(need, sub)
                run = "" if ends_at_start else None
            else:
                run = "" if ends_at_start and at_start else None
        else:  # any other character or construct: no word known to start after it
            run = None
    flush()
    return need, run == ""


def needs(pattern: str) -> Dnf:
    """The alternatives of clauses one of which every match of ``pattern`` satisfies."""
    return _seq(_parser.parse(pattern), None)[0]


def _first(items: Any, run: str = "") -> frozenset[str] | None:
    """Keys (one to four letters) one of which the first word of every match of a parsed
    sequence starts with, the sequence starting at the start of a word; None if unknown."""
    for op, arg in items:
        if op is sre.LITERAL and arg in _WORD_CHARS:
            run += chr(arg)
            if len(run) == 4:
                return frozenset({run})
            continue
        if op is sre.SUBPATTERN or op is sre.BRANCH:
            keys: set[str] = set()
            for alt in [arg[3]] if op is sre.SUBPATTERN else arg[1]:
                sub = _first(alt, run)
                if sub is None:
                    return None
                keys |= sub
            return frozenset(keys)
        if run:
            return frozenset({run})
        if op is sre.AT or op is sre.ASSERT or op is sre.ASSERT_NOT:
            continue  # zero width
        if op in _REPEATS and arg[0] >= 1:
            return _first(arg[2])
        return None
    return frozenset({run}) if run else None


def first_words(pattern: str) -> frozenset[str] | None:
    """For a pattern whose every match starts with a space and then a word: keys one of
    which that word starts with, or None when that cannot be known."""
    items = list(_parser.parse(pattern))
    if not items or items[0] != (sre.LITERAL, 32):
        return None
    return _first(items[1:])


class Gates:
    """Which of a list of cues may match a text, and where.

    Each cue gets one bit (``Cue.bit``). A word's keys (its starts of one to four
    letters, which are all a key can be) are turned once into three masks and remembered:
    the cues whose rarest clauses it satisfies (a quick first cut), the clauses it
    satisfies, and the cues whose matches may start with it. People use the same few
    thousand words over and over, so a message costs one dictionary lookup per word. The
    few cues the first cut lets through are then checked for all the clauses they need.
    """

    _LIMIT: Final = 100_000

    def __init__(self, cues: Sequence[Cue]) -> None:
        self.always = 0
        self._first: dict[str, int] = {}  # key -> cues its word may let through
        self._clause_bits: dict[Clause, int] = {}
        self._in_clauses: dict[str, int] = {}  # key -> clauses its word satisfies
        self._starts: dict[str, int] = {}  # key -> cues a match of which may start there
        self._needed: dict[int, int] = {}  # cue bit -> clauses it needs beyond the first cut
        for i, cue in enumerate(cues):
            cue.bit = bit = 1 << i
            if cue.rx is not None and cue.anchored:
                starts = first_words(cue.rx.pattern)
                if starts is not None:
                    cue.starts_known()
                for key in starts or ():
                    self._starts[key] = self._starts.get(key, 0) | bit
            dnf = needs(cue.pattern)
            if any(not alt for alt in dnf):
                self.always |= bit
                continue
            for key in frozenset().union(*(_best(alt) for alt in dnf)):
                self._first[key] = self._first.get(key, 0) | bit
            # clauses worth checking: those of rare words (a clause of "in" or "the" is met
            # by almost every message and would only cost time)
            implied = {c for c in _implied(dnf) if _cost(c) < 30}
            if len(implied) > 1:  # else the first cut checks the one clause there is
                self._needed[bit] = self._mask(implied)
        self._refine = sum(self._needed)
        # cues that are not only a regex with known first words (each of those needs a
        # word its match may start with)
        self._unknown_starts = sum(1 << i for i, c in enumerate(cues) if not c.fast)
        # A word's cues and clauses go in one int, cues in the low bits, so that a message
        # costs one OR per word: clause c is bit (shift + c).
        self._shift = len(cues)
        self._needed = {bit: need << self._shift for bit, need in self._needed.items()}
        self._memo: dict[str, tuple[int, int]] = {}

    def _mask(self, alternative: Iterable[Clause]) -> int:
        mask = 0
        for clause in alternative:
            bit = self._clause_bits.setdefault(clause, 1 << len(self._clause_bits))
            for key in clause:
                self._in_clauses[key] = self._in_clauses.get(key, 0) | bit
            mask |= bit
        return mask

    def _word(self, word: str) -> tuple[int, int]:
        first = clauses = 0
        for part in word.split("'"):
            for key in {part[:2], part[:3], part[:4]}:
                first |= self._first.get(key, 0)
                clauses |= self._in_clauses.get(key, 0)
        starts = 0
        for key in {word[:1], word[:2], word[:3], word[:4]}:
            starts |= self._starts.get(key, 0)
        if len(self._memo) >= self._LIMIT:
            self._memo.clear()
        self._memo[word] = got = (first | clauses << self._shift, starts)
        return got

    def read(self, words: Iterable[str]) -> tuple[int, Starts]:
        """For a text ``" " + " ".join(words) + " "``: the bits of the cues that may match
        it, and for each word that a match may start with, the offset of the space before
        it and the bits of those cues."""
        seen = 0  # cues let through by the first cut | clauses met << shift
        startable = self._unknown_starts  # cues a match of which may start somewhere
        starts: Starts = []
        at = 0
        memo = self._memo
        for word in words:
            got, may_start = memo.get(word) or self._word(word)
            seen |= got
            if may_start:
                starts.append((at, may_start))
                startable |= may_start
            at += len(word) + 1
        first = seen & startable
        possible = self.always | (first & ~self._refine)
        todo = first & self._refine
        needed = self._needed
        while todo:
            bit = todo & -todo
            todo ^= bit
            if seen & needed[bit] == needed[bit]:
                possible |= bit
        return possible, starts
