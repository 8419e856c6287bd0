"""Combine the cues into one verdict for one message.

The order of work:

1. ``normalise`` the text once.
2. Emergency: every emergency cue that matches is checked for fiction ("a film where they
   stab a guy"), bonfire context (for "on fire"), who is threatening whom ("I could kill
   him" is the resident's own hyperbole), how the threat arrived (a text last night is
   not imminent) and, through ``tense.timeframe``, whether it is happening now. A shouted
   "help" with danger words counts too.
3. Hate: every hate cue that matches is checked against negators ("accused me of being
   racist", "what is a hate crime") and, for insults that are only hateful with context
   ("psycho"), the group named elsewhere in the message. Strands come from the cue, or
   from the group words in the message when the cue does not say ("[slur]").
4. Category and subtype: an emergency or hate verdict decides the subtype; otherwise the
   subtype with the most weight of matching words wins, and messages that are about the
   service (status, complaints, questions, greetings) are ``none``.

Everything is compiled once at import; a verdict costs tens of microseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

from bot.triage import lexicon as lx
from bot.triage.normalise import normalise
from bot.triage.tense import clause_bounds, has_now_marker, timeframe

__all__ = ["CATEGORIES", "STRANDS", "Evidence", "Verdict", "triage"]

STRANDS: Final = ("disability", "race", "religion", "sexual_orientation", "transgender")
CATEGORIES: Final = ("personal", "nuisance", "environmental", "none")
CHANNELS: Final = frozenset({"sms", "chat", "voice"})


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a flag was raised: the cue's name and the (normalised) words that matched."""

    flag: str  # "emergency", "hate_crime" or "category"
    cue: str
    words: str

    def as_dict(self) -> dict[str, str]:
        return {"flag": self.flag, "cue": self.cue, "words": self.words}


@dataclass(frozen=True, slots=True)
class Verdict:
    """The triage verdict for one message. Fields follow CONTRACT section 2."""

    emergency: bool
    hate_crime: bool
    hate_strands: list[str]
    category: str
    subtype: str
    evidence: list[Evidence] = field(default_factory=list)

    def contract_dict(self) -> dict[str, Any]:
        """The fields of the `asb-intake triage` output line (without the id)."""
        return {
            "emergency": self.emergency,
            "hate_crime": self.hate_crime,
            "hate_strands": list(self.hate_strands),
            "category": self.category,
            "subtype": self.subtype,
        }

    def as_dict(self) -> dict[str, Any]:
        """The contract fields plus the evidence, for case records and call handlers."""
        out = self.contract_dict()
        out["evidence"] = [e.as_dict() for e in self.evidence]
        return out


# --- compiled once ---------------------------------------------------------------------------

# Speed: Python's regex engine tries every alternative at every position, so a few dozen
# cue patterns cost hundreds of microseconds per message. Each pattern is therefore gated:
# it only runs when the message has a word starting like one of the literal words in the
# pattern (its first 3 or 4 letters). A pattern can only match text containing at least one
# of its own literal words, so gating changes no verdict; tests/triage/test_detector.py
# checks that gated and ungated runs agree on every labelled message.
_ESCAPE = re.compile(r"\\[a-zA-Z]")
_LITERAL = re.compile(r"[a-z0-9]+")


def _split_top(pattern: str) -> list[str]:
    """Split at the ``|`` that are not inside a group or a character class."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _group_end(pattern: str, open_at: int) -> int:
    depth, i, in_class = 0, open_at, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return len(pattern) - 1


_LEAD: Final = re.compile(r"^(?:\\b|\^|\s|\\s[+*]?|\(\?<?[=!][^()]*\))+")
_LEAD_WORD: Final = re.compile(r"^([a-z0-9]+)")


def _first_keys(pattern: str) -> set[str] | None:
    """Literal words one of which starts every match, or None when that cannot be known.

    Reads the first element of each top-level alternative: a group (recursively) or a
    literal word. Anything else (a character class, an optional group) gives None, and
    the pattern then falls back to all of its literal words.
    """
    keys: set[str] = set()
    for branch in _split_top(pattern):
        branch = _LEAD.sub("", branch)
        if branch.startswith("("):
            end = _group_end(branch, 0)
            inner, rest = branch[1:end], branch[end + 1 :]
            if rest[:1] in ("?", "*") or rest.startswith("{0"):
                return None
            if inner.startswith("?:"):
                inner = inner[2:]
            elif inner.startswith("?P<"):
                inner = inner[inner.index(">") + 1 :]
            elif inner.startswith("?"):
                return None
            sub = _first_keys(inner)
            if sub is None:
                return None
            keys |= sub
            continue
        word = _LEAD_WORD.match(branch)
        if word is None:
            return None
        chunk = word.group(1)
        following = branch[len(chunk) : len(chunk) + 1]
        if following in ("?", "*", "{"):
            chunk = chunk[:-1]  # "knifes?" : the last letter is optional
        if len(chunk) < 3 and not (chunk.isdigit() and len(chunk) >= 2):
            return None
        keys.add(chunk[:4])
    return keys


# Words so common that gating on them saves nothing.
_COMMON_WORDS: Final = (
    "the and are with you her him his they she not was for their that this have has had "
    "all who one out any got get been just will what there when because can from into "
    "our your them some about like then now"
)
_COMMON: Final = frozenset(w[:4] for w in _COMMON_WORDS.split(" "))
_QUANT: Final = re.compile(r"^(?:[?*+]|\{\d*,?\d*\})\??")


def _elements(branch: str) -> list[tuple[str, bool]]:
    """Top-level elements of one alternative: (text, required). Groups and literal words are
    elements; anchors, escapes, lookarounds and character classes are skipped."""
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(branch):
        c = branch[i]
        if c == "\\":
            i += 2
            quant = _QUANT.match(branch[i:])
            if quant:
                i += quant.end()
            continue
        if c == "[":
            j = branch.index("]", i + 1)
            i = j + 1
            quant = _QUANT.match(branch[i:])
            if quant:
                i += quant.end()
            continue
        if c == "(":
            end = _group_end(branch, i)
            inner = branch[i + 1 : end]
            i = end + 1
            quant = _QUANT.match(branch[i:])
            optional = False
            if quant:
                q = quant.group(0)
                # "?", "*" and "{0,n}" may match nothing; "+" and "{2,}" may not
                optional = q[0] in "?*" or q.startswith("{0") or q.startswith("{,")
                i += quant.end()
            if inner.startswith("?:"):
                out.append((inner[2:], not optional))
            elif inner.startswith("?P<"):
                out.append((inner[inner.index(">") + 1 :], not optional))
            elif not inner.startswith("?"):
                out.append((inner, not optional))
            continue  # lookarounds are not part of the match
        word = _LEAD_WORD.match(branch[i:])
        if word:
            chunk = word.group(1)
            i += len(chunk)
            quant = _QUANT.match(branch[i:])
            if quant:
                i += quant.end()
                # only the last letter is optional ("knifes?"); the rest is required
                chunk = chunk[:-1]
            out.append((chunk, True))
            continue
        i += 1
    return out


def _required_keys(pattern: str) -> set[str] | None:
    """Keys one of which every match of ``pattern`` must contain, preferring rare words.

    For each alternative, every required element (a group or a literal word) is a
    candidate; the one with the fewest common words wins. None when some alternative has
    no element that can be keyed.
    """
    keys: set[str] = set()
    for branch in _split_top(pattern):
        best: set[str] | None = None
        best_cost = 10**9
        for text, required in _elements(branch):
            if not required:
                continue
            if _LEAD_WORD.fullmatch(text):
                cand: set[str] | None = {text[:4]} if len(text) >= 2 else None
            else:
                cand = _required_keys(text)
            if not cand:
                continue
            cost = 100 * len(cand & _COMMON) + len(cand)
            if cost < best_cost:
                best, best_cost = cand, cost
        if best is None:
            return None
        keys |= best
    return keys


def _trigger_keys(pattern: str) -> frozenset[str] | None:
    keys = _required_keys(pattern)
    return frozenset(keys) if keys else None


def _text_keys(text: str) -> frozenset[str]:
    """The 2-, 3- and 4-letter starts of every word in ``text`` (short words whole)."""
    words = text.split()
    keys = {w[:4] for w in words}
    keys.update([w[:3] for w in words])
    keys.update([w[:2] for w in words])
    return frozenset(keys)


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


def _span(text: str, m: re.Match[str]) -> tuple[int, int]:
    """The match's span without the leading space that ``_space_anchored`` adds."""
    start, end = m.span()
    if start < end and text[start] == " ":
        start += 1
    return start, end


_PLAIN: Final = re.compile(r"[a-z0-9' ]+")
_WRAPPED: Final = re.compile(r"^\\b\(\?:(.*)\)\\b$", re.DOTALL)


class _Gated:
    """A compiled pattern that only runs when its trigger words could be present.

    A pattern that is a plain list of words and phrases (``\\b(?:noise|loud music|...)\\b``,
    most subtype and slur lists) is not run as a regex at all: single words are found by a
    set intersection with the message's words and phrases by a substring test, both in C.
    Any alternatives that are real patterns stay in a (smaller) regex.
    """

    __slots__ = ("anchored", "keys", "multi", "multi_first", "rx", "single")

    def __init__(self, pattern: str) -> None:
        self.keys = _trigger_keys(pattern)
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

    def may_match(self, keys: frozenset[str]) -> bool:
        return not GATING or self.keys is None or not self.keys.isdisjoint(keys)

    def find(self, text: str, words: frozenset[str]) -> list[tuple[int, int, str]]:
        """(start, end, words) of each match, in order of position."""
        if self.anchored and not self.multi and not self.single and self.rx is not None:
            out = []
            for m in self.rx.finditer(text):
                start, end = m.span()
                out.append((start + 1, end, text[start + 1 : end].strip()))
            return out
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
            for m in self.rx.finditer(text):
                start, end = _span(text, m)
                found.append((start, end, text[start:end].strip()))
        if len(found) > 1:
            found.sort()
        return found


GATING = True  # switched off only by the test that proves gating changes nothing


class _Index:
    """Which patterns of a family may match, found by looking up the message's words.

    Equivalent to asking every pattern's ``may_match`` but costs one dictionary lookup per
    word instead of one set intersection per pattern.
    """

    __slots__ = ("always", "by_key", "key_set", "size")

    def __init__(self, gated: list[_Gated]) -> None:
        self.size = len(gated)
        self.always = [i for i, g in enumerate(gated) if g.keys is None]
        by_key: dict[str, list[int]] = {}
        for i, g in enumerate(gated):
            for key in g.keys or ():
                by_key.setdefault(key, []).append(i)
        self.by_key = by_key
        self.key_set = frozenset(by_key)

    def candidates(self, keys: frozenset[str]) -> list[int]:
        if not GATING:
            return list(range(self.size))
        found = set(self.always)
        for key in keys & self.key_set:
            found.update(self.by_key[key])
        return sorted(found)


_EMERGENCY: Final = tuple((cue, _Gated(cue.pattern)) for cue in lx.EMERGENCY_CUES)
_HATE: Final = tuple((cue, _Gated(cue.pattern)) for cue in lx.HATE_CUES)
_FICTION: Final = re.compile(lx.FICTION)
_WEAPON: Final = re.compile(rf"\b{lx.WEAPON}\b")
_BONFIRE: Final = re.compile(lx.BONFIRE)
_HATE_NEGATOR: Final = re.compile(lx.HATE_NEGATORS)
_VICTIM_IDENTITY: Final = re.compile(lx.VICTIM_IDENTITY)
_HOSTILE_ACT: Final = re.compile(lx.HOSTILE_ACT)
_GROUPS: Final = tuple(
    (strand, _Gated(rf"\b(?:{words})\b")) for strand, words in lx.GROUP_WORDS.items()
)
_SUBTYPES: Final = tuple(_Gated(rf"\b(?:{cue.pattern})\b") for cue in lx.SUBTYPE_CUES)
_EMERGENCY_INDEX: Final = _Index([g for _, g in _EMERGENCY])
_HATE_INDEX: Final = _Index([g for _, g in _HATE])
_SUBTYPE_INDEX: Final = _Index(list(_SUBTYPES))
_NONE: Final = {name: _Gated(p) for name, p in lx.NONE_CUES.items()}

# Who is speaking a threat: "I could kill him", "I'll murder him if..." are the resident's
# own words, never a threat to them.
_SELF_SUBJECT: Final = re.compile(
    r"\b(?:i|we|i am|we are|i will|i would|i could)\s+(?:[a-z]+\s+)?$"
)
# "kill me for complaining", "kill me if I..." : idiom or condition, not an act in progress
_THREAT_TAIL_IDIOM: Final = re.compile(r"^\s+(?:for|with the noise|with that)\b")
_THREAT_TAIL_IF: Final = re.compile(r"^(?:\s+[a-z]+){0,3}?\s+(?:if|when|unless)\b")
# Threats that arrived in writing or by phone are serious but not imminent.
_REMOTE: Final = re.compile(
    r"\b(?:letter|text|texts|texted|texting|message|messages|messaged|messaging|email|"
    r"emailed|facebook|online|snapchat|instagram|whatsapp|voicemail|note|notes|posted|"
    r"received|got a|sent)\b"
)
# The threatener is here: outside, at the door, in the house, on the way.
_PRESENT: Final = re.compile(
    r"\b(?:outside|at (?:my|the|our) (?:door|window|front door|back door)|at the door|"
    r"at my window|on (?:my|the|our) doorstep|in (?:my|the|our) (?:house|flat|garden|"
    r"hallway|hall|car)|on (?:his|her|their) way|coming round|banging|standing|right now|"
    r"here|has got|is holding|with a)\b"
)
# A cry for help: shouted, or "help me" / "someone help" with danger words.
_HELP: Final = re.compile(
    r"\b(?:help me|help us|help help|someone help|somebody help|please help|help please|"
    r"please help me|send help|need help now|help now)\b|^ help\b|\bhelp $"
)
_HELP_WORD: Final = re.compile(r"\bhelp\b")
_DANGER: Final = re.compile(
    r"\b(?:scared|terrified|frightened|afraid|hurt|hurting|kill|killing|attack|attacking|"
    r"attacked|screaming|hurry|quick|danger|bleeding|at the door|at my door|in my house|"
    r"will not go away|won t go away|outside|knife|gun|weapon|beating|hitting|fighting|"
    r"smashing|kicking|breaking)\b"
)
_NUISANCE_ONLY: Final = re.compile(
    r"\b(?:noise|music|party|loud|parking|parked|barking|bins|rubbish|litter|smell|"
    r"fly tipping|graffiti|dog mess)\b"
)
# Fires on shared land are environmental; on a home, car or person, personal.
_PUBLIC_FIRE: Final = re.compile(
    r"\b(?:bins|bin|wheelie bins|skip|play park|playground|park|field|grass|bus shelter|"
    r"rubbish|hedge by|woods|garages)\b"
)
_PRIVATE_FIRE: Final = re.compile(
    r"\b(?:my|our|his|her|their)\s+(?:[a-z]+\s+)?(?:door|house|home|flat|car|van|shed|"
    r"garage|letterbox|letter box)\b|\bletter ?box\b|\bhouse\b|\bflat\b|\bcar\b|\bgarage\b"
)
_PRIVATE_PLACE: Final = re.compile(
    r"\b(?:my|our|on our|on my)\s+(?:[a-z]+\s+)?(?:door|front door|house|home|flat|car|van|"
    r"windows|window|wall|fence|gate|bins|shop|property|caravans|caravan)\b"
)
_GRAFFITI: Final = re.compile(
    r"\b(?:graffiti|graffitied|sprayed|spray painted|painted|daubed|scrawled|spraying|"
    r"scratched|written on|wrote on)\b"
)
_DAMAGE_OWN: Final = re.compile(
    r"\b(?:scratched|keyed|smashed|wrote|written|painted|sprayed|damaged|broke|broken)\b"
    r"(?:\s+[a-z0-9']+){0,6}?\s+(?:on|into|in)?\s*(?:my|our)\s+(?:[a-z]+\s+)?(?:car|door|"
    r"front door|windows|window|van|house|property)\b"
    r"|\b(?:on|into)\s+(?:our|my)\s+(?:car|front door|door|van)\b"
)

_EMERGENCY_PRIORITY: Final = {"weapon": 0, "intruder": 1, "fire": 2, "threats": 3, "violence": 4}

# Strand named by a hostility word itself.
_NAMED_STRAND: Final = (
    (re.compile(r"racis|racial"), "race"),
    (re.compile(r"homophob"), "sexual_orientation"),
    (re.compile(r"transphob"), "transgender"),
    (re.compile(r"islamophob|muslim|semit|jewish"), "religion"),
    (re.compile(r"disablis|ableis"), "disability"),
)
_JEWISH_CONTEXT: Final = re.compile(r"\b(?:synagogue|jew|jews|jewish|kosher)\b")


def _sentence(text: str, start: int, end: int) -> str:
    left, right = clause_bounds(text, start, end, sentence=True)
    return text[left:right]


def _group_strands(text: str) -> set[str]:
    keys = _text_keys(text)
    words = frozenset(text.split())
    return {strand for strand, g in _GROUPS if g.may_match(keys) and g.find(text, words)}


def _emergency(
    text: str, keys: frozenset[str], words: frozenset[str], shouting: bool
) -> list[tuple[str, str, str]]:
    """(cue name, subtype, words) for each emergency cue that is real and happening now."""
    found: list[tuple[str, str, str]] = []
    for i in _EMERGENCY_INDEX.candidates(keys):
        cue, gated = _EMERGENCY[i]
        for start, end, matched in gated.find(text, words):
            sentence = _sentence(text, start, end)
            if _FICTION.search(sentence):
                continue
            if cue.name == "on_fire" and _BONFIRE.search(text):
                continue
            if cue.threat:
                if _SELF_SUBJECT.search(text[max(0, start - 24) : start]):
                    continue
                tail = text[end : end + 40]
                if _THREAT_TAIL_IDIOM.match(tail):
                    continue
                present = _PRESENT.search(text) is not None
                if _THREAT_TAIL_IF.match(tail) and not present:
                    continue
                if _REMOTE.search(sentence) and not present:
                    continue
            when = timeframe(text, start, end)
            if when in ("past", "hypothetical", "habitual"):
                continue
            if cue.needs_now and when != "now":
                continue
            found.append((cue.name, cue.subtype, matched))
    if not found and text.count(" ") <= 15:
        # Terse alarm: "KNIFE. OUTSIDE. NOW." has no sentence to parse, only the facts.
        weapon = _WEAPON.search(text)
        if weapon and has_now_marker(text) and not _FICTION.search(text):
            found.append(("weapon_now_terse", "weapon", weapon.group(0)))
    if not found and "help" in text:
        help_m = _HELP.search(text) or (_HELP_WORD.search(text) if shouting else None)
        if (
            help_m
            and _DANGER.search(text)
            and not _NUISANCE_ONLY.search(text)
            and timeframe(text, *help_m.span()) not in ("past", "hypothetical", "habitual")
        ):
            found.append(("cry_for_help", "violence", help_m.group(0).strip()))
    return found


def _hate(
    text: str, keys: frozenset[str], words: frozenset[str]
) -> tuple[list[tuple[str, str]], set[str]]:
    """(cue name, words) for each hate cue, and the strands they point to."""
    found: list[tuple[str, str]] = []
    strands: set[str] = set()
    context: set[str] | None = None
    for i in _HATE_INDEX.candidates(keys):
        cue, gated = _HATE[i]
        for start, end, matched in gated.find(text, words):
            if cue.name == "named_hostility" and (
                _HATE_NEGATOR.search(text[max(0, start - 40) : start])
                or _FICTION.search(_sentence(text, start, end))
            ):
                continue
            if cue.name in lx.CONTEXT_REQUIRED:
                named = _group_strands(text[:start] + " " + text[end:])
                if (cue.strand is None and not named) or (
                    cue.strand is not None and cue.strand not in named
                ):
                    continue
            found.append((cue.name, matched))
            if cue.strand is not None:
                strands.add(cue.strand)
            elif cue.name == "hate_symbol":
                strands.add("religion" if _JEWISH_CONTEXT.search(text) else "race")
            else:
                # the strand named by the words themselves, else by the rest of the message
                if cue.name == "named_hostility":
                    own = {s for rx2, s in _NAMED_STRAND if rx2.search(matched)}
                else:
                    own = _group_strands(f" {matched} ")
                if not own and context is None:
                    context = _group_strands(text)
                strands |= own or context or set()
    if not found:
        # Implicit hostility: the victim's identity and a hostile act in one sentence.
        for ident in _VICTIM_IDENTITY.finditer(text):
            left, right = clause_bounds(text, *ident.span(), sentence=True)
            act = _HOSTILE_ACT.search(text, left, right)
            if act is None:
                continue
            found.append(("targeted_identity", f"{ident.group(0).strip()} / {act.group(0)}"))
            strands |= _group_strands(ident.group(0)) or _group_strands(text[left:right])
            break
    return found, strands


def _category(
    text: str, keys: frozenset[str], words_in: frozenset[str]
) -> tuple[str, str, list[tuple[str, str]]]:
    """Category, subtype and the words that decided them, for a non-urgent message."""
    for name in ("greeting", "status", "complaint"):
        none_cue = _NONE[name]
        hit = none_cue.find(text, words_in) if none_cue.may_match(keys) else None
        if hit:
            return "none", "none", [(name, hit[0][2])]
    words: dict[int, list[str]] = {}
    for i in _SUBTYPE_INDEX.candidates(keys):
        gated, cue = _SUBTYPES[i], lx.SUBTYPE_CUES[i]
        for start, end, matched in gated.find(text, words_in):
            if cue.subtype in ("weapon", "violence") and _FICTION.search(
                _sentence(text, start, end)
            ):
                continue  # "a film where they stab a guy"
            before = text[max(0, start - 24) : start]
            if cue.subtype == "threats" and _SELF_SUBJECT.search(before):
                continue  # "I'm going to kill my neighbour if..." is the resident venting
            words.setdefault(i, []).append(matched)

    by_subtype: dict[str, float] = {}
    first: dict[str, int] = {}
    for i, hits in words.items():
        # The first matching word says most; more words of the same kind add less each.
        name = lx.SUBTYPE_CUES[i].subtype
        weight = lx.SUBTYPE_CUES[i].weight * (1.0 + 0.5 * min(len(hits) - 1, 2))
        by_subtype[name] = by_subtype.get(name, 0.0) + weight
        first[name] = min(first.get(name, i), i)

    question: str | None = None
    for name in ("question", "question_start"):
        question_cue = _NONE[name]
        asked = question_cue.find(text, words_in) if question_cue.may_match(keys) else None
        if asked:
            question = asked[0][2]
            break
    best = max(by_subtype, key=lambda k: (by_subtype[k], -first[k]), default=None)
    if best is None or (question and by_subtype[best] < 4.0):
        # a question about the service, or nothing that describes an incident
        if question:
            return "none", "none", [("question", question)]
        return "none", "none", []
    category = lx.SUBTYPE_CUES[first[best]].category
    hits = [w for i, ws in sorted(words.items()) if lx.SUBTYPE_CUES[i].subtype == best for w in ws]
    return category, best, [(best, ", ".join(dict.fromkeys(hits)))]


def triage(text: str, channel: str | None = None) -> Verdict:
    """Triage one message. ``channel`` is "sms", "chat", "voice" or None.

    The channel does not change the rules: normalisation already copes with voice
    transcripts and SMS-speak, and the same words mean the same danger on every channel.
    It is accepted so that callers pass what they know; an unknown value is ignored
    rather than refused, because a safety check must never fail on a label.
    """
    del channel  # same rules everywhere (see above)
    norm = normalise(text)
    t = norm.text
    evidence: list[Evidence] = []

    keys = _text_keys(t)
    words = frozenset(t.split())
    emergencies = _emergency(t, keys, words, norm.shouting)
    evidence.extend(Evidence("emergency", name, words) for name, _, words in emergencies)
    hate_cues, strands = _hate(t, keys, words)
    evidence.extend(Evidence("hate_crime", name, words) for name, words in hate_cues)
    hate = bool(hate_cues)

    if emergencies:
        subtype = min((s for _, s, _ in emergencies), key=_EMERGENCY_PRIORITY.__getitem__)
        category = "personal"
        if subtype == "fire" and _PUBLIC_FIRE.search(t) and not _PRIVATE_FIRE.search(t):
            category = "environmental"
        evidence.append(Evidence("category", subtype, emergencies[0][2]))
    elif hate:
        if _GRAFFITI.search(t) and not _PRIVATE_PLACE.search(t):
            category, subtype = "environmental", "graffiti"
        elif _DAMAGE_OWN.search(t):
            category, subtype = "personal", "criminal_damage"
        else:
            category, subtype = "personal", "harassment"
        evidence.append(Evidence("category", subtype, hate_cues[0][1]))
    else:
        category, subtype, why = _category(t, keys, words)
        evidence.extend(Evidence("category", cue, words) for cue, words in why)

    return Verdict(
        emergency=bool(emergencies),
        hate_crime=hate,
        hate_strands=sorted(strands) if hate else [],
        category=category,
        subtype=subtype,
        evidence=evidence,
    )
