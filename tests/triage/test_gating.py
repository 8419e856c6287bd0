"""The speed-ups must change nothing: same matches, same verdicts as the slow way.

* Gating (``gating.Gates``) runs a cue only when the message has the words it needs, and
  only where a match may start. The reference runs every cue with ``finditer`` over the
  whole message.
* ``at_word_start`` patterns must find what their ``\\b`` originals find.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.triage import detector, tense, triage
from bot.triage.cues import at_word_start
from bot.triage.gating import first_words, needs
from bot.triage.normalise import normalise

HERE = Path(__file__).parent


def _texts() -> list[str]:
    texts = [
        json.loads(line)["text"]
        for name in ("labelled.jsonl", "holdout.jsonl")
        for line in (HERE / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    # the same messages shouted, unpunctuated and run together, as people also write
    shouted = [t.upper() for t in texts[::3]]
    bare = [re.sub(r"[^\w\s]", "", t).lower() for t in texts[1::3]]
    joined = [" ".join(texts[i : i + 4]) for i in range(0, len(texts), 25)]
    return texts + shouted + bare + joined + ["rock'n'roll'll n't", "'", ""]


TEXTS = _texts()


def test_gating_changes_no_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = [triage(t).as_dict() for t in TEXTS]
    every_cue = -1  # every bit set
    # the reference: every cue may match, and is searched for everywhere
    monkeypatch.setattr(detector._GATES, "read", lambda words: (every_cue, None))
    slow = [triage(t).as_dict() for t in TEXTS]
    assert fast == slow


WORD_START = {
    "fiction": detector._FICTION,
    "weapon": detector._WEAPON,
    "bonfire": detector._BONFIRE,
    "victim_identity": detector._VICTIM_IDENTITY,
    "hostile_act": detector._HOSTILE_ACT,
    "remote": detector._REMOTE,
    "present": detector._PRESENT,
    "danger": detector._DANGER,
    "nuisance_only": detector._NUISANCE_ONLY,
    "public_fire": detector._PUBLIC_FIRE,
    "private_place": detector._PRIVATE_PLACE,
    "graffiti": detector._GRAFFITI,
    "jewish_context": detector._JEWISH_CONTEXT,
    "now": tense._NOW,
    "past": tense._PAST,
    "past_dated": tense._PAST_DATED,
    "hypothetical": tense._HYPOTHETICAL,
    "habitual": tense._HABITUAL,
}


@pytest.mark.parametrize("name", sorted(WORD_START))
def test_word_start_patterns_find_what_their_originals_find(name: str) -> None:
    fast = WORD_START[name]
    original = re.compile(r"\b" + fast.pattern[len("[ ']") :])
    for text in TEXTS:
        norm = normalise(text).text
        # the message, and each of its clauses as the detector and tense module cut them
        pieces = [norm] + [norm[a : b + 1] for a, b in _clauses(norm)]
        for piece in pieces:
            want = [m.span() for m in original.finditer(piece)]
            got = [(m.start() + 1, m.end()) for m in fast.finditer(piece)]
            assert got == want, (name, piece)


def _clauses(text: str) -> list[tuple[int, int]]:
    marks = [m.start() for m in re.finditer(r" [.,] ", text)]
    bounds = [0, *(m + 2 for m in marks)]
    return [(a, b) for a, b in zip(bounds, [*marks, len(text) - 1], strict=True) if a < b]


def test_at_word_start_refuses_what_it_cannot_rewrite() -> None:
    with pytest.raises(ValueError):
        at_word_start(r"\bhelp\b|^ help")
    with pytest.raises(ValueError):
        at_word_start(r"(?:help)")


def _keys(pattern: str) -> list[list[list[str]]]:
    return sorted(sorted(sorted(c) for c in alt) for alt in needs(pattern))


def test_needs_reads_the_words_a_match_cannot_do_without() -> None:
    assert _keys(r"\b(?:knife|knives)\s+out\b") == [[["knif"], ["out"]], [["kniv"], ["out"]]]
    # "going to (kill|stab) me": every word is needed, one verb or the other
    assert _keys(r"\bgoing to (?:kill|stab) me\b") == [
        [["goin"], ["kill"], ["me"], ["to"]],
        [["goin"], ["me"], ["stab"], ["to"]],
    ]
    # optional words are not needed
    assert _keys(r"\bkicked (?:my )?door\b") == [[["door"], ["kick"]]]


def test_needs_never_keys_on_what_may_not_start_a_word() -> None:
    # "letterbox" has no word starting "box"
    assert _keys(r"\bletter ?box\b") == [[["lett"]]]
    # "just [a-z]+ed": no known word at all before the first \b or space
    assert _keys(r"just (?!want)[a-z]+ed") == [[]]
    assert _keys(r"\bjust [a-z]+ed") == [[["just"]]]


def test_first_words() -> None:
    assert first_words(r" (?:knife|knives|blade)\b") == frozenset({"knif", "kniv", "blad"})
    assert first_words(r" (?<!nearly )(?:hitting|hit) (?:me|him)") == frozenset({"hitt", "hit"})
    assert first_words(r" (?:up )?against the wall") is None
    assert first_words(r"^ (?:hi|hello)") is None
