"""Where a report is about, reduced to keys that two residents' different wordings share.

"14 Spon St, CV1 5FB", "number 14 spon street" and "outside 14 Spon Street" give the same
address key; "outside the Co-op on Far Gosford Street" and "the coop, far gosford st" the
same landmark key. A street alone is not a place (a street can be a mile long), nor is a
landmark without a street or postcode district ("the park").
"""

from __future__ import annotations

import re

from bot.privacy.contact import find_postcode, postcode_district

# Street types and their common abbreviations, to one spelling.
STREET_TYPES = {
    "street": "street", "st": "street", "road": "road", "rd": "road", "avenue": "avenue",
    "ave": "avenue", "av": "avenue", "lane": "lane", "ln": "lane", "close": "close",
    "cl": "close", "drive": "drive", "dr": "drive", "way": "way", "grove": "grove",
    "gr": "grove", "place": "place", "pl": "place", "crescent": "crescent", "cres": "crescent",
    "court": "court", "ct": "court", "terrace": "terrace", "ter": "terrace", "terr": "terrace",
    "gardens": "gardens", "gdns": "gardens", "walk": "walk", "row": "row", "hill": "hill",
    "square": "square", "sq": "square", "parade": "parade", "pde": "parade", "mews": "mews",
    "green": "green", "rise": "rise", "view": "view", "house": "house", "highway": "highway",
    "hwy": "highway", "boulevard": "boulevard", "circle": "circle", "approach": "approach",
}  # fmt: skip
_TYPE_WORDS = "|".join(sorted(STREET_TYPES, key=len, reverse=True))
# Words that come before a street's name but are not part of it.
_NOT_NAME = frozenset({
    "the", "a", "an", "on", "in", "at", "of", "to", "by", "from", "near", "outside", "behind",
    "opposite", "off", "along", "down", "up", "round", "around", "past", "top", "bottom", "end",
    "back", "front", "corner", "junction", "and", "or", "my", "our", "their", "his", "her",
    "flat", "number", "no", "house", "lives", "live", "living", "this", "that", "is", "was",
    "were", "its",
})  # fmt: skip
# "High Street South" is another street than "High Street".
_STREET = re.compile(
    r"(?:\b(\d{1,4}[a-z]?)\b[\s,]+)?((?:[a-z'-]+\s+){1,3}?)(" + _TYPE_WORDS + r")\b\.?"
    r"(?:\s+(north|south|east|west)\b(?! of\b))?"
)
# Places people name, to one spelling each.
LANDMARKS = {
    r"co-?op": "co-op", r"tesco'?s?": "tesco", r"aldi": "aldi", r"lidl": "lidl",
    r"spar": "spar", r"asda": "asda", r"sainsbury'?s?": "sainsburys",
    r"chippy|chip shop|fish and chip shop": "chip shop",
    r"off ?licen[cs]e|offie|offy": "off licence", r"corner shop": "corner shop",
    r"shops|parade of shops": "shops", r"park": "park", r"playground|play area": "playground",
    r"rec|recreation ground": "recreation ground", r"field|playing fields?": "field",
    r"school": "school", r"church": "church", r"mosque": "mosque", r"gurdwara": "gurdwara",
    r"temple": "temple", r"synagogue": "synagogue", r"library": "library", r"pub": "pub",
    r"bus stop": "bus stop", r"bus station": "bus station", r"station": "station",
    r"car park": "car park", r"garages": "garages", r"alley(?:way)?|gennel|jitty|ginnel": "alley",
    r"underpass|subway": "underpass", r"canal|towpath": "canal", r"flats": "flats",
    r"precinct": "precinct", r"community centre": "community centre",
    r"leisure centre": "leisure centre", r"surgery": "surgery", r"pharmacy|chemist": "pharmacy",
}  # fmt: skip
_LANDMARK = re.compile(r"\b(" + "|".join(f"(?:{p})" for p in LANDMARKS) + r")\b")
LANDMARK_NAMES = frozenset(LANDMARKS.values())


def normalise_street(name_words: str, street_type: str) -> str | None:
    """ "Spon", "st" -> "spon street"; None when no name word is left."""
    words = name_words.split()
    # "park behind elm" road: the name is what follows the last word that is not a name.
    cut = max((i + 1 for i, w in enumerate(words) if w in _NOT_NAME), default=0)
    words = words[cut:]
    if not words:
        return None
    return " ".join([*words, STREET_TYPES[street_type]])


def streets(text: str) -> list[tuple[str | None, str]]:
    """Each (house number or None, normalised street) the text names, in order."""
    found = []
    for match in _STREET.finditer(text.lower()):
        street = normalise_street(match.group(2), match.group(3))
        if street is not None and match.group(4):
            street = f"{street} {match.group(4)}"
        if street is not None:
            found.append((match.group(1), street))
    return found


def landmark(text: str) -> str | None:
    return _landmark_and_name(text)[0]


def named_landmark(text: str) -> str | None:
    """The landmark with the name said before it: "Coundon Park" and "Longford Park" are
    two parks of one postcode district, "the park" is neither."""
    spot, name = _landmark_and_name(text)
    return f"{name} {spot}" if spot and name else spot


def _landmark_and_name(text: str) -> tuple[str | None, str | None]:
    """The landmark a text names, and the word before it when that is its name."""
    match = _LANDMARK.search(text.lower())
    if match is None:
        return None, None
    said = match.group(1)
    spot = next(name for pattern, name in LANDMARKS.items() if re.fullmatch(pattern, said))
    before = text.lower()[: match.start()].split()
    name = before[-1].strip(",.'") if before else ""
    named = name.isalpha() and name not in _NOT_NAME and name not in LANDMARK_NAMES
    return spot, name if named else None


def place_keys(location: str, postcode: str | None = None) -> frozenset[str]:
    """The keys of a report's place: its postcode unit, its house number and street, its
    landmark with its street or postcode district. Two reports with a key in common are
    about the same place."""
    keys: set[str] = set()
    postcode = postcode or find_postcode(location)
    if postcode:
        keys.add("postcode:" + postcode.replace(" ", "").upper())
    named = streets(location)
    for number, street in named:
        if number:
            keys.add(f"address:{number}|{street}")
    spot = named_landmark(location)
    if spot:
        if named:
            keys.update(f"landmark:{spot}|{street}" for _, street in named)
        elif postcode:
            keys.add(f"landmark:{spot}|{postcode_district(postcode)}")
    return frozenset(keys)
