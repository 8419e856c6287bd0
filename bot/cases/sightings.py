"""Reading one answer to "who is involved": what in it could identify the people.

A `Sighting` is that answer with where it happened. It reads registrations (written any
way, or read out in the NATO alphabet), homes (house or flat numbers with their street,
numbers said in words or misheard on a call: "flat for"), names (capitalised mid-sentence,
after "Mr" or "called", before "at number 12" or "and his mates"; never a street's,
a building's or a pub's name, nor the resident's own family's), and what tells people
apart: sex, ages as a span of years, flat and floor, senior or junior, and whether the
answer names the household at an address as the victim or rules it out. Words that are
not names are listed in people_words.txt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from bot.cases.places import LANDMARK_NAMES, STREET_TYPES, landmark, place_keys, streets
from bot.privacy.contact import find_postcode, postcode_district


def _word_lists(name: str) -> dict[str, frozenset[str]]:
    """The sections of a word list file: "[section]" lines, then words."""
    sections: dict[str, set[str]] = {}
    current: set[str] = set()
    for line in (Path(__file__).parent / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            current = sections.setdefault(line.strip("[] "), set())
        elif not line.startswith("#"):
            current.update(line.split())
    return {section: frozenset(words) for section, words in sections.items()}


_WORDS = _word_lists("people_words.txt")
# Words that describe or place people rather than name them.
_NOT_NAMES = frozenset().union(*_WORDS.values())
# Looks, clothes, vehicles and dogs: what a group is told apart by.
LOOK_WORDS = _WORDS["look"]
_NOT_STREET_NAMES = _WORDS["function"] | _WORDS["people"] | _WORDS["activity"]
# Words two different groups at one place share just as well as one group does.
_NOT_DETAILS = _WORDS["function"] | _WORDS["people"] | _WORDS["activity"] | _WORDS["place"]
_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
# A number said in words where a house or flat number goes ("at twenty two", "flat
# eight"); elsewhere "one" and "no one" are not numbers.
_NUMBER_WORD = re.compile(
    r"(^|\b(?:at|number|no|flat|house|from|in|of)\b|@)\s*(?:(" + "|".join(_TENS) + r")(?:[\s-]("
    + "|".join(_UNITS[1:]) + r"))?|(" + "|".join(_TEENS + _UNITS) + r"))\b"
)  # fmt: skip
# The NATO alphabet, as a registration is read out on a call.
_PHONETIC = {
    "alpha": "a", "alfa": "a", "bravo": "b", "charlie": "c", "delta": "d", "echo": "e",
    "foxtrot": "f", "golf": "g", "hotel": "h", "india": "i", "juliet": "j", "juliett": "j",
    "kilo": "k", "lima": "l", "mike": "m", "november": "n", "oscar": "o", "papa": "p",
    "quebec": "q", "romeo": "r", "sierra": "s", "tango": "t", "uniform": "u", "victor": "v",
    "whiskey": "w", "whisky": "w", "xray": "x", "x-ray": "x", "yankee": "y", "zulu": "z",
}  # fmt: skip
_DIGIT_WORDS = {word: str(n) for n, word in enumerate(_UNITS)} | {"oh": "0"}
# A current-style registration ("AB12 CDE"): two letters, two digits, three letters.
_REGISTRATION = re.compile(r"\b([a-z]{2})\s?(\d{2})\s?([a-z]{3})\b")
# A home named without its street ("at number 12", "no. 4", "flat 3", "@ 29", "no9").
_HOME_NUMBER = re.compile(
    r"(?:\b(?:number|no\.?|num|house|flat|at|from|in|of)|@)\s*(\d{1,4}[a-z]?)\b"
    r"(?![:.]?\d|\s?(?:am|pm|mins?|yrs?|years?|of them|or\b|-\s?\d))"
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+[a-z]?|[@,(.;:!?-]")
# Words after which a name follows ("a Mr Roger Haines", "the lad called connor").
_NAME_CUE = re.compile(r"^(?:mr|mrs|ms|miss|dr|called|named|name|name's|names)$")
# Words after which a lower-case name follows ("that kid jaxon from the corner house").
_BEFORE_NAME = _WORDS["before_name"]
# "Aisha Begum's husband": the household, not a victim called Begum.
_FAMILY_OF = _WORDS["family_of"]
# Words after a capitalised word that make it a place's name ("Priory Heights").
_PLACE_SUFFIXES = _WORDS["place_suffix"]
# "the Pryce brothers", "the Hendersons": a family after "the", not a pub.
_FAMILY_WORDS = _WORDS["family_plural"]
# Words after which the words before were a name ("tash from 11", "ollie and his mates").
_AFTER_NAME = re.compile(
    r"^(?:at|from|@|in|of|no|number|and|who|again|is|was|has|keeps|[,(.;!-]|\d+[a-z]?)$"
)
# Words after which the word before is a family's name, wherever it is ("that doyle family").
_FAMILY_CUE = _WORDS["family_name_cue"]
# The household is the victim, or is excluded, or no longer lives there.
_NOT_THE_HOUSEHOLD = re.compile(
    r"\b(?:being (?:targeted|harassed|threatened|bullied|attacked|abused|picked on)|"
    r"the victim|looking for|targeting|(?:do ?n[o']?t|not) mean|(?:it'?s|its|it is) not\b|"
    r"not (?:the|mr|mrs|ms|miss|number|no|at)\b|isn'?t (?:the|mr|mrs|ms|miss|her|him)\b|"
    r"used to live|former|evicted|previous (?:tenant|occupant|owner)|moved (?:out|away)|"
    r"lodger|owns the house|threatening (?:him|her|them)\b|threatening [a-z]+ who lives|"
    r"belonging to|(?:windows?|door|car|house|garden|fence|property|van) of|"
    r"it (?:is|was)n'?t\b|not them\b|assumes?|keep saying|blamed?\b|"
    r"(?:picking on|bullying|harass(?:ing|ed)|attacking|threatening|intimidating|abusing)\s"
    r"(?:\w+\s){0,4}?(?:at|from|in)\s(?:number|no|flat|\d)|"
    r"(?:has|have|had) had (?:her|his|their)\b|(?:her|his|their) (?:\w+ ){0,2}(?:set on fire|"
    r"smashed|kicked in|damaged|vandalised|egged|broken into|scratched|keyed))"
)
# The resident's own home or their family's, said in passing: not the alleged
# perpetrator's ("I live at 9 Tennyson Road", "my mum Brenda lives at 14").
_OWN_HOME = re.compile(
    r"\b(?:i|we) (?:live|am|are|'m|'re) (?:at|in)\s[^.,;]*|\bmy (?:address|house) is\s[^.,;]*|"
    r"\b(?:my|our) (?:mum|mother|dad|father|nan|gran|grandad|grandma|sister|brother|"
    r"daughter|son|aunt|uncle)\b(?: \w+)?,? (?:who )?(?:lives|is|stays) (?:at|in)\s[^.,;]*"
)
# What someone is to a home: a landlord, carers or builders are not its household.
_ROLES = re.compile(
    r"\b(landlord|landlady|owner of|carers?|visitors? to|who visits?|builders?|workmen|"
    r"delivery|staff|runs the|manager|tenants?|lodgers?|residents?|occupants?)\b"
)
_OUTSIDERS = frozenset(
    {"landlord", "landlady", "owner of", "carer", "carers", "visitor to", "visitors to",
     "who visit", "who visits", "builder", "builders", "workmen", "delivery", "staff",
     "runs the", "manager"}
)  # fmt: skip
# Which flat of a building, and which floor: two different ones are two households.
_FLAT = re.compile(r"\bflat\s+(\d{1,3}[a-z]?)\b|\b\d{1,4}([a-z])\b")
_FLOORS = (
    (re.compile(r"\bbasement\b"), -1),
    (re.compile(r"\b(?:downstairs|ground floor|bottom flat|ground-floor)\b"), 0),
    (re.compile(r"\b(?:first|1st) floor\b"), 1),
    (re.compile(r"\b(?:second|2nd) floor\b"), 2),
    (re.compile(r"\b(?:third|3rd) floor\b"), 3),
    (re.compile(r"\b(?:upstairs|top floor|top flat|upper flat)\b"), 9),
)
# "Osas Iyamu senior" and "Osas Iyamu junior" are father and son.
_GENERATION = {"senior": "senior", "snr": "senior", "sr": "senior", "junior": "junior",
               "jnr": "junior", "jr": "junior"}  # fmt: skip
_FEMALE = re.compile(r"\b(?:she|her|hers|woman|women|lady|mrs|ms|miss|girl|girls)\b")
_MALE = re.compile(
    r"\b(?:he|his|him|man|men|bloke|lad|lads|mr|boy|boys|fella|guy|chap|gentleman)\b"
)
# The resident's own people by name ("my daughter Ellie"): not who did it.
_OWN_PEOPLE_NAMED = re.compile(
    r"\b(?:my|our)\s+(?:\w+\s+)?(?:son|daughter|husband|wife|mum|mother|dad|father|"
    r"grandson|granddaughter|partner|sister|brother|nan)\s+[A-Za-z]+",
    re.IGNORECASE,
)
_OWN_PEOPLE = re.compile(
    r"\b(?:my|our|me and my)\s+(?:\w+\s+)?(?:son|daughter|husband|wife|mum|mother|dad|father|"
    r"boy|girl|grandson|granddaughter|partner|kids|children|baby|sister|brother|nan)\b"
)
_AT_PEOPLE = re.compile(
    r"\b(?:at|to|towards|near|where|for|after|chases?|chased|follows?|followed|scar(?:es|ing)|"
    r"abus(?:es|ing)|on|past|with|went for|goes for|jumped (?:at|up at)|bit|bites|round|"
    r"around|in front of|frighten(?:s|ing|ed))\s+(?:(?:the|my|our|other|some|local|little|young|"
    r"older|passing)\s+)*(?:kids?|children|child|boys?|girls?|school ?kids|people|families|"
    r"pensioners|women|men|residents|customers|walkers|shoppers|neighbours|passers ?by)\b"
)
# Ages said in words or numbers, as ranges of years: two reports whose ranges do not
# meet are about different people ("little lads about 8" and "grown men").
_AGES: tuple[tuple[re.Pattern[str], tuple[int, int] | None], ...] = (
    (re.compile(r"\b(?:little|small) (?:lads?|kids?|boys?|girls?|ones)\b|\bchild(?:ren)?\b|"
                r"\bkids?\b|primary school"), (4, 12)),
    (re.compile(r"\bteen(?:s|age|agers?)?\b|\bschool ?(?:kids|boys?|girls?|uniform)|"
                r"secondary school|\byouths?\b|\byoungsters?\b"), (11, 19)),
    (re.compile(r"\byoung (?:men|man|guy|lads?|bloke|woman|women|lady)\b"), (16, 32)),
    (re.compile(r"\b(?:grown|middle aged)\b"), (25, 65)),
    (re.compile(r"\b(?:grandad|granddad|grandfather|grandma|nan|granny|grandmother)\b"), (50, 99)),
    (re.compile(r"\b(?:old|elderly) (?:man|woman|chap|lady|gentleman|couple|men)\b|"
                r"\bpensioners?\b|\bold chap\b"), (60, 99)),
    (re.compile(r"\b(?:early|mid|late)?\s?(\d)0s\b|\b(twenties|thirties|forties|fifties|"
                r"sixties|seventies)\b"), None),
    (re.compile(r"\b(?:about|aged?|around|maybe|roughly)\s(\d{1,2})\b(?!\s?(?:or|of|to|-|men|women|people|[a-z]+s)\b)|\b(\d{1,2})\s?"
                r"(?:-|to)\s?(\d{1,2})\s?(?:years?|yrs?|year olds?|yo)?\b(?!\s?(?:am|pm|of))|"
                r"\b(\d{1,2})\s?(?:years? old|yrs? old|yo)\b|^(\d{1,2})$|, (\d{1,2}),"), None),
)  # fmt: skip
_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                 "seventies": 7}  # fmt: skip


def _age_range(text: str) -> tuple[int, int] | None:
    """The span of ages the text gives its people, or None when it gives none."""
    spans: list[tuple[int, int]] = []
    for pattern, span in _AGES:
        for match in pattern.finditer(text):
            if span is not None:
                spans.append(span)
                continue
            numbers = [int(g) for g in match.groups() if g and g.isdigit()]
            decade = next((g for g in match.groups() if g in _DECADE_WORDS), None)
            if decade is not None:
                numbers = [_DECADE_WORDS[decade]]
            if not numbers:
                continue
            if "0s" in match.group(0) or decade is not None:
                spans.append((numbers[0] * 10, numbers[0] * 10 + 9))
            elif len(numbers) == 2:
                spans.append((numbers[0] - 2, numbers[1] + 2))
            elif 5 <= numbers[0] <= 99:
                spans.append((numbers[0] - 3, numbers[0] + 3))
    if not spans:
        return None
    return min(lo for lo, _ in spans), max(hi for _, hi in spans)


_STREET_WORDS = frozenset(STREET_TYPES)
_LANDMARK_WORDS = frozenset(w for name in LANDMARK_NAMES for w in name.split())


# What a recogniser hears for a number after "flat" or "number" ("flat for").
_MISHEARD = {"for": "4", "to": "2", "too": "2", "won": "1", "ate": "8", "tree": "3"}
_MISHEARD_AFTER = re.compile(r"\b(flat|number|no)\s+(" + "|".join(_MISHEARD) + r")\b")
# Surnames written in two words ("mc allister", "o neill").
_SPLIT_SURNAME = re.compile(r"\b(mc|mac|o|de|van)\s+([a-z]{3,})\b", re.IGNORECASE)


def _digits(text: str) -> str:
    """ "number twenty two" -> "number 22"; "flat for" -> "flat 4"."""
    text = _MISHEARD_AFTER.sub(lambda m: f"{m.group(1)} {_MISHEARD[m.group(2)]}", text)

    def number(match: re.Match[str]) -> str:
        cue, tens, unit, word = match.groups()
        if tens:
            value = (_TENS.index(tens) + 2) * 10 + (_UNITS.index(unit) if unit else 0)
        else:
            value = _TEENS.index(word) + 10 if word in _TEENS else _UNITS.index(word)
        return f"{cue} {value}" if cue else str(value)

    return _NUMBER_WORD.sub(number, text)


@dataclass(frozen=True)
class Sighting:
    """One report's answer to "who is involved", with where it happened."""

    people: str
    location: str
    postcode: str | None = None

    @cached_property
    def text(self) -> str:
        return _SPLIT_SURNAME.sub(r"\1\2", _digits(self.people.lower()))

    @cached_property
    def about(self) -> str:
        """The text without the resident's household ("my son") and the people things are
        done to ("shouts at the kids"): what it says of who did it."""
        return _AT_PEOPLE.sub(" ", _OWN_PEOPLE.sub(" ", self.text))

    @cached_property
    def registrations(self) -> frozenset[str]:
        spoken = " ".join(_PHONETIC.get(w, _DIGIT_WORDS.get(w, w)) for w in self.text.split())
        joined = re.sub(r"\b([a-z0-9])\s(?=[a-z0-9]\b)", r"\1", spoken)
        return frozenset("".join(m) for m in _REGISTRATION.findall(f"{self.text} {joined}"))

    @cached_property
    def district(self) -> str | None:
        postcode = self.postcode or find_postcode(self.location) or find_postcode(self.people)
        return postcode_district(postcode) if postcode else None

    @cached_property
    def places(self) -> frozenset[str]:
        return place_keys(self.location, self.postcode)

    @cached_property
    def landmark(self) -> str | None:
        """The named place ("the library", "the garages") said in either answer."""
        return landmark(self.location) or landmark(self.people)

    @cached_property
    def streets(self) -> frozenset[str]:
        return frozenset(s for _, s in streets(_digits(self.location.lower())))

    @cached_property
    def named_streets(self) -> list[tuple[str | None, str]]:
        """Streets the answer names; "kids when they walk" and "lime green" are not."""
        return [
            (n, street) for n, street in streets(self.text)
            if not any(w in _NOT_STREET_NAMES for w in street.split()[:-1])
        ]  # fmt: skip

    @cached_property
    def homes(self) -> frozenset[str]:
        """Where the alleged perpetrator lives: "12|elm road", or "12|CV15FB"."""
        said = _OWN_HOME.sub(" ", self.text)
        named = {f"{n}|{s}" for n, s in streets(said) if n and (n, s) in self.named_streets}
        numbers = set(_HOME_NUMBER.findall(re.sub(r"\bno(\d)", r"no \1", said)))
        around = set(self.streets) | {s for _, s in self.named_streets}
        if not around:
            around = {p.removeprefix("postcode:") for p in self.places if p.startswith("postcode:")}
        located = named | {f"{n}|{where}" for n in numbers for where in around}
        # A bare number is kept to compare with a report that gives the same one.
        return frozenset(located or {f"{n}|?" for n in numbers})

    @cached_property
    def names(self) -> frozenset[str]:
        """Words the resident used as a name: capitalised mid-sentence in mixed-case
        writing, after "Mr" or "called", or at the start before "at 12", "from", a comma."""
        return self._names[0]

    @cached_property
    def strong_names(self) -> frozenset[str]:
        """The names said as names: after "Mr" or "called", before "at 12", or a first
        name and surname together ("Kyle Brennan"); a lone capitalised word may be a
        brand or a place ("Audi", "Leeds"), so it never tells people apart."""
        return self._names[1]

    @cached_property
    def _names(self) -> tuple[frozenset[str], frozenset[str]]:
        not_names = _NOT_NAMES | _place_words(self.location) | _place_words(self.people)
        not_names |= {w.lower() for w in _TOKEN.findall(self.location)}
        not_names |= {r[:2] for r in self.registrations} | {r[4:] for r in self.registrations}
        said = _OWN_PEOPLE_NAMED.sub(" ", _SPLIT_SURNAME.sub(r"\1\2", self.people))
        tokens = _TOKEN.findall(said)
        words = [t for t in tokens if t[0].isalpha()]
        mixed = any(w[0].isupper() for w in words[1:]) and not self.people.isupper()
        found: set[str] = set()
        strong: set[str] = set()
        previous_name = -2
        for i, token in enumerate(tokens):
            low = token.lower().removesuffix("'s").strip("'-")
            if not token[0].isalpha() or low in not_names or len(low) < 2:
                continue
            if token.isupper() and len(token) <= 4:
                continue  # initials and abbreviations: HMO, VW
            if "'" in low and not low.startswith("o'"):
                continue  # "I'd", "he'll": not O'Neill
            before = tokens[i - 1].lower() if i else "."
            after = tokens[i + 1].lower() if i + 1 < len(tokens) else "."
            if _names_a_place(tokens, i) or after in _PLACE_SUFFIXES:
                continue
            opening = i == 0 or (
                all(t[0].isalpha() for t in tokens[:i])
                and (tokens[i - 1].lower() in _BEFORE_NAME or (i == 1 and before not in not_names))
            )  # fmt: skip
            after_next = tokens[i + 2].lower() if i + 2 < len(tokens) else "."
            full_name = after[0].isalpha() and after not in not_names
            cued = bool(_NAME_CUE.match(before)) or after in _FAMILY_CUE or (
                opening and (bool(_AFTER_NAME.match(after))
                             or (full_name and bool(_AFTER_NAME.match(after_next))))
            )  # fmt: skip
            sentence_start = before in ".!?"
            capitalised = mixed and token[0].isupper()
            next_capitalised = after != "i" and tokens[i + 1 : i + 2] != [] and (
                tokens[i + 1][0].isupper()
            )  # fmt: skip
            if cued or (capitalised and (not sentence_start or next_capitalised)):
                found.add(low)
                paired = previous_name == i - 1 or (next_capitalised and after not in not_names)
                if cued or paired:
                    strong.add(low)
                previous_name = i
        return frozenset(found), frozenset(strong)

    @cached_property
    def victim_names(self) -> frozenset[str]:
        """Names said as someone's ("Mrs Patel's windows"): the victim, not the person
        ("Aisha Begum's husband" is still the household)."""
        owned = re.findall(r"\b([A-Za-z]+)'s\s+([a-z]+)", self.people)
        return frozenset(
            name.lower() for name, thing in owned
            if name.lower() in self.names and thing not in _FAMILY_OF
        )  # fmt: skip

    @cached_property
    def household_excluded(self) -> bool:
        """The report names the home's household as the victim, or says it is not them."""
        return bool(_NOT_THE_HOUSEHOLD.search(self.text)) or bool(self.victim_names)

    @cached_property
    def outsider(self) -> bool:
        """The answer is about someone who comes to a home (a landlord, carers, builders)."""
        return any(role in _OUTSIDERS for role in _ROLES.findall(self.text))

    @cached_property
    def flat(self) -> str | None:
        match = _FLAT.search(self.text)
        return None if match is None else (match.group(1) or match.group(2))

    @cached_property
    def floor(self) -> int | None:
        return next((level for pattern, level in _FLOORS if pattern.search(self.text)), None)

    @cached_property
    def generation(self) -> str | None:
        words = re.findall(r"[a-z]+", self.text)
        return next((_GENERATION[w] for w in words if w in _GENERATION), None)

    @cached_property
    def sex(self) -> str | None:
        female, male = bool(_FEMALE.search(self.about)), bool(_MALE.search(self.about))
        return "female" if female and not male else "male" if male and not female else None

    @cached_property
    def ages(self) -> tuple[int, int] | None:
        return _age_range(self.about)

    @cached_property
    def details(self) -> frozenset[str]:
        """What sets these people apart from others: looks, clothes, vehicles, dogs."""
        not_details = _NOT_DETAILS | _place_words(self.location)
        tokens = _TOKEN.findall(self.people)
        named_places = {
            t.lower() for i, t in enumerate(tokens) if t[0].isupper() and _names_a_place(tokens, i)
        }
        return frozenset(
            w for w in re.findall(r"[a-z]{3,}", self.about)
            if w not in not_details and w not in named_places
        )  # fmt: skip


def _names_a_place(tokens: list[str], i: int) -> bool:
    """A capitalised word that is a street's or a building's name: after a house number
    ("12 Heyford Meadows"), or after "the" and not a family ("the Red Lion", but "the
    Hendersons", "the Pryce brothers")."""
    j = i
    while j > 0 and tokens[j - 1][:1].isupper() and tokens[j - 1][0].isalpha():
        j -= 1  # the start of this run of capitalised words
    if j > 0 and tokens[j - 1][0].isdigit():
        return True
    if j > 0 and tokens[j - 1].lower() == "the":
        end = i
        while end + 1 < len(tokens) and tokens[end + 1][:1].isupper():
            end += 1
        family = end + 1 < len(tokens) and tokens[end + 1].lower() in _FAMILY_WORDS
        return not (tokens[end].lower().endswith("s") or family)
    return False


def _place_words(text: str) -> frozenset[str]:
    """Street names, street types and landmarks: place words, not names."""
    said = {w for _, street in streets(text.lower()) for w in street.split()}
    return frozenset(said | _STREET_WORDS | _LANDMARK_WORDS)
