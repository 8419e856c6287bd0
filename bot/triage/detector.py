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
from bot.triage.cues import Cue, Starts, at_word_start
from bot.triage.gating import Gates
from bot.triage.normalise import normalise
from bot.triage.tense import MARKERS, Tense, clause_bounds, has_now_marker

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

_EMERGENCY: Final = tuple((cue, Cue(cue.pattern)) for cue in lx.EMERGENCY_CUES)
_HATE: Final = tuple((cue, Cue(cue.pattern)) for cue in lx.HATE_CUES)
# Patterns compiled with ``at_word_start`` match one character early: spans and words
# are taken from ``start() + 1``.
_FICTION: Final = at_word_start(lx.FICTION)
_WEAPON: Final = at_word_start(rf"\b{lx.WEAPON}\b")
_BONFIRE: Final = at_word_start(lx.BONFIRE)
_HATE_NEGATOR: Final = re.compile(lx.HATE_NEGATORS)
_VICTIM_IDENTITY: Final = at_word_start(lx.VICTIM_IDENTITY)
_HOSTILE_ACT: Final = at_word_start(lx.HOSTILE_ACT)
_GROUPS: Final = tuple(
    (strand, Cue(rf"\b(?:{words})\b")) for strand, words in lx.GROUP_WORDS.items()
)
_SUBTYPES: Final = tuple(Cue(rf"\b(?:{cue.pattern})\b") for cue in lx.SUBTYPE_CUES)
_NONE: Final = {name: Cue(p) for name, p in lx.NONE_CUES.items()}
# Which cues may match is decided for all of them at once from the message's words. (The
# group words are plain word lists, looked up directly.)
# Two context patterns are gated too, only to skip searching for them: fiction words,
# looked for around every emergency cue, and hostile acts, looked for in most messages.
_FICTION_WORDS: Final = Cue(lx.FICTION)
_HOSTILE_WORDS: Final = Cue(lx.HOSTILE_ACT)
# ... and so are the tense markers, searched for around every emergency cue.
_MARKER_WORDS: Final = {name: Cue(rx.pattern) for name, rx in MARKERS.items()}
_GATES: Final = Gates(
    [
        *(c for _, c in _EMERGENCY),
        *(c for _, c in _HATE),
        *_SUBTYPES,
        *_NONE.values(),
        _FICTION_WORDS,
        _HOSTILE_WORDS,
        *_MARKER_WORDS.values(),
    ]
)
# Each family's cues by bit, to visit only those that may match, in the lexicon's order
# (lowest bit first).
_EMERGENCY_BY_BIT: Final = {g.bit: (cue, g) for cue, g in _EMERGENCY}
_HATE_BY_BIT: Final = {g.bit: (cue, g) for cue, g in _HATE}
_SUBTYPE_BY_BIT: Final = {g.bit: (i, g) for i, g in enumerate(_SUBTYPES)}
_EMERGENCY_BITS: Final = sum(_EMERGENCY_BY_BIT)
_HATE_BITS: Final = sum(_HATE_BY_BIT)
_SUBTYPE_BITS: Final = sum(_SUBTYPE_BY_BIT)
# The "weapon" subtype cue is the weapon words: without its bit, _WEAPON cannot match.
assert lx.SUBTYPE_CUES[0].pattern == lx.WEAPON
_WEAPON_WORDS: Final = _SUBTYPES[0].bit

# Who is speaking a threat: "I could kill him", "I'll murder him if..." are the resident's
# own words, never a threat to them.
_SELF_SUBJECT: Final = re.compile(
    r"\b(?:i|we|i am|we are|i will|i would|i could)\s+(?:[a-z]+\s+)?$"
)
# "kill me for complaining", "kill me if I..." : idiom or condition, not an act in progress
_THREAT_TAIL_IDIOM: Final = re.compile(r"^\s+(?:for|with the noise|with that)\b")
_THREAT_TAIL_IF: Final = re.compile(r"^(?:\s+[a-z]+){0,3}?\s+(?:if|when|unless)\b")
# Threats that arrived in writing or by phone are serious but not imminent.
_REMOTE: Final = at_word_start(
    r"\b(?:letter|text|texts|texted|texting|message|messages|messaged|messaging|email|"
    r"emailed|facebook|online|snapchat|instagram|whatsapp|voicemail|note|notes|posted|"
    r"received|got a|sent)\b"
)
# The threatener is here: outside, at the door, in the house, on the way.
_PRESENT: Final = at_word_start(
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
_DANGER: Final = at_word_start(
    r"\b(?:scared|terrified|frightened|afraid|hurt|hurting|kill|killing|attack|attacking|"
    r"attacked|screaming|hurry|quick|danger|bleeding|at the door|at my door|in my house|"
    r"will not go away|won t go away|outside|knife|gun|weapon|beating|hitting|fighting|"
    r"smashing|kicking|breaking)\b"
)
_NUISANCE_ONLY: Final = at_word_start(
    r"\b(?:noise|music|party|loud|parking|parked|barking|bins|rubbish|litter|smell|"
    r"fly tipping|graffiti|dog mess)\b"
)
# Fires on shared land are environmental; on a home, car or person, personal.
_PUBLIC_FIRE: Final = at_word_start(
    r"\b(?:bins|bin|wheelie bins|skip|play park|playground|park|field|grass|bus shelter|"
    r"rubbish|hedge by|woods|garages)\b"
)
_PRIVATE_FIRE: Final = re.compile(
    r"\b(?:my|our|his|her|their)\s+(?:[a-z]+\s+)?(?:door|house|home|flat|car|van|shed|"
    r"garage|letterbox|letter box)\b|\bletter ?box\b|\bhouse\b|\bflat\b|\bcar\b|\bgarage\b"
)
_PRIVATE_PLACE: Final = at_word_start(
    r"\b(?:my|our|on our|on my)\s+(?:[a-z]+\s+)?(?:door|front door|house|home|flat|car|van|"
    r"windows|window|wall|fence|gate|bins|shop|property|caravans|caravan)\b"
)
_GRAFFITI: Final = at_word_start(
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
_JEWISH_CONTEXT: Final = at_word_start(r"\b(?:synagogue|jew|jews|jewish|kosher)\b")


def _sentence(text: str, start: int, end: int) -> str:
    left, right = clause_bounds(text, start, end, sentence=True)
    return text[left:right]


def _group_strands(text: str) -> set[str]:
    words = frozenset(text.split())
    return {strand for strand, g in _GROUPS if g.find(text, words)}


def _tense(text: str, mask: int) -> Tense:
    return Tense(text, [name for name, c in _MARKER_WORDS.items() if not c.bit & mask])


def _emergency(
    text: str, mask: int, words: frozenset[str], starts: Starts, shouting: bool
) -> list[tuple[str, str, str]]:
    """(cue name, subtype, words) for each emergency cue that is real and happening now."""
    found: list[tuple[str, str, str]] = []
    tense: Tense | None = None  # made when first needed
    todo = mask & _EMERGENCY_BITS
    while todo:
        bit = todo & -todo
        todo ^= bit
        cue, gated = _EMERGENCY_BY_BIT[bit]
        for start, end, matched in gated.find(text, words, starts):
            sentence = _sentence(text, start, end)
            if mask & _FICTION_WORDS.bit and _FICTION.search(sentence):
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
            tense = tense or _tense(text, mask)
            when = tense.of(start, end)
            if when in ("past", "hypothetical", "habitual"):
                continue
            if cue.needs_now and when != "now":
                continue
            found.append((cue.name, cue.subtype, matched))
    if not found and mask & _WEAPON_WORDS and text.count(" ") <= 15:
        # Terse alarm: "KNIFE. OUTSIDE. NOW." has no sentence to parse, only the facts.
        weapon = _WEAPON.search(text)
        if (
            weapon
            and has_now_marker(text)
            and not (mask & _FICTION_WORDS.bit and _FICTION.search(text))
        ):
            found.append(("weapon_now_terse", "weapon", weapon.group()[1:]))
    if not found and "help" in text:
        help_m = _HELP.search(text) or (_HELP_WORD.search(text) if shouting else None)
        if (
            help_m
            and _DANGER.search(text)
            and not _NUISANCE_ONLY.search(text)
            and (tense or _tense(text, mask)).of(*help_m.span())
            not in ("past", "hypothetical", "habitual")
        ):
            found.append(("cry_for_help", "violence", help_m.group(0).strip()))
    return found


def _hate(
    text: str, mask: int, words: frozenset[str], starts: Starts
) -> tuple[list[tuple[str, str]], set[str]]:
    """(cue name, words) for each hate cue, and the strands they point to."""
    found: list[tuple[str, str]] = []
    strands: set[str] = set()
    context: set[str] | None = None
    todo = mask & _HATE_BITS
    while todo:
        bit = todo & -todo
        todo ^= bit
        cue, gated = _HATE_BY_BIT[bit]
        for start, end, matched in gated.find(text, words, starts):
            if cue.name == "named_hostility" and (
                _HATE_NEGATOR.search(text[max(0, start - 40) : start])
                or (mask & _FICTION_WORDS.bit and _FICTION.search(_sentence(text, start, end)))
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
    if not found and mask & _HOSTILE_WORDS.bit:
        # Implicit hostility: the victim's identity and a hostile act in one sentence.
        for ident in _VICTIM_IDENTITY.finditer(text):
            who = ident.group()[1:]
            left, right = clause_bounds(text, ident.start() + 1, ident.end(), sentence=True)
            act = _HOSTILE_ACT.search(text, left, right)
            if act is None:
                continue
            found.append(("targeted_identity", f"{who.strip()} / {act.group()[1:]}"))
            strands |= _group_strands(who) or _group_strands(text[left:right])
            break
    return found, strands


def _category(
    text: str, mask: int, words_in: frozenset[str], starts: Starts
) -> tuple[str, str, list[tuple[str, str]]]:
    """Category, subtype and the words that decided them, for a non-urgent message."""
    for name in ("greeting", "status", "complaint"):
        none_cue = _NONE[name]
        hit = none_cue.find(text, words_in, starts) if none_cue.bit & mask else None
        if hit:
            return "none", "none", [(name, hit[0][2])]
    words: dict[int, list[str]] = {}
    todo = mask & _SUBTYPE_BITS
    while todo:
        bit = todo & -todo
        todo ^= bit
        i, gated = _SUBTYPE_BY_BIT[bit]
        cue = lx.SUBTYPE_CUES[i]
        for start, end, matched in gated.find(text, words_in, starts):
            if (
                cue.subtype in ("weapon", "violence")
                and mask & _FICTION_WORDS.bit
                and _FICTION.search(_sentence(text, start, end))
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

    best = max(by_subtype, key=lambda k: (by_subtype[k], -first[k]), default=None)
    if best is None or by_subtype[best] < 4.0:
        # a question about the service, or nothing that describes an incident
        for name in ("question", "question_start"):
            question_cue = _NONE[name]
            asked = question_cue.find(text, words_in, starts) if question_cue.bit & mask else None
            if asked:
                return "none", "none", [("question", asked[0][2])]
        if best is None:
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

    tokens = t.split()
    mask, starts = _GATES.read(tokens)
    words = frozenset(tokens)
    emergencies = _emergency(t, mask, words, starts, norm.shouting)
    evidence.extend([Evidence("emergency", name, words) for name, _, words in emergencies])
    hate_cues, strands = _hate(t, mask, words, starts)
    evidence.extend([Evidence("hate_crime", name, words) for name, words in hate_cues])
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
        category, subtype, why = _category(t, mask, words, starts)
        evidence.extend([Evidence("category", cue, words) for cue, words in why])

    return Verdict(
        emergency=bool(emergencies),
        hate_crime=hate,
        hate_strands=sorted(strands) if hate else [],
        category=category,
        subtype=subtype,
        evidence=evidence,
    )
