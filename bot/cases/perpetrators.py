"""Whether two reports name the same alleged perpetrator, from what residents wrote.

Two reports are linked only on something that identifies, and the less it identifies the
closer the places must be:

- a vehicle: the same registration, or part of one that fits it with the same kind,
  make or colour of vehicle;
- a home: the same house or flat number with its street, building or postcode;
- a name, fuzzy-matched ("Kieran O'Donoghue" is "keiron odonahue", "Gaz" is Gary),
  written with capitals or without; one name alone only at the same street or spot;
- a business or a role at one place: "Istanbul Barbers" and "the Turkish barbers
  (Istanbul?)", the caretaker of one block, the flat above one chip shop;
- for people nobody named, the same place with things in common that set them apart
  (an orange KTM, a husky, a neck brace, balaclavas), more of them the looser the place.

Anything that tells two people apart wins over what they share: different registrations
or makes of vehicle, homes, names, sexes, ages, builds or hair, flats or floors, older
and younger of one family, different postcode districts, one person against a group, or
a report that names the other's perpetrator as its victim, its writer, someone's relative
or the household that lived there before. Linking two different people would share one
person's report as another's, so precision comes first.
What is read from each answer: bot/cases/sightings.py and bot/cases/descriptions.py.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from bot.cases.descriptions import colours, distinctive, kind
from bot.cases.sightings import EVERYDAY_NAMES, Sighting, spelling

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
    "mo": "mohammed", "bernie": "bernard", "cliff": "clifford", "ted": "edward",
    "kit": "christopher", "kris": "christopher",
    "ned": "edward", "harry": "henry", "jack": "john", "peggy": "margaret", "sandy": "alexander",
}  # fmt: skip
_NAME_SIMILARITY = 0.85
# The start of a surname written in two words and read as one ("Van Minh", "Mc Allister").
_SURNAME_PREFIX = re.compile(r"^(?:mc|mac|de|van|o')")
# A name written without capitals is looked for among the other answer's words a little
# more strictly: any word could come close to a short name.
_WORD_SIMILARITY = 0.9
# Roles that belong to one place: two reports of the caretaker of one block are one man.
_PLACE_ROLES = frozenset({
    "role:caretaker", "role:landlord", "role:farmer", "role:owner", "role:doorstaff",
    "role:carer", "role:builder", "role:dogwalker", "role:plotholder",
})  # fmt: skip
# Roles a business's people have: a report of its owner is not one of its customers.
_BUSINESS_ROLES = frozenset(
    {"role:owner", "role:staff", "role:delivery", "role:customer", "role:doorstaff"}
)
# Kinds of spot a town has one of: "the war memorial" and "the memorial gardens" in one
# town are one place.
_ONE_IN_A_TOWN = frozenset({
    "spot:memorial", "spot:underpass", "spot:skatepark", "spot:busstation", "spot:market",
    "spot:library", "spot:leisure", "spot:station",
})  # fmt: skip
# Kinds of business too common for one street to have only one.
_COMMON_BUSINESSES = frozenset({"biz:shop", "biz:drink", "biz:takeaway"})
_COMMON_KINDS = frozenset(c.split(":")[1] for c in _COMMON_BUSINESSES)


@lru_cache(maxsize=65_536)  # a worker compares the same few names again and again
def _same_name(a: str, b: str) -> bool:
    if "-" in a or "-" in b:  # "Okonkwo-Davies" is Mrs Davies
        return any(_same_name(x, y) for x in a.split("-") for y in b.split("-") if x and y)
    for one, other in ((a, b), (b, a)):
        prefix = _SURNAME_PREFIX.match(one)
        if prefix and len(one) - prefix.end() >= 3 and _same_name(one[prefix.end() :], other):
            return True  # "Van Minh" is Minh
    a, b = _NICKNAMES.get(a, a), _NICKNAMES.get(b, b)
    a, b = spelling(a), spelling(b)
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


def _in_names(name: str, names: frozenset[str]) -> bool:
    return any(_same_name(name, other) for other in names)


def _in_words(name: str, s: Sighting) -> bool:
    """The other answer says this name, written without capitals if it writes nothing
    with them, and not of a victim ("will" is only a word there)."""
    if _in_names(name, s.perpetrator_names):
        return True
    if not s.one_case or len(name) < 3 or name in EVERYDAY_NAMES or _in_names(name, s.not_them):
        return False
    if name in s.words or name in s.joined_words or _NICKNAMES.get(name, "") in s.words:
        return True
    found = process.extractOne(
        spelling(name), s.spelt_words, scorer=JaroWinkler.similarity,
        score_cutoff=_WORD_SIMILARITY,
    )  # fmt: skip
    return found is not None


def _shared_names(a: Sighting, b: Sighting) -> int:
    """How many of one report's names for the perpetrator the other says too."""
    return max(
        sum(1 for x in a.perpetrator_names if _in_words(x, b)),
        sum(1 for y in b.perpetrator_names if _in_words(y, a)),
    )


def _strong_names(s: Sighting) -> frozenset[str]:
    return s.strong_names & s.perpetrator_names


# --- What tells two people apart -------------------------------------------------------


def _tell_apart(a: Sighting, b: Sighting) -> bool:
    """Something that says these are two different people."""
    if a.district and b.district and a.district != b.district:
        return True
    if _registrations_differ(a, b):
        return True
    for thing in ("make", "model"):
        said_a, said_b = kind(a.concepts, thing), kind(b.concepts, thing)
        if said_a and said_b and not said_a & said_b:
            return True  # a silver Toyota and a silver Skoda; an Audi A3 and an Audi Q3
    if a.plate_years and b.plate_years and not a.plate_years & b.plate_years:
        return True  # an 08 plate and YN15 OCA
    colour_a, colour_b = colours(a.concepts, "make"), colours(b.concepts, "make")
    if colour_a and colour_b and not colour_a & colour_b:
        return True  # an orange Nissan Skyline and a lime green one
    if a.sex and b.sex and a.sex != b.sex:
        return True
    if a.ages and b.ages and (a.ages[1] < b.ages[0] or b.ages[1] < a.ages[0]):
        return True
    businesses = kind(a.concepts, "biz") and kind(b.concepts, "biz")
    if (a.homes or b.homes) and a.outsider != b.outsider and not businesses:
        return True  # the landlord of a house and its tenant; carers and the resident
    if (a.homes or b.homes) and a.lodger != b.lodger:
        return True  # the lodger at 9 and the owner of 9
    # "at number 10" and "not from round here" (but the landlord of number 10 and its
    # owner "who lives in London" may be one)
    elsewhere = a.from_elsewhere != b.from_elsewhere and (a.homes or b.homes)
    if elsewhere and not (a.outsider and b.outsider):
        return True
    for new, old in ((a, b), (b, a)):
        if new.newcomers and not old.newcomers and (
            (old.strong_names and not _shared_names(a, b)) or old.leaving
            or _former_named(new, old)
        ):  # fmt: skip
            return True  # "Gina Ellis at 5" and "the couple who moved in after the last lady"
    if a.own_homes & b.homes or b.own_homes & a.homes:
        return True  # one report's writer is the other's perpetrator
    for mine, theirs in ((a.flat, b.flat), (a.floor, b.floor), (a.generation, b.generation)):
        if mine is not None and theirs is not None and mine != theirs:
            return True
    if _named_as_someone_else(a, b) or _named_as_someone_else(b, a):
        return True
    if _premises_differ(a, b) or _roles_differ(a, b):
        return True  # a business's owner is not its staff, nor its customers
    return _names_differ(a, b)


def _former_named(new: Sighting, old: Sighting) -> bool:
    """The report of newcomers names the household before them as the other report does
    ("since the old couple at 2 went into a home" and "the old couple at 2")."""
    return bool(new.former_household & set(re.findall(r"[a-z-]{3,}", old.text)))


def _registrations_differ(a: Sighting, b: Sighting) -> bool:
    """Different registrations, one seen in part that the other's does not fit, or the
    same part of two seen differently ("ends LWK" and "ending LWX")."""
    if a.registrations and b.registrations and not a.registrations & b.registrations:
        return True
    if any(
        x[0] == y[0] and not _parts_agree(x, y)
        for x in a.partial_registrations for y in b.partial_registrations
    ):  # fmt: skip
        return True
    return any(
        not any(_fits(part, whole) for whole in theirs)
        for parts, theirs in ((a.partial_registrations, b.registrations),
                              (b.partial_registrations, a.registrations))
        if theirs for part in parts
    )  # fmt: skip


def _parts_agree(x: str, y: str) -> bool:
    """Two starts ("^fe") or two ends ("$lwk") of registrations that could be one."""
    one, other = x[1:], y[1:]
    if x[0] == "^":
        return one.startswith(other) or other.startswith(one)
    return one.endswith(other) or other.endswith(one)


def _fits(part: str, whole: str) -> bool:
    return whole.startswith(part[1:]) if part[0] == "^" else whole.endswith(part[1:])


def _named_as_someone_else(a: Sighting, b: Sighting) -> bool:
    """A name one report gives its perpetrator is, in the other, the victim, the
    resident writing, someone's relative or someone it clears, and the other gives its
    perpetrator none of them ("Jordan Quinn's sister Courtney" is still a Quinn)."""
    names = a.perpetrator_names
    if not (names and b.not_them):
        return False
    return any(_in_names(n, b.not_them) for n in names) and not any(
        _in_names(n, b.perpetrator_names) for n in names
    )


def _premises_differ(a: Sighting, b: Sighting) -> bool:
    """Living above two different businesses, or one living above a business and the
    other reporting the business itself."""
    if not (a.above or b.above):
        return False
    if a.above and b.above:
        return not _above_the_same(a, b)
    for one, other in ((a, b), (b, a)):
        above = {c.split(":")[1] for c in kind(one.concepts, "above")} - _COMMON_KINDS
        theirs = {c.split(":")[1] for c in kind(other.concepts, "biz")}
        named = one.above & set(re.findall(r"[a-z]+", other.text))  # "the Polish shop"
        if one.above and (above & theirs or named) and not kind(other.concepts, "above"):
            return True
    return False


def _names_differ(a: Sighting, b: Sighting) -> bool:
    """Both name the perpetrator, and by names that cannot be one person's."""
    names_a, names_b = _strong_names(a), _strong_names(b)
    if not (names_a and names_b):
        return False
    # "Mr Adeyemi" and "Tunde": a surname and a first name, neither ruling out the other.
    for one, other, theirs in ((names_a, names_b, b), (names_b, names_a, a)):
        if one <= _titled(one, a, b) and len(other) == 1 and not theirs.titled_names:
            return False
    # Each name of one matched by one of the other; what is left over must agree too
    # ("Chloe Marsh" and "Jordan Marsh" share a surname, not a person).
    left_a = {x for x in names_a if not _could_be_said(x, b)}
    left_b = {y for y in names_b if not _could_be_said(y, a)}
    if len(left_a) == len(names_a) and len(left_b) == len(names_b):
        return True  # no name in common
    if len(names_a) < 2 or len(names_b) < 2 or (a.group and b.group):
        return False  # a group's other names are its other members
    # Names left over on both sides that are nothing alike: two first names.
    return bool(left_a and left_b) and not any(
        JaroWinkler.similarity(spelling(x), spelling(y)) >= 0.7 for x in left_a for y in left_b
    )


def _titled(names: frozenset[str], a: Sighting, b: Sighting) -> frozenset[str]:
    return names & (a.titled_names | b.titled_names)


def _could_be_said(name: str, s: Sighting) -> bool:
    return any(_could_be_same_name(name, y) for y in s.names - s.not_them) or _in_words(name, s)


# --- Where: how close two reports' places are ------------------------------------------


def _place_level(a: Sighting, b: Sighting) -> int:
    """3: the same postcode unit, address, or named spot of one kind ("the Co-op on Sheep
    Street"); 2: the same street, named spot, or kind of spot in one town; 1: the same
    district or town; 0: nothing known in common, or each names a different street or
    spot."""
    if a.places & b.places:
        return 3
    same_street = _streets_meet(a.all_streets, b.all_streets)
    spot_a, area_a = a.place_words
    spot_b, area_b = b.place_words
    same_spot_name = bool(spot_a & spot_b)
    same_spot_kind = bool(a.spots & b.spots)
    if (same_street or same_spot_name) and same_spot_kind:
        return 3
    if same_street or same_spot_name:
        return 2
    same_area = (a.district is not None and a.district == b.district) or bool(
        (spot_a | area_a) & (spot_b | area_b)
    )
    if not same_area:
        return 0
    if (a.streets or spot_a - area_b) and (b.streets or spot_b - area_a):
        return 0  # each names a different street or spot of the town
    if a.spots & b.spots & _ONE_IN_A_TOWN:
        return 3  # "the war memorial" in Kettering
    return 2 if same_spot_kind else 1


def _streets_meet(a: frozenset[str], b: frozenset[str]) -> bool:
    """The same street, said with or without its town ("Bicester Market Square")."""
    return bool(a & b) or any(x.endswith(" " + y) or y.endswith(" " + x) for x in a for y in b)


# --- What identifies -------------------------------------------------------------------


def same_perpetrator(a: Sighting, b: Sighting) -> bool:
    if _tell_apart(a, b):
        return False
    if a.registrations & b.registrations or _same_vehicle_in_part(a, b):
        return True
    level = _place_level(a, b)
    if _next_door_to(a, b) or _next_door_to(b, a):
        return True
    if a.homes and b.homes:
        if _shared_names(a, b) >= 1 and _same_number(a, b):
            return True  # "Tunde at number 4" and "Mr Adeyemi at 4 Larch Close"
        if not (a.household_excluded or b.household_excluded):
            return _same_home(a, b, level)  # two homes: the same one decides
        if a.homes & b.homes:
            return False  # one says the household there is the victim, or not the one
    return (
        _same_named(a, b, level)
        or _same_premises(a, b, level)
        or _same_role(a, b, level)
        or _same_described(a, b, level)
    )


def _next_door_to(a: Sighting, b: Sighting) -> bool:
    """`a` is about the people next door to the resident's numbered home, `b` names a
    home either side of it, and they are said to do the same thing: one side or the
    other is a guess, so what they do has to agree too."""
    if not (a.next_door_homes & b.homes):
        return False
    return bool(kind(a.concepts & b.concepts, "act")) and not _looks_differ(a, b)


def _same_vehicle_in_part(a: Sighting, b: Sighting) -> bool:
    """Part of a registration that fits the other's, with the same kind, make or colour."""
    fits = any(
        _fits(part, whole)
        for parts, wholes in ((a.partial_registrations, b.registrations | _starts(b)),
                              (b.partial_registrations, a.registrations | _starts(a)))
        for part in parts for whole in wholes
    )  # fmt: skip
    shared = a.concepts & b.concepts
    return fits and bool(kind(shared, "make") | (distinctive(shared) & _vehicle_words(shared)))


def _starts(s: Sighting) -> frozenset[str]:
    return frozenset(p[1:] for p in s.partial_registrations if p[0] == "^")


def _vehicle_words(shared: frozenset[str]) -> frozenset[str]:
    return frozenset(c for c in shared if c.startswith(("vehicle", "make")))


def _same_home(a: Sighting, b: Sighting, level: int) -> bool:
    if a.household_excluded or b.household_excluded:
        return False
    if a.homes & b.homes:
        return True
    # A bare number ("at 29") matches the same number given with its street, on that
    # street or at that named spot.
    if not any(h.endswith("|?") for h in a.homes | b.homes):
        return False
    return level >= 2 and _same_number(a, b)


def _same_number(a: Sighting, b: Sighting) -> bool:
    numbers_a = {h.split("|")[0] for h in a.homes}
    return any(h.split("|")[0] in numbers_a for h in b.homes)


def _same_named(a: Sighting, b: Sighting, level: int) -> bool:
    """A name in common: two of them anywhere they could be; one at the same street or
    spot; one in the same town with something that sets them apart ("Terry" and his
    greyhound)."""
    shared = _shared_names(a, b)
    if shared >= 2:
        return True
    if shared == 0:
        return False
    return level >= 2 or (level == 1 and bool(distinctive(a.concepts & b.concepts)))


def _same_premises(a: Sighting, b: Sighting, level: int) -> bool:
    """One business, or the flat above one, at one place: by its name in the same town,
    or by its kind in the same street."""
    if _strong_names(a) and _strong_names(b):
        return False  # names decide
    if a.above and b.above:
        return level >= 2 and _above_the_same(a, b)
    if not (_about_a_business(a) and _about_a_business(b)):
        return False
    if _a_person_not_the_business(a, b) or _a_person_not_the_business(b, a):
        return False
    if _roles_differ(a, b) or _kinds_differ(a, b):
        return False
    names = _shared_business_names(a, b)
    if _business_names_differ(a, b, names):
        return False
    kinds = kind(a.concepts, "biz") & kind(b.concepts, "biz") - _COMMON_BUSINESSES
    return level >= 1 if names else bool(kinds) and level >= 2


def _about_a_business(s: Sighting) -> bool:
    return bool(kind(s.concepts, "biz") or s.business_names or s.concepts & _BUSINESS_ROLES)


def _a_person_not_the_business(a: Sighting, b: Sighting) -> bool:
    """One report is about one person (named, or "a regular from the Plough") and the
    other about a business: the person is not the business, unless they run it."""
    if "role:owner" in a.concepts or _strong_names(b):
        return False
    return bool(_strong_names(a) - b.words) or (a.group is False and b.group is not False)


def _kinds_differ(a: Sighting, b: Sighting) -> bool:
    """Two kinds of business ("the off-licence" and "the barbers next to it")."""
    kinds_a = kind(a.concepts, "biz") - _COMMON_BUSINESSES
    kinds_b = kind(b.concepts, "biz") - _COMMON_BUSINESSES
    if kinds_a and kinds_b and not kinds_a & kinds_b:
        return True
    # The business of one is only where the other happens ("next to the building site").
    near_a = {"biz:" + c.split(":")[1] for c in kind(a.concepts, "near")} - kinds_a
    near_b = {"biz:" + c.split(":")[1] for c in kind(b.concepts, "near")} - kinds_b
    return bool(kinds_a & near_b or kinds_b & near_a)


def _roles_differ(a: Sighting, b: Sighting) -> bool:
    roles_a, roles_b = a.concepts & _BUSINESS_ROLES, b.concepts & _BUSINESS_ROLES
    return bool(roles_a and roles_b) and not roles_a & roles_b


def _business_words(s: Sighting) -> frozenset[str]:
    """The words that may name the business a report is about: its capitalised name, or
    a named spot of its location ("The Plough, Kidlington"); not a street, nor a place
    it is only near."""
    streets = {w for street in s.streets for w in street.split()}
    return (s.business_names | s.place_words[0]) - s.near_words - streets


def _shared_business_names(a: Sighting, b: Sighting) -> set[str]:
    return {
        w for one, other in ((a, b), (b, a)) for w in _business_words(one)
        if w in other.joined_words
        or any(_same_business_word(w, x) for x in other.words - other.near_words)
    }  # fmt: skip


def _same_business_word(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= 3 and long.startswith(short):
        return True  # "Kaz's" and "Kazim", "Fry" and "fried"
    return len(short) >= 5 and JaroWinkler.similarity(a, b) >= _WORD_SIMILARITY


def _business_names_differ(a: Sighting, b: Sighting, shared: set[str]) -> bool:
    """Both name the business they are about, and not alike: "Vibe" and "Lava"."""
    return bool(a.business_names and b.business_names) and not shared


def _above_the_same(a: Sighting, b: Sighting) -> bool:
    kinds = kind(a.concepts, "above") & kind(b.concepts, "above")
    if {c.split(":")[1] for c in kinds} - _COMMON_KINDS:
        return True
    return any(_same_business_word(x, y) for x in a.above for y in b.above)


def _same_role(a: Sighting, b: Sighting, level: int) -> bool:
    """The same role at the same place: the caretaker of one block, the farmer of one
    farm, the landlord of one house."""
    roles = a.concepts & b.concepts & _PLACE_ROLES
    if not roles or (_strong_names(a) and _strong_names(b)) or _looks_differ(a, b):
        return False
    return level >= 2


# --- People nobody named ---------------------------------------------------------------

# How much two descriptions must share, by how close their places are (`_place_level`):
# at one spot, what they do and who they are (a group of boys about 14 setting fires);
# in one street or named spot, a thing in common that sets them apart (a husky, a neck
# tattoo) or more; in one town, three such things.
_EVIDENCE_NEEDED = {3: 1.0, 2: 1.5, 1: 3.0}


def _same_described(a: Sighting, b: Sighting, level: int) -> bool:
    """The same place, with things in common that set people apart and nothing that
    tells them apart."""
    if _strong_names(a) and _strong_names(b):
        return False  # names decide
    if _looks_differ(a, b):
        return False
    needed = _EVIDENCE_NEEDED.get(level)
    if needed is None:
        return False
    evidence = _evidence(a, b)
    if level == 2 and distinctive(a.concepts & b.concepts):
        return evidence >= 1.0  # a distinctive thing at the same street or named spot
    return evidence >= needed


def _evidence(a: Sighting, b: Sighting) -> float:
    """Things in common count one each, the colour of a common thing a half ("a white
    van"); what they do, their sex and ages a half each."""
    shared = a.concepts & b.concepts
    things = distinctive(shared)
    plain = {c for c in things if "-colour:" in c and not _coloured_thing(c, things)}
    score = len(things) - 0.5 * len(plain) + 0.5 * len(kind(shared, "act"))
    if a.sex and a.sex == b.sex:
        score += 0.5
    if a.ages and b.ages:
        score += 0.5
    return score


def _coloured_thing(colour: str, things: frozenset[str]) -> bool:
    """A colour said of a thing that is itself distinctive ("a red quad", not "a red car")."""
    thing = colour.split("-colour:")[0]
    return any(c.startswith(thing + ":") for c in things)


def _looks_differ(a: Sighting, b: Sighting) -> bool:
    """One person against a group, or two told apart by their build, hair, the make or
    colour of their vehicle or the breed or colour of their dog."""
    if a.group is not None and b.group is not None and a.group != b.group:
        return True
    for name in ("make", "dogs"):
        mine, theirs = kind(a.concepts, name), kind(b.concepts, name)
        if len(mine) == 1 and len(theirs) == 1 and mine != theirs:
            return True
    for name in ("vehicle", "make", "dog"):
        mine, theirs = colours(a.concepts, name), colours(b.concepts, name)
        if mine and theirs and not mine & theirs:
            return True  # a black staffy and a white one
    if a.group or b.group:
        return False
    for name in ("build", "hair"):
        mine, theirs = kind(a.concepts, name), kind(b.concepts, name)
        if mine and theirs and not mine & theirs:
            return True
    return False
