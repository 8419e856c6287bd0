"""Reading one answer to "who is involved": what in it could identify the people.

A `Sighting` is that answer with where it happened. It reads registrations (written any
way, read out in the NATO alphabet, or only partly seen: "WR66 something", "reg ends
TWK"), homes (house or flat numbers with their street or building, numbers said in words
or misheard on a call: "flat for"), names (capitalised mid-sentence, after "Mr" or
"called", before "at number 12" or "and his mates"; never a street's, a building's, a
pub's or a shop's name, nor the resident's own family's), and what tells people apart:
sex, ages as a span of years, flat and floor, older or younger of a family, and whether
the answer names the household at an address, or a named person, as the victim, the
resident writing, someone's relative, or rules them out. What it says beyond that (things,
clothes, what they do, the spot) is read in bot/cases/descriptions.py. Words that are not
names are listed in people_words.txt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import pairwise
from pathlib import Path

from bot.cases import descriptions
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
_NOT_NAMES = frozenset().union(*(w for section, w in _WORDS.items() if section != "everyday_names"))
_NOT_STREET_NAMES = _WORDS["function"] | _WORDS["people"] | _WORDS["activity"]
# Names that are everyday words too ("will", "mark"): not looked for in plain words.
EVERYDAY_NAMES = _WORDS["everyday_names"]
# Words in a business's name ("Golden Dragon takeaway", "Kazim Motors"): not a person's.
_BUSINESS_WORDS = _WORDS["business"]
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
# A number said in words where a house or flat number or an age goes ("at twenty two",
# "flat eight", "about fifteen"); elsewhere "one" and "no one" are not numbers.
_NUMBER_WORD = re.compile(
    r"(^|\b(?:at|number|no|flat|house|from|in|of|about|aged|around|maybe)\b|@)\s*(?:("
    + "|".join(_TENS) + r")(?:[\s-](" + "|".join(_UNITS[1:]) + r"))?|("
    + "|".join(_TEENS + _UNITS) + r"))\b"
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
_REGISTRATION = re.compile(r"\b([a-z]{2})(\s?)(\d{2})\s?([a-z]{3})\b")
# A plate's age identifier said alone: "08 plate", "a 14 reg".
_PLATE_YEAR = re.compile(r"\b(\d{2})[- ]?(?:plate|reg)\b")
# Two-letter words that start ordinary phrases ("at 56 has", "in 20 min"), not plates.
_NOT_PLATE_START = frozenset({
    "at", "in", "on", "no", "to", "of", "is", "it", "me", "my", "we", "he", "be", "by", "do",
    "go", "so", "up", "us", "an", "or", "if", "as", "am",
})  # fmt: skip
# A private plate after its cue ("private plate M4 RKS", "reg M4RKS") or in capitals.
_CUED_PLATE = re.compile(
    r"\b(?:plate|reg(?:istration)?)(?: number| no)?(?: is)?\s+([a-z]{1,3}\d{1,3}\s?[a-z]{1,3})\b"
)
_CAPITAL_PLATE = re.compile(r"\b([A-Z]{1,3}\d{1,3}\s?[A-Z]{2,3})\b")
# Part of a registration: its start ("WR66 something", "reg starts BD", "plate started
# with AV70") or its end ("reg ends TWK", "plate ending ..OZT", "last three letters XFR").
_PLATE_START = re.compile(
    r"\b([a-z]{2}\s?\d{2}(?:\s?[a-z])?)[\s-]*(?:something|summat|-|\?|\.\.\.)"
    r"|\b(?:reg(?:istration)?|plate)(?: number)? (?:starts?|started|starting|begins?|began|"
    r"beginning)(?: with)? ([a-z]{1,2}\d{0,2})\b"
)
_PLATE_END = re.compile(
    r"\b(?:ends?|ending|ended|end (?:was|is|of it was)|"
    r"last (?:three|3) letters(?: are| were| was)?)(?: in| with| was)?[\s.]+((?:[a-z]\s?){3})\b"
)
_PLATE_CUE = re.compile(r"\b(?:reg|plate|registration|last (?:three|3) letters)")
_DIGIT = re.compile(r"\d")
# A home named without its street ("at number 12", "no. 4", "flat 3", "@ 29", "no9",
# "plot 14"); not a time, an age or a count.
_HOME_NUMBER = re.compile(
    r"(?:\b(?:number|no\.?|num|house|flat|plot|at|from|in|of)|@)\s*(\d{1,4}[a-z]?)\b"
    r"(?![:.]?\d|\s?(?:am|pm|mins?|yrs?|years?|of them|or\b|-\s?\d|ish\b|in the (?:morning|"
    r"afternoon|evening)|at night|o'?clock|every\b))"
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+[a-z]?|[@,(.;:!?-]")
# Words after which a name follows ("a Mr Roger Haines", "the lad called connor").
_NAME_CUE = re.compile(r"^(?:mr|mrs|ms|miss|dr|called|named|name|name's|names|calls)$")
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
# Words after which the word before is a family's name, wherever it is ("that doyle
# family"), or, capitalised, a person's ("that old Pemberton fella").
_FAMILY_CUE = _WORDS["family_name_cue"]
_PERSON_CUE = _WORDS["person_after_name"]
# Words after which a capitalised name is that relative's ("his sister Courtney").
_RELATIVES = _WORDS["relatives"]
# The answer says the household at an address is not the one: it names someone else
# there, or says they have left.
_HOUSEHOLD_CLEARED = re.compile(
    r"\b(?:(?:do ?n[o']?t|not) mean|(?:it'?s|its|it is) not\b|"
    r"not (?:the|mr|mrs|ms|miss|number|no|at)\b(?! one next door)|"
    r"isn'?t (?:the|mr|mrs|ms|miss|her|him)\b|used to live|former (?:tenant|occupant|owner|"
    r"resident)|evicted|previous (?:tenant|occupant|owner)|moved (?:out|away)|"
    r"(?<!his )(?<!her )(?<!their )lodgers?|owns the house|"
    r"it (?:is|was)n'?t\b|not them\b|assumes?|keep saying|blamed?\b)"
)
# The household at an address is the victim.
_HOUSEHOLD_VICTIM = re.compile(
    r"\b(?:being (?:targeted|harassed|threatened|bullied|attacked|abused|picked on)|"
    r"the victim|looking for|targeting|threatening (?:him|her|them)\b|"
    r"threatening [a-z]+ who lives|(?:car|van|house|windows?) belonging to|"
    r"(?:windows?|door|car|fence|property|van) of|on (?:her|his|their) behalf|"
    r"(?:picking on|bullying|bullied|harass(?:ing|ed)|attack(?:ing|ed)|threaten(?:ing|ed)|"
    r"intimidat(?:ing|ed)|abus(?:ing|ed)|assault(?:ing|ed)|robb(?:ing|ed)|punch(?:ing|ed))\s"
    r"(?:\w+\s){0,5}?(?:at|from|in)\s(?:number|no|flat|\d)|"
    r"(?:kick(?:s|ing|ed)?|bang(?:s|ing|ed)? on|knock(?:s|ing|ed)? on|smash(?:es|ing|ed)?|"
    r"egg(?:s|ing|ed)?|key(?:s|ing|ed)?|scratch(?:es|ing|ed)?) (?:her|his|their) (?:front |"
    r"back )?(?:door|windows?|car|van|fence|gate)|"
    r"(?:is|are|was|were|getting|got|gets|keeps? getting)\s(?:\w+\s){0,2}?(?:bullied|jumped|"
    r"attacked|beaten|threatened|harassed|picked on|robbed|mugged|assaulted|abused)\b|"
    r"(?:stones|eggs|bricks|things) thrown at (?:their|his|her)\b|"
    r"(?:has|have|had) had (?:her|his|their)\b|(?:her|his|their) (?:\w+ ){0,2}(?:set on fire|"
    r"smashed|kicked in|damaged|vandalised|egged|broken into|scratched|keyed))"
)
# The resident's own home or their family's, said in passing: not the alleged
# perpetrator's ("I live at 9 Tennyson Road", "my mum Brenda lives at 14", "I'm Jan
# Kowalczyk, 22 Linnet Close", "Raj, flat 2 here").
_OWN_HOME = re.compile(
    r"\b(?:i|we)(?: (?:live|am|are)|'m|'re) (?:at|in|on)\s[^.,;]*|"
    r"\bmy (?:address|house) is\s[^.,;]*|"
    r"\b(?:i'?m|im|i am|my name is|my name's)\s(?!in\b|at\b)[a-z'-]+(?:\s[a-z'-]+)?,?\s"
    r"(?:from|at|of|in)?\s?\d[^.;]*|^[a-z'-]+,?\s(?:flat|number|no)?\s?\d+[a-z]?\shere\b|"
    r"\b(?:my|our) (?:\w+ )?(?:mum|mother|dad|father|nan|gran|grandad|grandma|sister|brother|"
    r"daughter|son|aunt|uncle)\b(?: \w+)?,? (?:who )?(?:lives|is|stays) (?:at|in|on)\s[^.,;]*"
)
# The resident introducing themselves: that name is not who did it.
_REPORTER = re.compile(
    r"\b(?:i'?m|im|i am|my name is|my name's|this is)\s+([a-z'-]+)(?:\s([a-z'-]+))?"
    r"|^([a-z'-]+),?\s(?:flat|number|no)?\s?\d+[a-z]?\shere\b",
    re.IGNORECASE,
)
# A named person the answer puts on the receiving end ("for my neighbour Gemma Rowley",
# "threatening Kev who lives there", "rude to mrs pearce").
_TARGET = re.compile(
    r"\b(?:(?:for|on behalf of|about) my (?:\w+ )?(?:neighbour|friend|mum|mother|dad|nan|"
    r"gran|sister|brother)|threaten(?:ing|ed|s)?|target(?:ing|ed|s)?|harass(?:ing|ed|es)?|"
    r"bull(?:ying|ied|ies)|attack(?:ing|ed|s)?|assault(?:ing|ed|s)?|picking on|looking for|"
    r"set on|rude to|abus(?:ing|ed|es)|scar(?:ing|ed|es)|frighten(?:ing|ed|s)?|robb(?:ing|ed)|"
    r"belonging to|(?:shouting|swearing|screaming|spitting|(?:\w+ )?abuse) at)\s+"
    r"(?:(?:my|our|the|poor|old|"
    r"little|young|elderly|disabled|mr|mrs|ms|miss|neighbour|friend|mum|nan|gran|lady|man)\s+)*"
    r"([a-z'-]+)(?:\s([a-z'-]+))?"
    r"|\b(?:threaten|target|harass|bull(?:y|ie)|abus|scar|frighten|shout|scream)[a-z]*\s"
    r"[^.;]{0,40}?\b(?:mr|mrs|ms|miss)\s([a-z'-]+)"
    r"|\b([a-z'-]+) is (?:the one )?being (?:targeted|harassed|threatened|bullied|picked on)"
    # whose things are damaged: "slashing Mr Greaves's tyres"
    r"|\b(?:slash\w*|key(?:s|ed|ing)|smash\w*|scratch\w*|damag\w*|egg(?:s|ed|ing)|vandalis\w*)"
    r"\s+(?:mr |mrs |ms |miss )?([a-z-]+?)(?:'s|s')\s",
    re.IGNORECASE,
)
# Someone living above a business ("the flat above the barbers", "lives over the
# Fish Bar", "(above Bubbles Launderette)").
_LIVES_ABOVE = re.compile(
    r"(?:\b(?:lives?|living|flat|room|resident|occupants?|tenants?|people|whoever|man|woman|"
    r"lad|guy|bloke|couple|family)\s(?:[a-z]+\s){0,4}?|\()(?:above|over|upstairs from)\s"
    r"(?:the\s)?(?!it\b|them\b|there\b|that\b)"
    r"((?:(?!on\b|at\b|in\b|and\b|with\b|by\b|near\b)[a-z'&-]+\s?){1,3})"
)
_PREMISES_FILLER = frozenset(
    {"the", "a", "an", "shop", "place", "flat", "flats", "on", "at", "in", "of"}
)
_NEAR_PLACE = re.compile(
    r"\b(?:next (?:door )?to|opposite|beside|behind|near|by|outside|across from|in front of|"
    r"round the corner from)\s(?:the\s)?((?:[a-z'&-]+\s?){1,3})"
)
# A house told apart by the one facing it: "88 Ruscote Ave (across the road from 87)".
_ACROSS_FROM_NUMBER = re.compile(
    r"\b(?:across (?:the (?:road|street|way) )?from|opposite|over the road from)\s"
    r"(?:the [a-z-]+ house at |no\.? ?|number )?\d+[a-z]?\b"
)
# "Block 2", "block B": one building of an estate.
_BLOCK = re.compile(r"\bblock ([a-z]|\d{1,2})\b")
_TITLED = re.compile(r"\b(?:mr|mrs|ms|miss|dr)\.?\s+([a-z'-]+)", re.IGNORECASE)
# "Jordan Quinn's sister Courtney", "Dan's little brother": whose relative it is.
_RELATIVE_OF = re.compile(
    r"\b((?:[A-Z][a-z'-]+\s)?[A-Za-z'-]+)'s\s+(?:[a-z]+\s){0,2}?(?:"
    + "|".join(sorted(_RELATIVES))
    + r")\b"
)
# The household that lived there before the people reported ("since the Greens moved to
# Duston", "after the Robinsons left", "now the Taylors are gone"): someone else now.
_FORMER = re.compile(
    r"\b(?:since|after|when|now|before) (?:the |mr and mrs |mrs |mr )?([a-z'-]+) "
    r"(?:moved|left|went|are gone|have gone|were evicted|got evicted|passed away|died)",
    re.IGNORECASE,
)
# People new to a home, after whoever lived there before ("the young couple who moved in
# after the last lady left", "the new family at 6").
_NEWCOMERS = re.compile(
    r"\b(?:moved in (?:after|since|when)|new (?:people|family|tenants?|lot|couple|occupants?|"
    r"neighbours?|owners?)\b|who(?:ever)? (?:has |have |'s )?(?:just )?moved in|"
    r"(?:since|after|now) the (?:last|previous|old) (?:\w+ ){0,3}?(?:left|moved|went|are gone)|"
    r"sold up|got let out|(?:has been|was|been) (?:re-?)?let|new tenant)",
    re.IGNORECASE,
)
# Someone the resident turned to or who saw it: a witness, a helper, the one complained to
# ("raised it with Kev who manages the Co-op", "Mr Ali at 33 saw it").
_BYSTANDER = re.compile(
    r"\b(?:raised it with|asked|told|complained to|spoke to|reported it to|mentioned it to)\s+"
    r"(?:mr |mrs |ms |miss )?([a-z'-]+)|"
    r"\b([a-z'-]+)(?: at \d+[a-z]?| from (?:number |no\.? )?\d+[a-z]?)?\s+"
    r"(?:saw (?:it|them|him|her)|(?:rang|called) (?:999|the police)|witnessed it|helped us)",
    re.IGNORECASE,
)
# Someone things are done to, said in the passive ("Keira at 8 is getting bullied",
# "Callum (17) got jumped").
_PASSIVE_VICTIM = re.compile(
    r"\b([a-z'-]+)(?:\s*\(?\d+\)?)?(?: family)?(?: at \d+[a-z]?)?\s+(?:is|are|was|were|got|gets|"
    r"getting|is getting|are getting|keeps? getting|has been|have been)\s+(?:\w+\s+){0,2}?"
    r"(?:bullied|jumped|attacked|beaten|threatened|harassed|picked on|robbed|mugged|assaulted|"
    r"abused|stones thrown|eggs thrown)\b",
    re.IGNORECASE,
)
# A named person the answer clears ("kelly's alright", "the Campbells are lovely").
_CLEARED = re.compile(
    r"\b([a-z'-]+)(?:'s| is| are)\s(?:alright|all right|ok|okay|fine|lovely|not involved|"
    r"innocent|nothing to do with)",
    re.IGNORECASE,
)
# What someone is to a home: a landlord, carers or builders are not its household.
_ROLES = re.compile(
    r"(?<!got )(?<!have )(?<!has )(?<!had )\b(landlord|landlady|carers?|visitors? to|"
    r"owner of(?= (?:the )?(?:house|flat|property|building|number|\d))|"
    r"who visits?|who comes to|(?:district )?nurse|builders?|workmen|delivery|deliveroo|"
    r"just eat|uber eats|couriers?|staff|"
    r"runs the(?= (?:[a-z]+ ){0,2}(?:shop|pub|bar|takeaway|cafe|café|off licence|offie|"
    r"garage|business|salon|restaurant|club|hotel|hostel|care home|chippy|store))|manager|"
    r"tenants?|lodgers?|"
    r"residents?|occupants?|dog walkers?)\b"
)
_OUTSIDERS = frozenset(
    {"landlord", "landlady", "owner of", "carer", "carers", "visitor to", "visitors to",
     "who visit", "who visits", "builder", "builders", "workmen", "delivery", "deliveroo",
     "just eat", "uber eats", "courier", "couriers", "staff",
     "runs the", "manager", "dog walker", "dog walkers", "shopkeeper", "proprietor",
     "who comes to", "nurse", "district nurse"}
)  # fmt: skip
_SAID_OF_ANY_HOUSEHOLD = frozenset(
    {"last", "previous", "people", "lot", "ones", "tenants", "family", "house", "place", "the"}
)
_LEAVING = re.compile(r"\b(?:moving out|moved out|is leaving|are leaving|going into a home)\b")
_FORMER_SAID = re.compile(
    r"\b(?:since|after|when|now|it was) the ([a-z'-]+(?: [a-z'-]+)?)(?='|\s)", re.IGNORECASE
)
# Someone who rents a room in another's home: not its household's owner or family.
_LODGER = re.compile(
    r"(?<!his )(?<!her )(?<!their )\b(?:lodgers?|lodg(?:es|ing) (?:with|at|in)|who lodges|"
    r"rents? (?:a|the) (?:back |front )?"
    r"room|staying (?:in the caravan|with)|sofa ?surf\w*)\b",
    re.IGNORECASE,
)
_NEXT_DOOR = re.compile(
    r"\b(?:next door|(?:my|our) (?:next door )?neighbours?(?! (?:upstairs|downstairs|above|below))|"
    r"neighbours? (?:to the|on the) (?:left|right|side))\b"
)
_FROM_ELSEWHERE = re.compile(
    r"\b(?:not from (?:a)?round here|not local|not a local|doesn'?t live (?:here|(?:a)?round here|"
    r"on (?:the|our|this) (?:street|road|estate|close))|drives? in from|comes? (?:in )?from "
    r"(?:somewhere|outside|another|out of town)|stays? over|turns? up (?:at|every)|"
    r"but lives (?:in|over|out|up|down)|lives elsewhere|doesn'?t live there|"
    r"lives in (?!the |a |an |number |no\b|flat |one |that |this |his |her |their )[a-z]+|"
    r"comes? (?:round|over|to visit)|visits (?:on|at weekends|most|every|his|her|their))\b"
)
# Which flat of a building, and which floor: two different ones are two households.
_FLAT = re.compile(
    r"\b(?:flat|room|bedsit)\s+(\d{1,3}[a-z]?)\b|\b(\d{1,4}[a-z])\b(?<!0s)|"
    r"\b(front|back|rear) flat\b"
)
_FLOORS = (
    (re.compile(r"\bbasement\b"), -1),
    (re.compile(r"\b(?:downstairs|ground floor|bottom flat|ground-floor)\b"), 0),
    (re.compile(r"\b(?:first|1st) floor\b"), 1),
    (re.compile(r"\b(?:second|2nd) floor\b"), 2),
    (re.compile(r"\b(?:third|3rd) floor\b"), 3),
    (re.compile(r"\b(?:upstairs|top floor|top flat|upper flat)\b"), 9),
)
# Older or younger of one family: "Osas Iyamu senior" and "Osas Iyamu junior", "the
# dad" and "the son", "the older brother" and "the younger one" are two people.
_ELDER = re.compile(
    r"(?<!not )\b(?:senior|snr|sr|the (?:dad|father|grandad|granddad|grandfather|eldest|elder|"
    r"mum|mother|mom|nan|gran|grandma)"
    r"|the (?:old|older) (?:man|woman|lady|one|fella|bloke)"
    r"|(?:the )?(?:older|eldest|elder) (?:[a-z]+ )?(?:one|brother|sister|lad|girl|son|daughter)"
    r"|old mr)\b"
)
_YOUNGER = re.compile(
    r"(?<!not )\b(?:junior|jnr|jr|the (?:son|grandson|youngest|teenage son|daughter|"
    r"granddaughter|teenage daughter)|his lad|her lad|their (?:lad|son|daughter)|"
    # "teenage son at 46", "one of the twins"
    r"teenage (?:son|daughter)|(?:the )?twins?|"
    r"(?:the )?young (?:one|un|'un|mr|master)"
    r"|(?:the )?(?:younger|youngest) (?:[a-z]+ )?(?:one|brother|sister|lad|girl|son|"
    r"daughter)|little (?:brother|sister))\b"
)
_FEMALE_NOUNS = re.compile(
    r"(?<!his )(?<!their )\b(?:woman|women|lady|ladies|mrs|ms|miss|girl|girls|landlady|"
    r"mum|mother|wife|daughter|sister|sisters|girlfriend|nan|grandma)\b"
)
_MALE_NOUNS = re.compile(
    r"(?<!her )(?<!their )\b(?:man|men|bloke|blokes|lad|lads|mr|boy|boys|fella|fellas|guy|"
    r"guys|chap|gentleman|landlord|dad|father|husband|son|brother|brothers|boyfriend|"
    r"grandad|grandson)\b"
)
_FEMALE_PRONOUNS = re.compile(r"\b(?:she|her|hers|she's|herself)\b")
_MALE_PRONOUNS = re.compile(r"\b(?:he|his|him|he's|himself)\b")
# The resident's own women or men ("my mum", "my son"): a "she" or "he" may be theirs.
_OWN_FEMALE = re.compile(r"\b(?:my|our)\s+(?:\w+\s+)?(?:mum|mother|wife|daughter|sister|nan|"
                         r"gran|grandma|granddaughter|girlfriend|partner|neighbour)\b")  # fmt: skip
_OWN_MALE = re.compile(r"\b(?:my|our)\s+(?:\w+\s+)?(?:dad|father|husband|son|brother|grandad|"
                       r"grandson|boyfriend|partner|neighbour|lad|boy)\b")  # fmt: skip
# The resident's own people by name ("my daughter Ellie", "my son Liam Foster"): not who
# did it.
_OWN_PEOPLE_NAMED = re.compile(
    r"\b(?:my|our)\s+(?:\w+\s+)?(?:son|daughter|husband|wife|mum|mother|dad|father|"
    r"grandson|granddaughter|partner|sister|brother|nan),?\s+[A-Za-z]+(?:\s[A-Z][a-z]+)?",
    re.IGNORECASE,
)
_OWN_PEOPLE = re.compile(
    r"\b(?:my|our) \d{1,2} ?(?:year|yr)s? old\b|"
    r"\b(?:my|our|me and my)\s+(?:\w+\s+)?(?:son|daughter|husband|wife|mum|mother|dad|father|"
    r"boy|girl|grandson|granddaughter|partner|kids|children|baby|sister|brother|nan|"
    r"grandkids|grandchildren|family|wife's|husband's)\b(?:(?:\s[a-z]+)?(?:\s\(\d{1,2}\)|,\s\d{1,2}\b))?"
)
# The people things are done to ("shouts at the kids", "snatched a bag from an old
# lady"): their ages and sexes are not the perpetrator's.
_AT_PEOPLE = re.compile(
    r"\b(?:at|to|towards|near|where|for|after|from|chases?|chased|follows?|followed|"
    r"scar(?:es|ing|ed)|abus(?:es|ing|ed)|on|past|with|went for|goes for|jumped (?:at|up at)|"
    r"bit|bites|round|around|in front of|frighten(?:s|ing|ed)|threaten(?:s|ing|ed)|"
    r"harass(?:es|ing|ed)|intimidat(?:es|ing|ed)|bull(?:ies|ying|ied)|push(?:es|ing|ed)|"
    r"hit(?:s|ting)?|rob(?:s|bing|bed)|mug(?:s|ging|ged)|attack(?:s|ing|ed)|assault(?:s|ing|ed)|"
    r"knocked|nearly hit|giving|targeting|insult(?:s|ing|ed)|when|while|as|film(?:s|ing|ed)|"
    r"photograph(?:s|ing|ed)|watch(?:es|ing|ed))\s+(?:(?:the|my|"
    r"our|other|some|"
    r"local|little|young|older|old|elderly|passing|an?|two|three|several|disabled|reception|"
    r"school|dog|shop)\s+)*(?:kids?|children|child|boys?|girls?|school ?kids|people|families|"
    r"pensioners?|women|woman|men|man|lady|ladies|residents|customers|walkers|shoppers|"
    r"neighbours|passers ?by|staff|students|pedestrians|motorists|drivers|toddlers?|"
    r"postman|postie|person|(?:mr|mrs|ms|miss) [a-z]+)\b"
)
# Ages said in words or numbers, as ranges of years: two reports whose ranges do not
# meet are about different people ("little lads about 8" and "grown men").
_AGES: tuple[tuple[re.Pattern[str], tuple[int, int] | None], ...] = (
    (re.compile(r"\b(?:little|small) (?:lads?|kids?|boys?|girls?|ones)\b|\bchild(?:ren)?\b|"
                r"\bkids?\b|primary (?:school )?(?:age|kids|children)"), (4, 12)),
    (re.compile(r"\bteen(?:s|age|agers?)?\b|\bschool ?(?:kids|boys?|girls?|uniform)|"
                r"secondary school|\byouths?\b|\byoungsters?\b"), (11, 19)),
    (re.compile(r"\blate teens\b"), (16, 19)),
    (re.compile(r"\b(?:6th|sixth) formers?\b"), (16, 18)),
    (re.compile(r"\byoung (?:men|man|guy|bloke|woman|women|lady|adults?)\b"), (16, 32)),
    (re.compile(r"\byoung lads?\b"), (11, 25)),
    (re.compile(r"\badults?\b"), (18, 80)),
    (re.compile(r"\b(?:grown|middle aged|middle-aged)\b"), (30, 65)),
    (re.compile(r"\bolder (?:man|woman|men|women|lady|gentleman|chap|bloke|fellas?|couple)\b"),
     (45, 99)),
    (re.compile(r"(?<!his )(?<!her )(?<!their )\b(?:grandad|granddad|grandfather|grandma|nan|"
                r"granny|grandmother)\b"), (50, 99)),
    (re.compile(r"\b(?:old|elderly) (?:man|woman|chap|lady|gentleman|couple|men)\b|"
                r"\bpensioners?\b|\bold chap\b|\belderly\b|\bretired\b"), (55, 99)),
    (re.compile(r"\b(?:early|mid|late)?[\s-]?(\d)0s\b|\b(twenties|thirties|forties|fifties|"
                r"sixties|seventies)\b|\b(\d)0[- ]?(?:odd|something)\b(?!\s?(?:of|[a-z]+s)\b)"),
     None),  # "40-odd", an age; not "20-odd kids", a count
    (re.compile(r"\b(?:about|aged?|around|maybe|roughly|only|under)\s(\d{1,2})\b"
                r"(?!\s?(?:or|of|to|-|men|women|people|(?!years\b|yrs\b)[a-z]+s)\b)|"
                r"\b(\d{1,2})\s?(?:-|to|or)\s?(\d{1,2})\s?(?:years?|yrs?|year olds?|yo)?\b"
                r"(?!\s?(?:am|pm|of|young|older|old|[a-z]+s)\b)|"
                r"\b(\d{1,2})\s?(?:years? old|yrs? old|yo|ish)\b|^(\d{1,2})$|, (\d{1,2})[,)]|"
                r"\b(\d{1,2}) or so(?=\s*(?:[,.;)]|$))|"  # "55 or so," not "five or so girls"
                r"\((\d{1,2})[,)]"), None),
    (re.compile(r"\byear (\d{1,2})s?\b(?: or (\d{1,2}))?"), None),
)  # fmt: skip
_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                 "seventies": 7}  # fmt: skip


def _age_range(text: str) -> tuple[int, int] | None:
    """The span of ages the text gives its people, or None when it gives none. Ages said
    in numbers ("70s", "about 15") are more exact than words ("older man"): when there
    are any, the words are left out."""
    spans: list[tuple[int, int]] = []
    worded: list[tuple[int, int]] = []
    for pattern, span in _AGES:
        for match in pattern.finditer(text):
            if span is not None:
                worded.append(span)
                continue
            numbers = [int(g) for g in match.groups() if g and g.isdigit()]
            decade = next((g for g in match.groups() if g in _DECADE_WORDS), None)
            if decade is not None:
                numbers = [_DECADE_WORDS[decade]]
            if not numbers:
                continue
            if match.group(0).startswith("year"):
                spans.append((min(numbers) + 4, max(numbers) + 5))  # a school year
            elif (
                "0s" in match.group(0)
                or decade is not None
                or re.search(r"0[- ]?(?:odd|something)", match.group(0))
            ):
                spans.append((numbers[0] * 10, numbers[0] * 10 + 9))
            elif len(numbers) == 2 and 5 <= numbers[0] < numbers[1]:
                spans.append((numbers[0] - 2, numbers[1] + 2))
            elif len(numbers) == 1 and 5 <= numbers[0] <= 99:
                spans.append((numbers[0] - 3, numbers[0] + 3))
    spans = spans or worded
    if not spans:
        return None
    return min(lo for lo, _ in spans), max(hi for _, hi in spans)


_STREET_WORDS = frozenset(STREET_TYPES)
# Street types and landmarks: place words, not names.
_PLACE_WORDS = _STREET_WORDS | frozenset(w for name in LANDMARK_NAMES for w in name.split())
# Buildings and streets named with words places.py does not know ("Mercia Tower",
# "Willow Bank", "Rye Croft").
_MORE_STREETS = re.compile(
    r"(?:\b(\d{1,4}[a-z]?)\b[\s,]+)?\b([a-z][a-z'-]+) (tower|towers|heights|bank|croft|vale|"
    r"meadows|chase|fold|garth)\b"
)
_NOT_BUILDING_NAMES = frozenset({"the", "a", "of", "in", "at", "on", "river", "grass", "car"})


def _streets(text: str) -> list[tuple[str | None, str]]:
    """Each (house number or None, street or building) the lower-case text names."""
    # "Gary Smith's house" is a person's home, not a street called that.
    found = [(n, s) for n, s in streets(text) if not (s.endswith(" house") and "'s " in s)]
    found += [
        (number, f"{name} {kind}")
        for number, name, kind in _MORE_STREETS.findall(text)
        if name not in _NOT_BUILDING_NAMES and name not in _NOT_STREET_NAMES
    ]
    return [(number or None, street) for number, street in found]


# What a recogniser hears for a number after "flat" or "number" ("flat for").
_MISHEARD = {"for": "4", "to": "2", "too": "2", "won": "1", "ate": "8", "tree": "3"}
_MISHEARD_AFTER = re.compile(r"\b(flat|number|no)\s+(" + "|".join(_MISHEARD) + r")\b")
# "flat 2 b": the letter of the flat, said apart from its number.
_FLAT_LETTER = re.compile(r"\b(flat|number|no) (\d{1,3}) ([a-h])\b(?! [a-z]+ing\b)")
# Surnames written in two words ("mc allister", "o neill").
_SPLIT_SURNAME = re.compile(r"\b(mc|mac|o|de|van)\s+([a-z]{3,})\b", re.IGNORECASE)
# "a brown staff", "with a staff": the dog, not a shop's staff.
_STAFF_DOG = re.compile(
    r"\b((?:a|an|brown|black|white|blue|brindle|grey|tan|fawn|red)\s)staff\b(?!\s(?:at|from|of|"
    r"in|on|member))"
)


def _digits(text: str) -> str:
    """ "number twenty two" -> "number 22"; "flat for" -> "flat 4"; "flat to b" -> "flat 2b"."""
    text = _MISHEARD_AFTER.sub(lambda m: f"{m.group(1)} {_MISHEARD[m.group(2)]}", text)

    def number(match: re.Match[str]) -> str:
        cue, tens, unit, word = match.groups()
        if tens:
            value = (_TENS.index(tens) + 2) * 10 + (_UNITS.index(unit) if unit else 0)
        else:
            value = _TEENS.index(word) + 10 if word in _TEENS else _UNITS.index(word)
        return f"{cue} {value}" if cue else str(value)

    return _FLAT_LETTER.sub(r"\1 \2\3", _NUMBER_WORD.sub(number, text))


@dataclass(frozen=True)
class Sighting:
    """One report's answer to "who is involved", with where it happened."""

    people: str
    location: str
    postcode: str | None = None

    @cached_property
    def text(self) -> str:
        lower = _STAFF_DOG.sub(r"\1staffy", self.people.lower())
        return _SPLIT_SURNAME.sub(r"\1\2", _digits(lower))

    @cached_property
    def about(self) -> str:
        """The text without the resident's household ("my son") and the people things are
        done to ("shouts at the kids"): what it says of who did it."""
        return _AT_PEOPLE.sub(" ", _OWN_PEOPLE.sub(" ", self.text))

    # --- Vehicles.

    @cached_property
    def _read_out(self) -> str:
        """The text with characters read out one by one joined up ("bravo foxtrot one six
        x-ray kilo papa": "bf16 xkp")."""
        return re.sub(r"\b([a-z0-9])\s(?=[a-z0-9]\b)", r"\1", _spoken(self.text))

    @cached_property
    def registrations(self) -> frozenset[str]:
        if not _DIGIT.search(self._read_out):
            return frozenset()
        found = {
            f"{start}{digits}{end}"
            for start, space, digits, end in _REGISTRATION.findall(f"{self.text} {self._read_out}")
            if not (space and start in _NOT_PLATE_START)
        }
        found |= {p.replace(" ", "") for p in _CUED_PLATE.findall(self.text)}
        if not self.people.isupper():
            found |= {p.replace(" ", "").lower() for p in _CAPITAL_PLATE.findall(self.people)}
        return frozenset(_plate(p) for p in found)

    @cached_property
    def plate_years(self) -> frozenset[int]:
        """The years a vehicle's plate tells: its age identifier ("an 08 plate", "14 reg",
        "YN15 OCA"), March's and September's of one year taken as the same year."""
        said = {int(y) for y in _PLATE_YEAR.findall(self.text)}
        said |= {
            int(r[2:4]) for r in self.registrations if re.fullmatch(r"[a-z]{2}\d{2}[a-z]{3}", r)
        }
        return frozenset(y % 50 for y in said)

    @cached_property
    def partial_registrations(self) -> frozenset[str]:
        """What was seen of a registration nobody got whole: "^wr66" for its start,
        "$twk" for its end."""
        # "grey Seat Leon ending LWX": a vehicle named is cue enough for its plate's end.
        cued = bool(_PLATE_CUE.search(self.text)) or bool(
            descriptions.kind(self.concepts, "vehicle") | descriptions.kind(self.concepts, "make")
        )
        if not (_DIGIT.search(self._read_out) or cued):
            return frozenset()
        found: set[str] = set()
        for text in (self.text, self._read_out):
            for seen, cued in _PLATE_START.findall(text):
                start = (seen or cued).replace(" ", "")
                start = _plate(start)
                if start[:2] not in _NOT_PLATE_START and not any(
                    r.startswith(start) and len(r) > len(start) + 2 for r in self.registrations
                ):
                    found.add("^" + start)
            if cued:
                found |= {"$" + end.replace(" ", "") for end in _PLATE_END.findall(text)}
        whole = {"^" + r for r in self.registrations}
        return frozenset(p for p in found if p not in whole)

    # --- Where it happened.

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
    def _location_streets(self) -> list[tuple[str | None, str]]:
        return _streets(_digits(self.location.lower()))

    @cached_property
    def _text_streets(self) -> list[tuple[str | None, str]]:
        return _streets(self.text)

    @cached_property
    def streets(self) -> frozenset[str]:
        return frozenset(s for _, s in self._location_streets)

    @cached_property
    def named_streets(self) -> list[tuple[str | None, str]]:
        """Streets the answer names; "kids when they walk" and "lime green" are not."""
        return [
            (n, street) for n, street in self._text_streets
            if not any(w in _NOT_STREET_NAMES for w in street.split()[:-1])
        ]  # fmt: skip

    @cached_property
    def all_streets(self) -> frozenset[str]:
        """The streets of the location and those the answer names."""
        return self.streets | {s for _, s in self.named_streets}

    @cached_property
    def spots(self) -> frozenset[str]:
        """The kinds of spot where it happens ("spot:underpass", "spot:co-op"), from both
        answers."""
        said = descriptions.concepts(self.location.lower()) | self.concepts
        named = {"spot:" + self.landmark} if self.landmark else set()
        return (
            descriptions.kind(said, "spot")
            | named
            | {"spot:" + c.split(":")[1] for c in said if c.startswith(("biz:", "near:"))}
        )

    @cached_property
    def place_words(self) -> tuple[frozenset[str], frozenset[str]]:
        """(spot words, area words): the names of the spot ("Swanswell", "Middlecroft")
        and of the town or district around it ("Coventry"), from the location."""
        spot, area = descriptions.place_words(self.location, _STREET_WORDS)
        blocks = {"block " + b for b in _BLOCK.findall(f"{self.location.lower()} {self.text}")}
        return spot | blocks | {w.replace("'", "") for w in self.named_places}, area

    # --- Homes, and who in a home it is about.

    @cached_property
    def own_home_said(self) -> str:
        """The text without where the resident lives."""
        return _OWN_HOME.sub(" ", self.text)

    @cached_property
    def own_homes(self) -> frozenset[str]:
        """Where the resident writing lives, when they say ("I live at 8 Poplar Walk")."""
        said = " ".join(m.group(0) for m in _OWN_HOME.finditer(self.text))
        if not said:
            return frozenset()
        numbers = set(_HOME_NUMBER.findall(said)) | set(re.findall(r"^(\d+[a-z]?)\b", said))
        named = {f"{n}|{s}" for n, s in _streets(said) if n}
        around = self.all_streets or {
            p.removeprefix("postcode:") for p in self.places if p.startswith("postcode:")
        }
        return frozenset(named | {f"{n}|{where}" for n in numbers for where in around})

    @cached_property
    def homes(self) -> frozenset[str]:
        """Where the alleged perpetrator lives: "12|elm road", or "12|CV15FB"."""
        said = _ACROSS_FROM_NUMBER.sub(" ", self.own_home_said)  # "88 (across from 87)"
        said_streets = self._text_streets if said == self.text else _streets(said)
        named = {f"{n}|{s}" for n, s in said_streets if n and (n, s) in self.named_streets}
        numbers = {
            n for n in _HOME_NUMBER.findall(re.sub(r"\bno(\d)", r"no \1", said))
            if not n.endswith("0s")
        }  # fmt: skip
        around = set(self.streets) | {s for _, s in self.named_streets}
        if not around:
            around = {p.removeprefix("postcode:") for p in self.places if p.startswith("postcode:")}
        located = named | {f"{n}|{where}" for n in numbers for where in around}
        if not (located or numbers) and self.only_a_name:
            # "Kyle Denton", at "17 Ruscote Avenue": the address is the person's.
            return frozenset(f"{n}|{s}" for n, s in self._location_streets if n)
        # A bare number is kept to compare with a report that gives the same one.
        return frozenset(located or {f"{n}|?" for n in numbers})

    @cached_property
    def only_a_name(self) -> bool:
        """The answer is a name and nothing said about them."""
        words = re.findall(r"[a-z']+", self.text)
        return bool(self.strong_names) and not (self.concepts or len(words) > 8)

    @cached_property
    def flat(self) -> str | None:
        match = _FLAT.search(self.own_home_said)
        if match is None:
            return None
        return match.group(1) or match.group(2) or match.group(3).replace("rear", "back")

    @cached_property
    def floor(self) -> int | None:
        said = self.own_home_said
        return next((level for pattern, level in _FLOORS if pattern.search(said)), None)

    @cached_property
    def outsider(self) -> bool:
        """The answer is about someone who comes to a home (a landlord, carers, builders)."""
        return any(role in _OUTSIDERS for role in _ROLES.findall(self.about))

    @cached_property
    def next_door_homes(self) -> frozenset[str]:
        """The homes either side of the resident's, when the answer is about the people
        next door and the place is the resident's own numbered home ("the Smiths next
        door", at "14 Montagu Street": 12, 13, 15 or 16 Montagu Street)."""
        if not _NEXT_DOOR.search(self.text) or self.homes:
            return frozenset()
        return frozenset(
            f"{int(n) + step}|{street}"
            for n, street in self._location_streets
            if n and n.isdigit()
            for step in (-2, -1, 1, 2)
            if int(n) + step > 0
        )

    @cached_property
    def leaving(self) -> bool:
        """The answer says the person is moving out of the home."""
        return bool(_LEAVING.search(self.text))

    @cached_property
    def former_household(self) -> frozenset[str]:
        """Words naming the household that lived there before ("since the old couple at 2
        went into a home": old, couple)."""
        said = " ".join(_FORMER_SAID.findall(self.text))
        words = re.findall(r"[a-z-]{3,}", said.lower())
        return frozenset(w for w in words if w not in _SAID_OF_ANY_HOUSEHOLD)

    @cached_property
    def lodger(self) -> bool:
        """The answer is about someone renting a room in another's home."""
        return bool(_LODGER.search(self.about))

    @cached_property
    def newcomers(self) -> bool:
        """The answer is about people new to the home, after those who lived there."""
        return bool(_NEWCOMERS.search(self.text))

    @cached_property
    def from_elsewhere(self) -> bool:
        """The answer says the person does not live here ("not from round here", "drives
        in from somewhere"): not the household of any home on the street."""
        return bool(_FROM_ELSEWHERE.search(self.text))

    @cached_property
    def household_cleared(self) -> bool:
        """The report says the household at the address it gives is not the one."""
        return bool(_HOUSEHOLD_CLEARED.search(self.text))

    @cached_property
    def household_excluded(self) -> bool:
        """The report names the home's household as the victim, or says it is not them."""
        return (
            self.household_cleared
            or bool(_HOUSEHOLD_VICTIM.search(self.text))
            or bool(self.victim_names)
        )

    # --- Names, and who a name is.

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
    def named_places(self) -> frozenset[str]:
        """Capitalised words of the answer that name a place or a business ("the Red
        Lion", "Istanbul Barbers", "the Swanswell subway")."""
        return self._names[2]

    @cached_property
    def business_names(self) -> frozenset[str]:
        """The words of the name of the business the answer is about ("Istanbul
        Barbers"), not of one it is next to or above."""
        return self._names[3]

    @cached_property
    def _names(self) -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
        streets = self._location_streets + self._text_streets
        not_names = _NOT_NAMES | _PLACE_WORDS | {w for _, s in streets for w in s.split()}
        not_names |= {w.lower() for w in _TOKEN.findall(self.location)}
        not_names |= {r[:2] for r in self.registrations} | {r[4:] for r in self.registrations}
        not_names |= self._thing_words
        said = _OWN_PEOPLE_NAMED.sub(" ", _SPLIT_SURNAME.sub(r"\1\2", self.people))
        tokens = _TOKEN.findall(said)
        words = [t for t in tokens if t[0].isalpha()]
        mixed = any(w[0].isupper() for w in words[1:]) and not self.people.isupper()
        found: set[str] = set()
        strong: set[str] = set()
        places: set[str] = set()
        businesses: set[str] = set()
        previous_name = -2
        for i, token in enumerate(tokens):
            low = token.lower().removesuffix("'s").strip("'-")
            if not token[0].isalpha() or len(low) < 2:
                continue
            if mixed and token[0].isupper() and _names_a_business(tokens, i):
                if low not in not_names:
                    places.add(low)
                    before = " ".join(tokens[max(0, i - 8) : i]).lower() + " "
                    if descriptions.relation(before) == "biz:":
                        businesses.add(low)
                continue
            if low in not_names:
                continue
            if token.isupper() and len(token) <= 4:
                continue  # initials and abbreviations: HMO, VW
            if "'" in low and not low.startswith("o'"):
                continue  # "I'd", "he'll": not O'Neill
            before = tokens[i - 1].lower() if i else "."
            after = tokens[i + 1].lower() if i + 1 < len(tokens) else "."
            if _names_a_place(tokens, i) or after in _PLACE_SUFFIXES or _before_a_spot(tokens, i):
                if mixed and token[0].isupper():
                    places.add(low)
                continue
            opening = i == 0 or (
                all(t[0].isalpha() for t in tokens[:i])
                and (tokens[i - 1].lower() in _BEFORE_NAME or (i == 1 and before not in not_names))
            )  # fmt: skip
            after_next = tokens[i + 2].lower() if i + 2 < len(tokens) else "."
            full_name = after[0].isalpha() and after not in not_names
            capitalised = mixed and token[0].isupper()
            called = bool(_NAME_CUE.match(before)) and (capitalised or not mixed)
            called |= (
                before in ("him", "her")
                and i > 1
                and tokens[i - 2].lower().startswith("call")
                and (capitalised or not mixed)
            )
            called |= before in _RELATIVES and capitalised
            called |= after in _PERSON_CUE and capitalised
            cued = called or after in _FAMILY_CUE or (
                opening and (bool(_AFTER_NAME.match(after))
                             or (full_name and bool(_AFTER_NAME.match(after_next))))
            )  # fmt: skip
            sentence_start = before in ".!?"
            next_capitalised = after != "i" and tokens[i + 1 : i + 2] != [] and (
                tokens[i + 1][0].isupper()
            )  # fmt: skip
            if cued or (capitalised and (not sentence_start or next_capitalised)):
                found.add(low)
                paired = previous_name == i - 1 or (next_capitalised and after not in not_names)
                if cued or paired:
                    strong.add(low)
                previous_name = i
        return frozenset(found), frozenset(strong), frozenset(places), frozenset(businesses)

    @cached_property
    def _thing_words(self) -> frozenset[str]:
        """Words of things said in two or more words ("Jack Russell", "Stone Island", "fly
        tipping"): not names."""
        return frozenset(w for said in descriptions.phrases(self.text) for w in said.split())

    @cached_property
    def titled_names(self) -> frozenset[str]:
        """Surnames said after a title ("Mr Adeyemi"): a first name is no match for them
        and no mismatch either."""
        return frozenset(w.lower() for w in _TITLED.findall(self.people)) & self.names

    @cached_property
    def victim_names(self) -> frozenset[str]:
        """Names said as someone's ("Mrs Patel's windows", "Tracey Whitlock's garden"):
        the victim, not the person ("Aisha Begum's husband" is still the household)."""
        owned = re.findall(r"\b((?:[A-Z][a-z'-]+\s)?[A-Za-z'-]+)'s\s+([a-z]+)", self.people)
        return frozenset(
            word.lower() for name, thing in owned for word in name.split()
            if word.lower() in self.names and thing not in _FAMILY_OF
        )  # fmt: skip

    @cached_property
    def not_them(self) -> frozenset[str]:
        """Names the answer gives to someone other than the alleged perpetrator: the
        victim ("Mrs Patel's windows", "threatening Kev"), the resident writing ("I'm
        Denise"), the one whose relative it is ("Jordan Quinn's sister"), the one it
        clears ("kelly's alright"), the household that lived there before ("since the
        Greens moved"), everyone it names when it says the household is not the one, and
        whoever it names in a sentence about a household as the victim."""
        said: set[str] = set(self.victim_names)
        for pattern in (_REPORTER, _TARGET, _CLEARED, _FORMER, _BYSTANDER, _PASSIVE_VICTIM):
            for match in pattern.finditer(self.people):
                said.update(w.lower() for w in match.groups() if w)
        for owner in _RELATIVE_OF.findall(self.people):
            said.update(w.lower() for w in owner.split())
        for own in _OWN_PEOPLE_NAMED.findall(self.people):
            said.update(w.lower() for w in own.split()[-2:])
        said = said & (self.names | _lower_words(self.people)) - _NOT_NAMES
        if self.household_cleared:
            said |= self.names
        # "Pam at number 12 has had her bin set on fire": the names said with the victim.
        if self.names and _HOUSEHOLD_VICTIM.search(self.text):
            for sentence in re.split(r"[.!?]", self.text):
                if _HOUSEHOLD_VICTIM.search(sentence):
                    said |= self.names & _lower_words(sentence)
        return frozenset(said)

    @cached_property
    def perpetrator_names(self) -> frozenset[str]:
        return self.names - self.not_them

    @cached_property
    def one_case(self) -> bool:
        """The answer is written all in small letters or all in capitals, so its names
        cannot be told by their capitals."""
        words = re.findall(r"[A-Za-z]+", self.people)
        return self.people.isupper() or not any(w[0].isupper() for w in words[1:])

    @cached_property
    def words(self) -> frozenset[str]:
        """Every word of the answer but its own people's names, for names written
        without capitals ("imran choudhary at forty alderman road"); none when it says
        the household is not the one."""
        if self.household_cleared:
            return frozenset()
        said = _OWN_PEOPLE_NAMED.sub(" ", self.people).lower()
        return frozenset(w.removesuffix("'s") for w in re.findall(r"[a-z][a-z'-]*", said)) - (
            _NOT_NAMES | self.not_them
        )

    @cached_property
    def joined_words(self) -> frozenset[str]:
        """Each two words of the answer written as one ("price cutter": "pricecutter")."""
        single = re.findall(r"[a-z]+", self.text)
        return frozenset(x + y for x, y in pairwise(single))

    @cached_property
    def spelt_words(self) -> list[str]:
        """`words` in one spelling each (`spelling`), to look a name up among them."""
        return sorted({spelling(w) for w in self.words if len(w) >= 3})

    # --- A business they live above or are near.

    @cached_property
    def above(self) -> frozenset[str]:
        """What the people live above ("the flat above the Neptune Fish Bar"): its
        words, to tell the flat over one shop from the flat over the next."""
        return frozenset(
            w for phrase in _LIVES_ABOVE.findall(self.text) for w in phrase.split()
            if w not in _PREMISES_FILLER
        )  # fmt: skip

    @cached_property
    def near_words(self) -> frozenset[str]:
        """Words of the places the answer puts them only near ("outside the Red Lion",
        "next door to the Istanbul Grill")."""
        return (
            frozenset(w for phrase in _NEAR_PLACE.findall(self.text) for w in phrase.split())
            - _NOT_NAMES
        )

    # --- Who they are and what they do.

    @cached_property
    def generation(self) -> str | None:
        """ "elder" or "younger" when the answer says which of a family it means."""
        elder, younger = bool(_ELDER.search(self.text)), bool(_YOUNGER.search(self.text))
        younger |= any(
            name in self.names for name in re.findall(r"\b(?:young|little) ([a-z]+)", self.text)
        )
        return "elder" if elder and not younger else "younger" if younger and not elder else None

    @cached_property
    def sex(self) -> str | None:
        """From the words for people ("woman", "lads"); from "she" or "he" only when
        they name nobody, and not the resident's own people's."""
        female, male = bool(_FEMALE_NOUNS.search(self.about)), bool(_MALE_NOUNS.search(self.about))
        if not (female or male):
            female = bool(_FEMALE_PRONOUNS.search(self.about)) and not _OWN_FEMALE.search(self.text)
            male = bool(_MALE_PRONOUNS.search(self.about)) and not _OWN_MALE.search(self.text)
        return "female" if female and not male else "male" if male and not female else None

    @cached_property
    def ages(self) -> tuple[int, int] | None:
        return _age_range(self.about)

    @cached_property
    def group(self) -> bool | None:
        """Whether the answer is about a group (True) or one person (False)."""
        return descriptions.group(self.about)

    @cached_property
    def concepts(self) -> frozenset[str]:
        """What the answer says of them beyond names: things, clothes, what they do,
        what business or role they belong to (bot/cases/descriptions.py)."""
        return descriptions.concepts(self.about)


_FILLERS = frozenset({"er", "erm", "um", "uh", "umm"})
# A registration's letters and digits as they are mistaken for each other: "L021" is LO21.
_AS_LETTER = str.maketrans("0158", "oisb")
_AS_DIGIT = str.maketrans("oilsb", "01158")


def _spoken(text: str) -> str:
    """The text with the NATO alphabet and digits said in words as characters, and
    "er" and "um" left out ("bravo foxtrot one six um x-ray" is "b f 1 6 x")."""
    return " ".join(
        _PHONETIC.get(w, _DIGIT_WORDS.get(w, w)) for w in text.split() if w not in _FILLERS
    )


def _plate(plate: str) -> str:
    """A current-style registration, or its start, with letters where letters go and
    digits where digits go ("l021xgr" is "lo21xgr"); a private plate as it is."""
    if len(plate) < 4 or not (plate[:2].isalpha() or plate[2:4].isdigit()):
        return plate
    return (
        plate[:2].translate(_AS_LETTER) + plate[2:4].translate(_AS_DIGIT)
        + plate[4:].translate(_AS_LETTER)
    )  # fmt: skip


@lru_cache(maxsize=65_536)
def spelling(name: str) -> str:
    """One spelling for the sounds names are spelt many ways: Jaxon and Jackson, Leigh
    and Lee."""
    name = name.replace("x", "ks").replace("ck", "k").replace("ph", "f").replace("'", "")
    name = name.replace("eigh", "ee")
    return re.sub(r"(.)\1", r"\1", name)


def _lower_words(text: str) -> frozenset[str]:
    return frozenset(w.removesuffix("'s") for w in re.findall(r"[a-z'-]+", text.lower()))


def _names_a_business(tokens: list[str], i: int) -> bool:
    """A capitalised word in a business's name: in a run of capitals with a business
    word in it or just after it ("Golden Dragon takeaway", "Istanbul Barbers")."""
    start = end = i
    while start > 0 and tokens[start - 1][:1].isupper():
        start -= 1
    while end + 1 < len(tokens) and tokens[end + 1][:1].isupper():
        end += 1
    run = [t.lower().removesuffix("'s") for t in tokens[start : end + 2]]
    return any(w in _BUSINESS_WORDS for w in run)


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


def _before_a_spot(tokens: list[str], i: int) -> bool:
    """A capitalised word before a kind of spot: "the old Woolworths doorway"."""
    return i + 1 < len(tokens) and descriptions.starts_with_spot(
        " ".join(tokens[i + 1 : i + 3]).lower()
    )
