"""A compiled cue pattern, matched as cheaply as its form allows.

Python's regex engine tries every alternative at every position. Two rewrites, both
relying on normalised text being words separated by single spaces with a space at each
end (``normalise.py``), make a pattern cheaper without changing what it matches:

* A pattern that is a plain list of words and phrases is matched by set lookup and
  substring tests instead of a regex (each word or phrase is reported once, at its
  first place).
* A pattern whose alternatives start with ``\\b`` starts them with a literal space
  instead, so the engine jumps from space to space.

Which cues run at all for a message is decided by ``gating.Gates``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Final

__all__ = ["Cue", "Starts", "at_word_start"]

# (offset of the space before a word, bits of the cues a match of which may start there)
Starts = list[tuple[int, int]]


def _structure(pattern: str) -> Iterator[tuple[int, str, int]]:
    """(position, character, group depth after it) for each character outside escapes and
    character classes: what both helpers below need to read a pattern's shape."""
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        else:
            depth += (c == "(") - (c == ")")
            yield i, c, depth
        i += 1


def _split_top(pattern: str) -> list[str]:
    """Split at the ``|`` that are not inside a group or a character class."""
    parts, start = [], 0
    for i, c, depth in _structure(pattern):
        if c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return parts


def _group_end(pattern: str, open_at: int) -> int:
    """Where the group opened at `open_at` closes."""
    base = None
    for i, c, depth in _structure(pattern):
        if i == open_at:
            base = depth - 1
        elif base is not None and c == ")" and depth == base:
            return i
    return len(pattern) - 1


def _space_anchored(pattern: str) -> str:
    """Start each top-level alternative with a literal space instead of ``\\b``.

    Normalised text is words separated by single spaces with a space at each end, so
    " kill" matches exactly where "\\bkill" does; but a literal first character lets the
    regex engine jump from space to space instead of trying every alternative at every
    character, which is several times faster. Matches then include the leading space;
    callers use ``_span`` to drop it.
    """
    if pattern.startswith("(?:") and _group_end(pattern, 0) == len(pattern) - 1:
        pattern = pattern[3:-1]
    branches = _split_top(pattern)
    if not all(b.startswith("\\b") for b in branches):
        return pattern
    return "|".join(" " + b[2:] for b in branches)


def at_word_start(pattern: str) -> re.Pattern[str]:
    """Compile ``\\b(?:...)...`` so that it finds the same matches several times faster,
    each starting one character early (callers add 1 to ``start()`` if they use it).

    In normalised text a word starts after a space, or, inside a rare word such as
    "rock'n'roll", after an apostrophe. A first character of ``[ ']`` lets the engine skip
    to those places instead of trying every alternative at every position. Only for
    patterns searched in text that starts with a space (a message or one of its clauses).
    """
    if not pattern.startswith("\\b(?:") or len(_split_top(pattern)) != 1:
        raise ValueError(f"not a single \\b(?:...) pattern: {pattern[:40]}")
    return re.compile("[ ']" + pattern[2:])


def _span(text: str, m: re.Match[str]) -> tuple[int, int]:
    """The match's span without the leading space that ``_space_anchored`` adds."""
    start, end = m.span()
    if start < end and text[start] == " ":
        start += 1
    return start, end


_PLAIN: Final = re.compile(r"[a-z0-9' ]+")
_WRAPPED: Final = re.compile(r"^\\b\(\?:(.*)\)\\b$", re.DOTALL)


class Cue:
    """One compiled cue pattern.

    A pattern that is a plain list of words and phrases (``\\b(?:noise|loud music|...)\\b``,
    most slur and group lists) is not run as a regex at all: single words are found by a
    set intersection with the message's words and phrases by a substring test, both in C.
    Any alternatives that are real patterns stay in a (smaller) regex.
    """

    __slots__ = (
        "anchored",
        "at_start",
        "bit",
        "by_start",
        "fast",
        "multi",
        "multi_first",
        "pattern",
        "rx",
        "single",
    )

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.bit = 0  # this cue's bit in the masks of ``gating.Gates``
        self.by_start = False  # whether Gates knows the words a match may start with
        self.fast = False  # by_start, and nothing but a regex (see find)
        self.single: frozenset[str] = frozenset()
        self.multi: dict[str, list[str]] = {}
        anchored = _space_anchored(pattern)
        self.anchored = anchored != pattern  # every match then starts with a space
        self.rx: re.Pattern[str] | None = re.compile(anchored)
        wrapped = _WRAPPED.match(pattern)
        if wrapped and _group_end(pattern, 2) == len(pattern) - 3:
            alternatives = _split_top(wrapped.group(1))
            plain = [a for a in alternatives if _PLAIN.fullmatch(a) and a.strip() == a and a]
            rest = [a for a in alternatives if a not in plain]
            self.single = frozenset(a for a in plain if " " not in a)
            for phrase in plain:
                if " " in phrase:
                    self.multi.setdefault(phrase.split(" ", 1)[0], []).append(phrase)
            self.rx = re.compile(" (?:" + "|".join(rest) + r")\b") if rest else None
            self.anchored = True
        self.multi_first = frozenset(self.multi)
        # "^ (?:hi|hello|...)": only ever matches at the start of the text
        self.at_start = pattern.startswith("^") and len(_split_top(pattern)) == 1

    def find(
        self, text: str, words: frozenset[str], starts: Starts | None = None
    ) -> list[tuple[int, int, str]]:
        """(start, end, words) of each match, in order of position. ``words`` is the set
        of ``text.split()``. A plain word or phrase is reported once, at its first place.

        With ``starts`` (from ``Gates.read``), the regex is only tried where a match may
        start, instead of at every word: the same matches, a few times faster.
        """
        if self.fast and starts is not None:
            # the common case, inlined: only a regex, tried where a match may start
            out = []
            end = 0
            match, bit = self.rx.match, self.bit  # type: ignore[union-attr]
            for at, may in starts:
                if may & bit and at >= end:
                    m = match(text, at)
                    if m is not None:
                        end = m.end()
                        out.append((at + 1, end, m.group()[1:].strip()))
            return out
        if self.anchored and not self.multi and not self.single and self.rx is not None:
            return [
                (m.start() + 1, m.end(), m.group()[1:].strip()) for m in self._run(text, starts)
            ]
        found: list[tuple[int, int, str]] = []
        for word in self.single & words:
            start = text.find(f" {word} ") + 1
            found.append((start, start + len(word), word))
        for first in self.multi_first & words:
            for phrase in self.multi[first]:
                at = text.find(f" {phrase} ")
                if at >= 0:
                    found.append((at + 1, at + 1 + len(phrase), phrase))
        if self.rx is not None:
            for m in self._run(text, starts):
                start, end = _span(text, m)
                found.append((start, end, text[start:end].strip()))
        if len(found) > 1:
            found.sort()
        return found

    def starts_known(self) -> None:
        """Called by ``Gates`` when it knows the words a match may start with."""
        self.by_start = True
        self.fast = self.anchored and not self.multi and not self.single

    def _run(self, text: str, starts: Starts | None) -> Iterable[re.Match[str]]:
        """What ``rx.finditer(text)`` gives: leftmost matches that do not overlap."""
        assert self.rx is not None
        if self.at_start:
            m = self.rx.match(text)
            return [m] if m is not None else []
        if starts is None or not self.by_start:
            return self.rx.finditer(text)
        out = []
        end = 0
        match, bit = self.rx.match, self.bit
        for at, may in starts:
            if may & bit and at >= end:
                m = match(text, at)
                if m is not None:
                    out.append(m)
                    end = m.end()
        return out
