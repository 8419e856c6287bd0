"""Whether two reports name the same alleged perpetrator, from what residents wrote.

Two reports are linked only on something that identifies: a vehicle registration, a
home (house or flat number with its street or postcode), a name (fuzzy-matched with
rapidfuzz, so "Kieran O'Donoghue" is "keiron odonahue"; a first name alone only at the
same place), or, for people nobody named, the same place with two distinctive details in
common (an orange KTM, a husky). Anything that tells two people apart wins over what they
share: different registrations, homes, names, sexes or ages, flats or floors, different
postcode districts, or a report that names the household as the victim or rules it out
("not Mrs Patel"). Linking two different people would share one person's report as
another's, so precision comes first. What is read from each answer: bot/cases/sightings.py.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import JaroWinkler

from bot.cases.sightings import LOOK_WORDS, Sighting

# Nicknames whose letters say little of the name.
_NICKNAMES = {
    "bex": "rebecca", "becky": "rebecca", "gaz": "gary", "dave": "david", "davey": "david",
    "smithy": "smith", "tash": "natasha", "bob": "robert", "rob": "robert", "bill": "william",
    "liz": "elizabeth", "beth": "elizabeth", "jim": "james", "jimmy": "james",
    "rog": "roger", "mick": "michael", "mike": "michael", "kev": "kevin", "tony": "anthony",
    "sue": "susan", "kate": "katherine", "kath": "katherine", "pete": "peter",
    "steve": "stephen", "chris": "christopher", "tom": "thomas", "tomek": "tomasz",
    "tel": "terry", "robbie": "robert", "paddy": "patrick", "pat": "patrick", "del": "derek",
    "baz": "barry", "jonno": "jonathan", "jon": "jonathan", "kaz": "karen", "shaz": "sharon",
    "daz": "darren", "dazza": "darren", "danny": "daniel", "wojtek": "wojciech",
}  # fmt: skip
_NAME_SIMILARITY = 0.85


def _spelling(name: str) -> str:
    """One spelling for the sounds names are spelt many ways: Jaxon and Jackson."""
    name = name.replace("x", "ks").replace("ck", "k").replace("ph", "f").replace("'", "")
    return re.sub(r"(.)\1", r"\1", name)


def _same_name(a: str, b: str) -> bool:
    a, b = _NICKNAMES.get(a, a), _NICKNAMES.get(b, b)
    a, b = _spelling(a), _spelling(b)
    if JaroWinkler.similarity(a, b) >= _NAME_SIMILARITY:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 3 and long.startswith(short)


def _could_be_same_name(a: str, b: str) -> bool:
    """Looser than `_same_name`, for telling people apart only: "Dazza", "Shaz" and "Kaz"
    could be Darren, Sharon and Karen."""
    if _same_name(a, b):
        return True
    if a[:3] == b[:3]:
        return True  # Danny and Daniel, Wojtek and Wojciech
    stems = [re.sub(r"(?:zza|zzy|zz|z|o|y|ie|sy)$", "", n) for n in (a, b)]
    short, long = sorted(stems, key=len)
    return len(short) >= 2 and long.startswith(short)


def _shared_names(a: frozenset[str], b: frozenset[str]) -> int:
    return sum(1 for x in a if any(_same_name(x, y) for y in b))


def _shared_details(a: Sighting, b: Sighting) -> int:
    """Details both answers give; none count unless one of them is about looks, clothes,
    vehicles or dogs (two answers that share only "never" and "seen" describe nobody)."""
    shared = {x for x in a.details if any(JaroWinkler.similarity(x, y) >= 0.92 for y in b.details)}
    return len(shared) if shared & LOOK_WORDS else 0


def _tell_apart(a: Sighting, b: Sighting) -> bool:
    """Something that says these are two different people."""
    if a.district and b.district and a.district != b.district:
        return True
    if a.registrations and b.registrations and not a.registrations & b.registrations:
        return True
    if a.sex and b.sex and a.sex != b.sex:
        return True
    if a.ages and b.ages and (a.ages[1] < b.ages[0] or b.ages[1] < a.ages[0]):
        return True
    if a.outsider != b.outsider:
        return True  # the landlord of a house and its tenant; carers and the resident
    for mine, theirs in ((a.flat, b.flat), (a.floor, b.floor), (a.generation, b.generation)):
        if mine is not None and theirs is not None and mine != theirs:
            return True
    names_a, names_b = a.strong_names - b.victim_names, b.strong_names - a.victim_names
    if not (names_a and names_b):
        return False
    # Each name of one matched by one of the other; what is left over must agree too
    # ("Chloe Marsh" and "Jordan Marsh" share a surname, not a person).
    all_a, all_b = a.names - b.victim_names, b.names - a.victim_names
    left_a = {x for x in names_a if not any(_could_be_same_name(x, y) for y in all_b)}
    left_b = {y for y in names_b if not any(_could_be_same_name(x, y) for x in all_a)}
    if len(left_a) == len(names_a) and len(left_b) == len(names_b):
        return True  # no name in common
    if len(names_a) < 2 or len(names_b) < 2:
        return False
    # Names left over on both sides that are nothing alike: two first names.
    return bool(left_a and left_b) and not any(
        JaroWinkler.similarity(_spelling(x), _spelling(y)) >= 0.7 for x in left_a for y in left_b
    )


def _same_home(a: Sighting, b: Sighting) -> bool:
    if a.household_excluded or b.household_excluded:
        return False
    if not (a.homes and b.homes):
        return False
    if a.homes & b.homes:
        return True
    # A bare number matches the same number given with a street on the same street.
    bare = {h.split("|")[0] for h in a.homes | b.homes if h.endswith("|?")}
    if not bare:
        return False
    same_street = bool(a.streets & b.streets) or bool(a.places & b.places)
    numbers_a = {h.split("|")[0] for h in a.homes}
    numbers_b = {h.split("|")[0] for h in b.homes}
    return same_street and bool(numbers_a & numbers_b)


def _same_number(a: Sighting, b: Sighting) -> bool:
    numbers_a = {h.split("|")[0] for h in a.homes}
    return not (a.household_excluded or b.household_excluded) and any(
        h.split("|")[0] in numbers_a for h in b.homes
    )


def same_perpetrator(a: Sighting, b: Sighting) -> bool:
    if _tell_apart(a, b):
        return False
    if a.registrations & b.registrations:
        return True
    shared = _shared_names(a.names - b.victim_names, b.names - a.victim_names)
    if a.homes and b.homes:
        # Two homes: the same one decides; a bare "at 29" meets "29 Woodland View" on a
        # name in common.
        return _same_home(a, b) or (shared >= 1 and _same_number(a, b))
    if shared >= 2 or (shared == 1 and bool(a.places & b.places)):
        return True
    # One name said as a name by both ("Connor from Thornfield Avenue", "a lad called
    # connor") on the same street.
    strong = _shared_names(a.strong_names, b.strong_names)
    if strong >= 1 and bool(a.streets & b.streets):
        return True
    same_place = (
        bool(a.places & b.places) or bool(a.streets & b.streets)
        or (a.landmark is not None and a.landmark == b.landmark)
    )  # fmt: skip
    return same_place and not (a.names or b.names) and _shared_details(a, b) >= 2
