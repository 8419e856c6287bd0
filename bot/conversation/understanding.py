"""What a resident's own words already tell the report form.

People do not answer one question at a time: "The lads at 14 Spon Street CV1 5FB have
been playing music till 3am every night this week, I can't sleep" says where, when, who,
how often and how it affects them. `read_report` finds each of those in any message, so
the form asks only what is missing and reads the rest back for correction.

Pure functions with no I/O; each finder returns the resident's own words for one field
(or a canonical value where the form stores one), or None when the text does not say.
"""

from __future__ import annotations

import re
from typing import Final

import phonenumbers

from bot.conversation import report_answers as answers
from bot.conversation.impact import tells_impact
from bot.privacy.contact import (
    digits_said,
    find_postcode,
    find_spoken_postcode,
    is_usable_number,
    parse_email,
    without_postcodes,
)
from bot.safety.corpus import STRANDS
from bot.safety.cues import cue_lists

_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
# "nite", and "neet" (Geordie, Yorkshire) and "nicht" (Scots) as residents write them
_PARTS_OF_DAY = "morning|afternoon|evening|night|nite|nights|neet|nicht"
_WHEN = re.compile(
    r"\b(?:"
    r"(?:right|just) now|happening now|going on now|at the moment|as we speak|atm|rn|"
    r"last (?:night|nite|neet|nicht|week|weekend|month|" + _DAYS + r")|"
    r"yesterday(?: (?:" + _PARTS_OF_DAY + r"))?|"
    r"this (?:morning|afternoon|evening|week|weekend)|tonight|today|earlier today|"
    r"(?:every|each) (?:single )?(?:night|nite|day|evening|morning|weekend|week|"
    + _DAYS
    + r")(?: this (?:week|month))?|"
    r"(?:most|some) (?:nights|days|evenings|weekends)|night after night|all night|"
    r"(?:on |last )?(?:" + _DAYS + r")s?(?: (?:" + _PARTS_OF_DAY + r"))?|"
    r"(?:on |the )?\d{1,2}(?:st|nd|rd|th)?(?: of)? (?:" + _MONTHS + r")|"
    r"since (?:(?:about|around|early|late|mid|the start of|the end of) )?(?:"
    + _MONTHS
    + r"|last \w+|christmas|easter|the summer|we moved in|\d{4})|"
    r"for (?:the (?:last|past) )?(?:a few |several |two |three |\d+ )?"
    r"(?:weeks|months|years|ages|days)|"
    r"(?:a |an |\d+ |two |three |few |couple of )(?:minutes?|hours?|days?|weeks?) ago|"
    # a time, not a house number ("at 14 Spon Street", "we're at 16"): "at" needs am/pm
    # nor a count or an age ("about 13 teenagers", "a man about 40")
    r"(?:about|around|bout|abt|round|roughly|till|until|after|before|gone) "
    r"(?:[01]?\d|2[0-4])(?:[:.]\d{2})? ?"
    r"(?:am|pm|o'?clock)?(?: (?:at night|in the morning))?(?!(?-i: ?[A-Z]))"
    r"(?! ?(?:of (?:them|us)|years?|yrs?|[a-z]+s)\b)|"
    r"(?:at |from )?\d{1,2}(?:[:.]\d{2})? ?(?:am|pm|o'?clock)|"
    r"(?:at|from) \d{1,2}(?:[:.]\d{2})? (?:at night|in the morning|in the evening)|"
    r"(?:[01]\d|2[0-3])[0-5]\d ?(?:hrs|hours|h)|"  # the 24-hour clock: "Tuesday 2230 hrs"
    # minutes make it a time, not a house number: "at 7.15"
    r"(?:at|from|by|till|until) (?:[01]?\d|2[0-3])[:.][0-5]\d|"
    r"(?:half|quarter (?:past|to)|(?:five|ten|twenty|twenty-five) (?:past|to)) "
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|1[0-2]|[1-9])|"
    # an hour in words, with what makes it one: "about nine o'clock", "gone eleven at night"
    r"(?:(?:about|around|at|gone|till|until|after|before) )?"
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r" (?:o'?clock|at night|in the (?:morning|evening|afternoon))"
    r")\b",
    re.IGNORECASE,
)
_STREET_TYPES = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Grove|Place|Crescent|Court|"
    "Terrace|Gardens|Walk|Row|Hill|Square|Parade|Mews|Green|Rise|View|Park|Croft|End|Wharf|"
    "Fold|Chase|Mount|Vale|Boulevard|Approach|Top|Yard|Wynd|Leys|Heights|Dale"
)
_NOT_A_STREET_NAME = re.compile(
    r"^(?:the|a|an|this|that|my|our|their|his|her|down|up|on|in|at|of|main|same|next|whole|"
    r"back|front|end|bottom|top|local|behind|outside|near|by|opposite|from|to|into|along|off|"
    r"round|around|past|across|via|and|or|just|is|was|are|were|it|its|it's)$",
    re.IGNORECASE,
)


# Capitalised street names first; a message typed all in lower case gets a second look,
# for the street words that are not also everyday words ("my drive", "the right place").
_STREET = re.compile(
    r"\b(?:(?:[Ff]lat|[Nn]o\.?|[Nn]umber) ?\d+[a-z]?,? )?(?:\d{1,4}[a-z]?,? )?"
    r"(?:[A-Z][a-z']+ ){1,3}(?:" + _STREET_TYPES + r")(?: (?:North|South|East|West))?\b"
)
_STREET_LOWER = re.compile(
    r"\b(?:(?:flat|no\.?|number) ?\d+[a-z]?,? )?(?:\d{1,4}[a-z]?,? )?(?:[a-z][a-z']+ ){1,3}"
    r"(?:street|st|road|rd|avenue|ave|lane|crescent|terrace|grove|gardens|mews|parade)"
    r"(?: (?:north|south|east|west))?\b",
    re.IGNORECASE,
)
_HOUSE_NUMBER = re.compile(r"\b(?:at |from )?(?:number|no\.?) ?(\d{1,4}[a-z]?)\b", re.IGNORECASE)
# Places people name: the landmark patterns and the check that a phrase names one share it.
# Places nobody lives in, and then those where people do.
_PUBLIC_PLACE_NAMES = (
    r"co-?op|tesco|aldi|lidl|spar|asda|sainsbury'?s|chippy|chip shop|off ?licence|offie|"
    r"corner shop|shops|park|playground|rec|field|school|church|mosque|gurdwara|temple|"
    r"synagogue|library|pub|bus stop|bus station|station|car park|alley|alleyway|"
    r"underpass|subway|canal|towpath|precinct|community centre|leisure centre|"
    r"surgery|pharmacy|play ?area|playing fields?|allotments?|takeaway|car wash|hall|woods|"
    r"cemetery|churchyard|retail park|shopping centre|nature reserve"
)
_LANDMARK_NAMES = _PUBLIC_PLACE_NAMES + r"|garages|flats|estate"
_LANDMARK = re.compile(
    r"\b(?:outside|near|by|behind|opposite|in front of|next to|round the back of|"
    r"at the back of|in|at|on) (?:the )?(?:(?:big|little|old|new) )?"
    r"(?:[A-Z][\w'&-]*(?: [A-Z][\w'&-]*)*(?: (?:" + _LANDMARK_NAMES + r"))?|"
    r"(?:[a-z][\w']* ){0,2}(?:" + _LANDMARK_NAMES + r"))"
    r"(?i:(?: (?:on|in|off|at) (?:[a-z][a-z']+ ){1,2}(?:" + _STREET_TYPES + r")))?\b",
)
_LANDMARK_WORDS = re.compile(
    r"\b(?:" + _LANDMARK_NAMES + r"|shop|centre|sainsbury|" + _STREET_TYPES + r")\b",
    re.IGNORECASE,
)

# People a report is about. Family words after "my"/"our" are the resident's own household
# (victims, not the people involved), so they need another determiner.
_PEOPLE_NOUNS = (
    r"lads|lad|kids|kid|children|teenagers|teens|youths|youngsters|boys|girls|men|women|man|"
    r"woman|bloke|blokes|guy|guys|fella|fellas|gang|group|neighbours?|neighbors?|tenants?|"
    r"family|couple|dealers?|drunks?|drinkers|riders|drivers?|landlord|lodgers?|"
    r"residents|people|scrotes|yobs|chavs|hoodies|students|males?|females?|adults"
)
_PEOPLE = re.compile(
    # (a group of before a, or "a group" is all that is read)
    r"\b(?:(?:a group of|a gang of|group of|gang of|loads of|lots of|a few|the|a|an|some|"
    r"(?:two|three|four|five|six|\d{1,2})(?: or (?:three|four|five|six|seven|\d{1,2}))?|"
    r"several|my|our|next door'?s?) )?"
    r"(?:(?:young|older|teenage|local|drunk|new|same|upstairs|downstairs|next door|"
    r"masked|hooded|big|white|black|asian) )*"
    r"(?:" + _PEOPLE_NOUNS + r")\b"
    r"(?: (?:who live |living )?(?:(?:at|from|in|on|across|opposite) (?:(?:number|no\.?|flat) ?"
    r"\d+[a-z]?|\d+[a-z]?(?: [A-Z]?[a-z]+){1,2}|the (?:road|street|way|flats|estate|corner)|"
    r"the (?:house|houses|flat|bungalow)(?: (?:across|over) the road| opposite| on the corner)?|"
    r"(?:[A-Z][a-z']+ ){1,2}(?:" + _STREET_TYPES + r"))|"
    r"next door(?:,? (?:at|from) (?:number |no\.? ?)?\d+[a-z]?)?|upstairs|downstairs|"
    r"(?:from )?(?:over|across) the road|opposite))?"
    # what they look like or do it with ("in their twenties", "with a grey beard")
    # and an age said beside them ("a woman, maybe 60 years, with a shopping trolley")
    r"(?P<looks>(?:,? (?:maybe |about |around |roughly |aged )?\d{2}(?:s|ish| years?(?: old)?)?"
    r"(?=[,.;!?] ?| )|"
    r",? (?:early|mid|late) (?:teens|twenties|thirties|forties|fifties|sixties|seventies)|"
    r"(?: (?:in(?! the (?:evening|morning|afternoon|night|day)\b)|with|wearing|driving|riding|"
    r"on|aged)|, (?:with|wearing))(?: [\w'-]+){1,4}?"
    r"(?=[,.;!?]| (?:and|who|have|has|had|were|was|are|is|keep|keeps|kept|play|plays|shout|"
    r"shouts|shouted|rode|rides|came|went|did|does|do|been|throw|threw|park|parks|sell|sells|"
    r"hang|hangs|sit|sits|stand|stands|every|last|at|outside|with|in|wearing|to|from|"
    r"(?!(?:evening|morning|something|nothing|anything|everything|building|ceiling|thing|"
    r"spring|string|king|ring|wing)\b)\w+ing)\b|$)){1,2})?",
    re.IGNORECASE,
)
# Said of people who are described, not just named as a kind: a count or a word about them.
_DESCRIBED = re.compile(
    r"^(?:the )?(?:two|three|four|five|six|seven|several|loads of|lots of|a few|a group of|"
    r"a gang of|group of|gang of|\d{1,2}|(?:a |an |the )?(?:young|older|teenage|drunk|masked|same|"
    r"hooded|big|white|black|asian))\b",
    re.IGNORECASE,
)
# A vehicle they use, told apart from any other by its colour, make or plate ("a white
# transit van", "black Audi", "reg WK19 ABC"): often all a resident can say of who it was.
# Makes that are also everyday words (a Mini, a Seat, a Golf) are left out; "my car" is
# the resident's own.
_VEHICLE_KINDS = (
    r"transit(?: van)?|van|car|pick-?up|4x4|motor ?bike|moped|scooter|quad(?: bike)?|"
    r"e-?bike|taxi|lorry|truck|hatchback|estate"
)
_VEHICLE_MAKES = (
    r"audi|bmw|merc(?:edes)?|vauxhall|vw|volkswagen|toyota|nissan|honda|yamaha|"
    r"range rover|land rover|corsa|fiesta|kia|peugeot|renault|skoda|tesla|subaru|impreza|"
    r"volvo|hyundai|citroen|fiat|mazda|mitsubishi|suzuki|lexus|porsche|jeep|dacia|jaguar"
)
_COLOURS = r"white|black|silver|grey|gray|red|blue|green|dark|yellow|orange|purple|gold|beige|brown"
_VEHICLE = re.compile(
    rf"\b(?:(?:(?:{_COLOURS}) )?(?:{_VEHICLE_MAKES})(?: (?:{_VEHICLE_KINDS}))?|"
    rf"(?:{_COLOURS}) (?:{_VEHICLE_KINDS})|"
    r"(?:reg(?:istration)?|number plate|plate)(?: (?:number|is|was|starts?|begins?|with))*"
    r" [A-Z]{1,2}\d{1,2}(?: ?[A-Z]{1,3})?|(?-i:[A-Z]{2}\d{2} ?[A-Z]{3}))\b",
    re.IGNORECASE,
)
_OWN = re.compile(r"\b(?:my|our)(?: \w+)? $", re.IGNORECASE)  # "my (new) car": theirs
_CALLED = re.compile(
    r"\b(?:a|an|the|one|this|some)\s+(?:\w+\s+)?(?:lad|man|woman|girl|boy|bloke|guy|fella|kid|"
    r"lass|teenager|youth)\s+(?:called|named|known as|who calls himself|who goes by)\s+"
    r"[A-Za-z][a-z'-]+",
    re.IGNORECASE,
)
_SAID_OF_THEMSELVES = re.compile(r"\b(?:we'?re|we are|i'?m|i am|as an?|being an?)\s*$", re.I)
_PLACED = re.compile(r"\d|\b(?:next door|upstairs|downstairs|opposite|over the road)\b")
_TOO_VAGUE = re.compile(r"^(?:some ?one|some ?body|people|person|a person)$", re.IGNORECASE)
_NOT_INVOLVED = re.compile(r"^(?:my|our) (?:family|children|kids|kid)$", re.IGNORECASE)
_NOT_NAMES = re.compile(
    r"^(?:today|tonight|yesterday|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|last|this|it|he|she|they|we|i|you|there|then|about|around|back|out|and|but|"
    r"people|someone|everyone|music|noise|" + _MONTHS + r")\b",
    re.IGNORECASE,
)
# In a full account, the kind of people is what the resident can say of them ("some lads
# dealing off e-scooters", "the youngsters who keep letting off rockets"): taken with what
# they were doing, so the form does not ask who again. A short message naming only a kind
# ("the lads are at it again") is still asked, for a description. What this misses: people
# named by a word not listed here ("some radgies"), and the ones affected named as a doer
# would be ("the lads from the club were in tears"); both show in the read-back, where the
# resident can put them right.
_ACCOUNT_WORDS = 15
_DOERS = re.compile(
    r"\b(?:(?:the|a|an|some|these|those|them|this|that|my|our|me|a (?:group|gang|crowd|load|"
    r"bunch|handful|couple) of|groups of|gangs of|loads of|lots of) )?"
    r"(?:(?:about |around |maybe )?(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)"
    r"(?: or (?:so|\d{1,2}|three|four|five|six|seven|eight|nine|ten))? )?"
    r"(?:(?:young|older|teenage|local|drunk|new|same|upstairs|downstairs|street|boy|"
    r"off-?road|e-?scooter) )*"
    r"(?:lads|lad|kids|children|teenagers|teens|youths|youngsters|boys|men|man|bloke|blokes|"
    r"guy|guys|fella|fellas|gang|crowd|dealers?|drunks|drinkers|riders|racers|bikers|yobs|scrotes|"
    r"chavs|hoodies|neighbou?rs?|neighbors?|tenants?|occupiers?|occupants?|owners?|"
    r"patrons|punters|folk|beggars?|woman|women|girls|family|parents|people|sons|daughters)\b"
    r"(?: from (?:[\w'-]+ ){0,2}[\w'-]+(?= (?:keep|keeps|have|has|are|were|is|was)\b))?"
    # what they were doing, which tells them apart: "dealing drugs out of a silver golf"
    r"(?P<doing>(?: (?:who|that|which|what|of)(?: [\w'-]+){1,6}|"
    r" (?:with|wi|wiv|wearing|in (?:a|an|his|her|their)) [\w'-]+(?: [\w'-]+){0,3}|"
    r" (?!(?:morning|evening|something|nothing|anything|everything|building|ceiling|thing|"
    r"spring|string|king|ring|wing)\b)[a-z]+ing(?: [\w'-]+){0,5}|"
    r" (?:(?:keep|knock|bang|throw|kick|ring|shout|spit|swear|smoke|deal|sell|drink|ride|race|"
    r"rev|hang|sit|stand|block|dump|leave|play|run|climb|smash|break|burn|steal|follow|stare|"
    r"film|threaten|harass|scream|fight|wee|light|spray|tag|chuck|lob|bark|use|take|sleep|"
    r"beg|park|drive|come|get|gather|let|set)s?|have been|has been|are|were|was|is|threw|kept|"
    r"rode|came|sat|hung|left|burnt|took|broke|stood|got|go|goes|went|ran|drove|have|has|had|"
    r"[a-z]+ed)(?: [\w'-]+){1,5}|"
    # where they are, which tells them apart too: "lads on the field behind my house"
    r" (?:on|at|outside|by|near|behind|round|around|in the|in a|from) [\w'-]+(?: [\w'-]+){0,3}"
    r"))?",
    re.IGNORECASE,
)
# A home whose people it is ("the flat below me at 17 Warwick Road", "next door (52 Wyken
# Croft) keep having people round").
_HOME_DOERS = re.compile(
    r"\b(?:(?i:the) (?:flat|house|people|family|lot|folk|tenants?)s? (?:above|below|upstairs|"
    r"downstairs|next door|opposite|across the road|over the road)(?: (?:me|mine|us|ours))?|"
    r"next door(?='?s? )|"
    r"(?i:the) (?:airbnb|hmo|house|flat|property|bungalow) (?:at|on) (?:no\.? ?|number )?\d+[a-z]?"
    r"(?: \w+){0,7}?(?= (?:is|are|has|have|keep|keeps)\b)|"
    r"(?:flat|number|no\.?) \d+[a-z]?,? \d*[a-z]?(?: ?[A-Z][a-z]+){1,2}(?= (?:is|are|has|have|"
    r"keep|keeps|play|plays)\b))"
    r"(?:,? (?:at )?(?:\((?:[^)]{1,40})\)|(?:flat |number |no\.? ?)?\d+[a-z]?(?: [A-Z][a-z']+)"
    r"{1,2}))?",
)
# Counted as a group of their own ("3 or 4 of them in tracksuits"), anywhere in a sentence.
_COUNTED = re.compile(
    r"\b(?:(?:about|around|maybe|roughly|at least) )?(?:\d{1,2}|two|three|four|five|six|seven|"
    r"eight|nine|ten|a few)(?: or (?:\d{1,2}|three|four|five|six|seven|eight|nine|ten))? of "
    r"(?:them|em|'em)\b(?: (?:in|with|wearing|on|aged|maybe|about) [\w'-]+(?: [\w'-]+)?)?",
    re.IGNORECASE,
)
_NAMED_NEIGHBOUR = re.compile(
    r"\b(?-i:[A-Z][a-z]+)(?: (?-i:[A-Z][a-z]+))? (?:at|from) (?:number |no\.? ?)?\d{1,4}[a-z]?\b",
    re.IGNORECASE,
)

_IMPACT = re.compile(
    r"can'?t sleep|cannot sleep|can'?t get to sleep|no sleep|not slept|haven'?t slept|"
    r"lack of sleep|keeps? (?:me|us|the kids|the baby|everyone) (?:up|awake)|kept awake|"
    r"awake all night|scared|frightened|afraid|terrified|petrified|anxious|anxiety|"
    r"stress(?:ed|ful)?|worried|nervous|upset|depress|intimidat|unsafe|not safe|on edge|"
    r"nightmare|fed up|sick of|at the end of my tether|exhausted|shattered|can'?t relax|"
    r"can'?t cope|can'?t go out|won'?t go out|afraid to|scared to|affect(?:s|ing)? (?:my|our|the)|"
    r"my health|panic|crying|in tears|dread|miserable|\bhell\b|can'?t concentrate|"
    r"can'?t work|late for work|(?:i'?ve|i have) got work|kids? can'?t|baby can'?t|"
    r"shaken|shook|shaking|rattled|unsettled|uneasy|uncomfortable|wary|livid|annoyed|"
    r"furious|distress\w*|confused|humiliat\w*|"
    r"embarrass\w*|wakes? (?:me|us|my|the|everyone)|woke (?:me|us|my|the|everyone)|"
    r"(?:don'?t|doesn'?t|do not|does not|won'?t) (?:really )?(?:want to |wanna )?(?:go|walk|"
    r"wait|use|let|leave|take|get)|avoid\w*|costs? (?:us|me)|cost of|out of pocket",
    re.IGNORECASE,
)
# Who they are, said in a sentence of its own ("He's about 40, heavy build", "5 or 6 of
# them maybe 18-20"), or that they were not seen ("didn't see who").
_DESCRIPTION = re.compile(
    r"^(?:(?:he|she|they|them|the (?:man|woman|lads?|kids|men|women))\s*(?:'?s|'re|was|were|"
    r"is|are|looked|looks|look|seemed)\s+(?:(?:like|about|maybe|around|approx\w*|roughly) \d|"
    r"\d0s|early|late|mid|in (?:his|her|their))|(?:about |around |maybe )?\d+(?: or \d+)? of "
    r"them\b)",
    re.IGNORECASE,
)
_NOT_SEEN = re.compile(
    r"\b(?:didn'?t|did not|couldn'?t|could not|never) see (?:who|them|their faces|anyone)|"
    r"no idea who|(?:don'?t|do not) know who",
    re.IGNORECASE,
)
_LONG_CLAUSE = 25  # words: longer is a message typed without stops
_CLAUSE_BREAK = re.compile(r"[.;!?\n]+|,\s+(?=(?:and |but |so )?(?:i|we|my|our|it|the)\b)",
                           re.IGNORECASE)  # fmt: skip

_REPEATED = re.compile(
    r"\b(?:(?:every|each) (?:single )?(?:night|nite|day|evening|morning|weekend|week|"
    + _DAYS
    + r")|most (?:nights|days|evenings|weekends)|night after night|again|"
    r"keeps?|kept (?:on|coming|doing|going|happening|\w+ing)|always|constantly|all the time|"
    r"non-?stop|on-?going|regularly|whenever|every time|"
    r"for (?:the (?:last|past) )?(?:a few |several |two |three |\d+ )?"
    r"(?:weeks|months|years|ages)|since (?:(?:about|around|early|late|mid) )?(?:"
    + _MONTHS
    + r"|last \w+|christmas|easter|"
    r"the summer|we moved in|\d{4})|(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) time|"
    r"(?:\d+|two|three|four|five|several|many|loads of|so many) times|"
    r"(?:reported|told|rang|called|phoned|emailed) (?:it |this |them )?(?:to )?(?:the )?"
    r"(?:council|police|housing|landlord)|same (?:lads|lot|people|kids|group) as)\b",
    re.IGNORECASE,
)
_VULNERABLE = re.compile(
    r"disab\w*|wheelchair|elderly|pensioner|(?:i'?m|i am|she'?s|he'?s|aged?) (?:in (?:my|her|"
    r"his) )?[789]\d\b|[789]\d(?:-| )?years?(?:-| )?old|pregnant|new ?born|new baby|"
    r"autis\w*|dementia|alzheimer|learning (?:difficult|disab)\w*|\bmental health|depression|"
    r"ptsd|cancer|chemo|housebound|blind|deaf|frail|vulnerable|special needs|adhd|"
    r"epilep\w*|heart condition|bad heart|(?:i|we) live (?:on (?:my|our) own|alone)|"
    r"(?:my|our) \w+ (?:lives|is living) (?:on (?:his|her|their) own|alone)|"
    r"\bbab(?:y|ies)\b|\binfant|\d+ months? old|\d+ months\b|"
    r"single (?:mum|mom|dad|parent)|(?:is|are) (?:in (?:my|her|his|their) )?[789]\d\b|"
    r"walks? with a (?:stick|frame)|walking (?:stick|frame)|mobility|young (?:kids|children)|"
    r"toddler|small (?:kids|children)|little ones|carer\b|(?:partially )?sighted|"
    r"visually impaired|hard of hearing|hearing (?:loss|aids?)|tinnitus|asthma|copd|"
    r"diabet\w*|stroke|parkinson\w*|poorly|ill health|illness|anxiety|wheelchair|"
    r"recovering from|(?:had|having|after) (?:an? |my |his |her )?(?:operation|surgery|op)\b|"
    r"hip replacement|knee replacement|bed-?bound|terminally ill|"
    r"multiple sclerosis|(?:have|has|with|got) ms\b|sickle cell|arthritis|oxygen|dialysis|"
    r"trauma\w*|psycholog\w*|counsell\w*|therapy|self[- ]harm|suicid\w*|"
    # a young child, by age: "my son Maksym is 6", "our daughter, 4"
    r"(?:son|daughter|child|boy|girl|kid)\b[^.;!?]{0,20}?\b(?:is|aged|age|,) ?(?:[1-9]|1[0-2])\b"
    r"(?! ?(?:pm|am|o'?clock|:))",
    re.IGNORECASE,
)
# Words that make a clause about why they were targeted, not about who is at risk at home.
_TARGETING = re.compile(
    r"\b(?:because|cos|coz|cause|for being|targeted|pick(?:ed|s|ing)? on|mock\w*|racis\w*|"
    r"homophob\w*|transphob\w*|called (?:me|us|him|her|them)|shout\w*|slur\w*|abus\w*|names)\b",
    re.IGNORECASE,
)
# Words that say a vulnerability is why they were picked on, not who is at risk at home
# (shouting and abuse beside it do not).
_WHY_TARGETED = re.compile(
    r"\b(?:because|cos|coz|cause|for being|targeted|pick(?:ed|s|ing)? on|mock\w*|racis\w*|"
    r"homophob\w*|transphob\w*|called (?:me|us|him|her|them))\b",
    re.IGNORECASE,
)
# "No" to both, in the words a plain no (report_answers.parse_yes_no) does not cover.
_NEITHER = re.compile(
    r"^\W*(?:neither|none of (?:those|them|that|these)|nothing like that)\b", re.IGNORECASE
)
_LEADING_NO = re.compile(r"^\W*(?:no(?:pe)?|nah|not really)\b", re.IGNORECASE)
_NO_BUT = re.compile(
    r"^\W*(?:no(?:pe)?|nah|not really|neither)\W+(?:but|though|although|except)\W+(?P<said>.+)",
    re.IGNORECASE | re.DOTALL,
)
_BECAUSE_OF_WHO = re.compile(
    r"\b(?:because|cos|coz|cause|just for being|for being|since) (?:i'?m|i am|we'?re|we are|"
    r"he'?s|he is|she'?s|she is|they'?re|they are|my \w+ (?:is|are))\b[^.;!?]{0,40}",
    re.IGNORECASE,
)

# Someone reporting for another says who they are to them first ("I'm his sister Debbie").
_RELATION = (
    r"(?:(?:his|her|their|the|your|a|an)\s+)?(?:sister|brother|mum|mother|mom|dad|father|"
    r"son|daughter|wife|husband|partner|carer|neighbour|neighbor|friend|aunt|auntie|uncle|"
    r"nan|gran|grandma|granddad|grandad|niece|nephew|cousin|support worker|key worker|"
    r"social worker|landlord|landlady)\s*,?\s+"
)
# "call me" from someone else is name-calling ("he shout at me and call me bad words"),
# not how to reach the resident or what they are called.
_THEY_CALL_ME = r"(?<!\bhe )(?<!\bshe )(?<!\bthey )(?<!\band )(?<!\bwho )(?<!\bthen )"
_NAME = re.compile(
    # "name's Sam", not someone else's ("I think his name's Craig")
    rf"\b(?:my name is|my name'?s|(?<!\bhis )(?<!\bher )(?<!\btheir )name'?s|"
    rf"{_THEY_CALL_ME}call me|this is|i am|i'?m)\s+"
    rf"(?:{_RELATION})?(?-i:([A-Z][a-z'-]+(?: [A-Z][a-z'-]+)?))",
    re.IGNORECASE,
)
_NAME_LOWER = re.compile(
    rf"\b(?:my name is|my name'?s|{_THEY_CALL_ME}call me)\s+([a-z][a-z'-]+(?: [a-z][a-z'-]+)?)",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(
    r"^(?:not|so|really|very|just|sure|sorry|fine|ok|okay|scared|afraid|worried|here|at|"
    r"on|in|the|a|an|no|yes|tired|sick|fed|going|getting|from|calling|texting|ringing|"
    r"writing|a resident|anonymous|happy|unhappy|disabled|pregnant|english|british|muslim|"
    r"jewish|gay|trans|black|asian|polish|\w+ing|"
    # "call me please", "call me after 5": a way to be reached, not a name
    r"please|pls|plz|back|later|after|when|tomorrow|anytime|asap|now|tonight|between|before|"
    r"if|mate|love|instead|first|again|only|then|but|and|or|any|whenever)(?:\s|$|[,.!?])",
    re.IGNORECASE,
)
_CONTACT_METHOD_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("none", re.compile(r"\banonymous(?:ly)?\b|don'?t (?:want to be )?contact(?:ed)? me|"
                        r"no contact|don'?t get in touch", re.IGNORECASE)),
    ("sms", re.compile(r"\btext me\b|\bby text\b|\bsms me\b|\btext(?:ing)? is (?:best|fine)|"
                       r"\bonly (?:use |do |read )?text(?:s|ing)?\b|\btexts? only\b",
                       re.IGNORECASE)),
    ("email", re.compile(r"\be-?mail me\b|\bby e-?mail\b|\bonly (?:use )?e-?mail\b|"
                         r"\be-?mail only\b", re.IGNORECASE)),
    ("phone", re.compile(rf"\b{_THEY_CALL_ME}(?:call|ring|phone) me\b(?! (?:names|bad|a|an|all|"
                         r"every|stupid|horrible|nasty|racist|things|words)\b)|\bby phone\b",
                         re.IGNORECASE)),
    ("letter", re.compile(r"\bwrite to (?:me|us)\b|\bby letter\b|\bby post\b", re.IGNORECASE)),
]  # fmt: skip


def find_when(text: str) -> str | None:
    """When it happened, as the resident put it ("till 3am, every night this week"): the
    time phrases found, in order; "happening now" when it is going on."""
    phrases = [m.group(0).strip() for m in _WHEN.finditer(text)]
    if not phrases:
        return None
    return answers.parse_time(", ".join(dict.fromkeys(phrases)))


def without_time_phrases(text: str) -> str:
    """The text with its time phrases taken out ("last nite bout 9" leaves "bout")."""
    return _WHEN.sub(" ", text)


def find_place(text: str, landmark_alone: bool = False, spoken: bool = False) -> str | None:
    """Where: a house number and street, a street, a landmark on a street ("outside the
    Co-op on Far Gosford Street") and a postcode, as many as the text gives, joined. A
    landmark with neither street nor postcode ("outside the flats") only when
    `landmark_alone` (the resident was asked where): said in passing, it could be anywhere,
    so the form still asks. `spoken`: a call's transcript, whose postcode may be written
    as it was said ("c v one five f b")."""
    parts: list[str] = []
    street = _street(text)
    if street:
        parts.append(street)
    elif landmark_alone or find_postcode(text):
        landmark = _landmark(text, beside_postcode=bool(find_postcode(text)))
        if landmark:
            parts.append(landmark)
    postcode = find_spoken_postcode(text) if spoken else find_postcode(text)
    if postcode:
        parts.append(postcode)
    return ", ".join(parts) or None


def _street(text: str) -> str | None:
    shouted = text.isupper()  # "14 PORTLAND ROAD SHIREBROOK": read as if in lower case
    patterns = [_STREET] if _names_capitalised(text) and not shouted else [_STREET_LOWER]
    for pattern in patterns:
        for match in pattern.finditer(text):
            place = _trimmed_street(match.group(0))
            if place is None:
                continue
            number = _HOUSE_NUMBER.search(text)
            if number and not re.match(r"^(?:\d|flat|no|number)", place, re.IGNORECASE):
                place = f"{number.group(1)} {place}"
            return _landmark_before(text, match.start() + match.group(0).find(place)) or place
    return None


def _names_capitalised(text: str) -> bool:
    """Whether the resident writes names with capitals: a capital other than a postcode's,
    "I" or a sentence's first letter ("ey up. dog at 9 mill st S43 4JN" does not)."""
    plain = without_postcodes(text)
    for match in re.finditer(r"(?:^|(?<=\s))([A-Z][\w'-]*)", plain):
        before = plain[: match.start(1)].rstrip()
        opens_sentence = not before or before[-1] in ".!?"
        if not opens_sentence and not re.fullmatch(r"I(?:'\w+)?", match.group(1)):
            return True
    return False


def _trimmed_street(said: str) -> str | None:
    """The street without the words before its name ("behind Harnall Lane" gives
    "Harnall Lane"); None when no name is left."""
    words = said.split()
    numbers = []
    while words and re.match(r"^(?:flat|no\.?|number|\d+[a-z]?,?)$", words[0], re.IGNORECASE):
        numbers.append(words.pop(0))
    while len(words) > 1 and _NOT_A_STREET_NAME.match(words[0]):
        words.pop(0)
        numbers = []  # a number before "the" is not the house number
    # In lower case, any word before the last such word is not of the name ("man its
    # badby road" is Badby Road).
    cut = [i for i, w in enumerate(words[:-1]) if _NOT_A_STREET_NAME.match(w)]
    if cut and (said.islower() or said.isupper()):
        words, numbers = words[cut[-1] + 1 :], []
    if len(words) < 2 or _NOT_A_STREET_NAME.match(words[0]):
        return None
    return " ".join(numbers + words)


def _landmark_before(text: str, street_at: int) -> str | None:
    """ "outside the Co-op on Far Gosford Street": the landmark and its street together."""
    for match in _LANDMARK.finditer(text):
        if match.start() < street_at <= match.end() and _LANDMARK_WORDS.search(match.group(0)):
            return _without_preposition(match.group(0))
    return None


def _landmark(text: str, beside_postcode: bool = False) -> str | None:
    """A landmark: after "at", "on" or "in" only beside a postcode, which places it
    ("at west glebe park corby nn17 1ld"); alone, "in the park" could be anywhere."""
    for match in _LANDMARK.finditer(text):
        said = _without_preposition(match.group(0))
        loose = re.match(r"^(?:at|on|in)\b", match.group(0))
        if _LANDMARK_WORDS.search(said) and (beside_postcode or not loose):
            return said
    return None


def _without_preposition(phrase: str) -> str:
    return re.sub(r"^(?:at|on|in) ", "", phrase).strip()


def find_people(text: str) -> str | None:
    """Who is involved, when the resident places, counts or describes them ("The lads at
    14 Spon Street", "my neighbour at number 12", "two men in a white van", "a man in his
    fifties with a grey beard"). "Lads" or "a man" alone is left for the form's
    question, which asks for a description."""
    found: list[str] = []
    named = _NAMED_NEIGHBOUR.search(text)
    if named and not _NOT_NAMES.match(named.group(0)):
        found.append(named.group(0))
    found += [m.group(0) for m in _CALLED.finditer(text)]  # "a lad called jaydon"
    for match in _PEOPLE.finditer(text):
        said = match.group(0).strip()
        if _TOO_VAGUE.match(said) or _NOT_INVOLVED.match(said):
            continue
        if re.match(r"^(?:my|our) (?:man|woman|kid|kids|boys|girls|family)\b", said, re.I):
            continue
        if _SAID_OF_THEMSELVES.search(text[: match.start()]):
            continue  # "We're a Black family": who they are, not who did it
        if _affected(text, match):
            continue
        told = _PLACED.search(said) or match.group("looks") or _DESCRIBED.match(said)
        repeated = any(said.lower() in f.lower() or f.lower() in said.lower() for f in found)
        if told and not repeated:
            found.append(said)
    for vehicle in _VEHICLE.finditer(text):
        said = vehicle.group(0)
        owned = _OWN.search(text[: vehicle.start()])
        if not owned and not any(said.lower() in f.lower() for f in found):
            found.append(said)
    described = [c for c in _clauses(text) if _DESCRIPTION.match(c)]
    if not found and not described:
        if _NOT_SEEN.search(text):
            return answers.UNKNOWN
        if len(text.split()) >= _ACCOUNT_WORDS:
            found = _told_in_the_account(text)
    kept = [re.sub(r"\s+(?:that|who|which)$", "", part, flags=re.IGNORECASE) for part in found]
    return "; ".join([*kept[:3], *described[:2]]) or None


# Said before people who are not the ones it is about: the resident's own ("my", "our"),
# someone else's ("my neighbour's kids"), what the resident is ("we're a traveller
# family", "I've got two small children"), the ones it was done to ("going for people on
# the street"), or a place's users ("where children come for homework club").
_NOT_THE_DOERS = re.compile(
    r"(?:\b(?:my|our|me|where|for|at|towards|past)|'s|s'|\b(?:we'?re|were|we are|i'?m|i am) an? "
    r"(?:\w+ )?|\b(?:i'?ve got|i have|we'?ve got|we have)(?: \w+){0,2})\s+$",
    re.IGNORECASE,
)
_NEIGHBOURS_VICTIMS = re.compile(
    r"^'?s?\s+(?:kids|children|son|daughter|baby|house|car|window|garden|wife|husband)\b",
    re.IGNORECASE,
)


def _told_in_the_account(text: str) -> list[str]:
    """Who they are as a full account tells it: a home, the kind of people with what they
    were doing, and how many of them there were."""
    found = [m.group(0) for m in _HOME_DOERS.finditer(text)][:1]
    counted = [m.group(0) for m in _COUNTED.finditer(text)][:1]
    kinds: list[str] = []
    for match in _DOERS.finditer(text):
        said = match.group(0).strip()
        before = text[: match.start()]
        own = re.match(r"^(?:my|our) (?!neighbou?rs?|neighbors?)", said, re.IGNORECASE)
        if own or _SAID_OF_THEMSELVES.search(before) or _NOT_THE_DOERS.search(before):
            continue  # "my kids", "we're a family of four", "where children come": not them
        neighbour = re.match(r"^(?:the |some |a |my |our |me )?neighbou?r", said, re.I)
        if neighbour and _NEIGHBOURS_VICTIMS.match(text[match.end() :]):
            continue  # "my neighbour's kids have to walk past it"
        counted_next = bool(counted) and counted[0] in text[match.end() : match.end() + 40]
        if not (match.group("doing") or neighbour or counted_next):
            continue  # "the driver", "patrons": a kind alone, with nothing done or counted
        if _affected(text, match):
            continue
        doing = match.group("doing") or ""
        kinds.append(said[: len(said) - len(doing)] + _clipped(doing))
        if len(kinds) == 2:  # "men who drink beer on the wall; one man with red beard"
            break
    return [*found, *kinds, *counted]


_FEELING = re.compile(
    r"^\s*(?:(?:in|on|at|from|by) (?:the |a )?[\w'-]+(?: [\w'-]+)?\s+)?"
    r"(?:are|is|were|was|get|gets|got|feel|feels|felt|have been|has been|seem|seems|look|looks|"
    r"'re|'s)\s+(?:(?:so|too|really|very|all|now|getting|quite|absolutely)\s+)*"
    r"(?![a-z]+ing\b)",
    re.IGNORECASE,
)


def _affected(text: str, match: re.Match[str]) -> bool:
    """Whether the people matched are the ones affected: what follows them says how they
    feel ("the kids are terrified", "people in the area are scared"), not what they do
    ("a group of men have been intimidating the queue")."""
    doing = match.groupdict().get("doing") or match.groupdict().get("looks") or ""
    after = text[match.end() - len(doing) :]
    feeling = _FEELING.match(after)
    return bool(feeling and _IMPACT.match(after, feeling.end()))


def _clipped(said: str) -> str:
    """A phrase up to the first break of a sentence typed without stops."""
    clipped = re.split(r"\s+(?:and|but|so|then|every|last|since|from (?:about|around|\d)|til|till|"
                       r"until|while|whilst|when|because|cos|as)\b",
                       said, maxsplit=1, flags=re.IGNORECASE)[0].rstrip(" ,")  # fmt: skip
    return re.sub(r"(?:\s+(?:on|in|at|of|the|a|an|to|with|by|for|into|my|our|his|her|that|who|"
                  r"which))+$", "",
                  clipped, flags=re.IGNORECASE)  # fmt: skip


def _clauses(text: str) -> list[str]:
    return [c.strip(" ,") for c in _CLAUSE_BREAK.split(text) if c and c.strip(" ,")]


def find_impact(text: str) -> str | None:
    """How it affects them: the clauses that say so ("I can't sleep and I've got work"),
    by the words known here or by the learned reading (bot/conversation/impact.py)."""
    clauses = [part for clause in _clauses(text) for part in _spoken_sentences(clause)]
    worded = [_IMPACT.search(clause) for clause in clauses]
    unworded = [clause for clause, match in zip(clauses, worded, strict=True) if not match]
    learned = dict(zip(unworded, tells_impact(unworded), strict=True))  # only where needed
    said = [
        _from_first_affect(_around(clause, match, before=4, after=12)) if match else clause
        for clause, match in zip(clauses, worded, strict=True)
        if match or learned[clause]
    ]
    return "; ".join(said) or None


# Where a new sentence starts in words said without stops: a filler or a joining word,
# then the speaker, their household or their home.
_SPOKEN_BREAK = re.compile(
    r"\s+(?=(?:(?:and|but|so|because|cos|coz|er|erm|um|now|honestly)\s+)*"
    r"(?:i|i'?m|i'?ve|i'?d|i'?ll|we|we'?re|we'?ve|she|he|it'?s|you|nobody|no one|everyone)\s|"
    r"(?:(?:and|but|so|because|cos|coz|er|erm|um|now|honestly)\s+)+"
    r"(?:my|our|me|mi|the kids|the baby)\s)",
    re.IGNORECASE,
)


_JOINING_ONLY = re.compile(r"^(?:(?:and|but|so|because|cos|coz|er|erm|um|now|honestly)\s*)+$",
                           re.IGNORECASE)  # fmt: skip


def _spoken_sentences(clause: str) -> list[str]:
    """A long clause (a call's transcript, a text typed without stops) in the sentences it
    was said in, each at least a few words; a short clause whole."""
    if len(clause.split()) <= _LONG_CLAUSE:
        return [clause]
    sentences: list[str] = []
    joining = ""  # "and", "but so": the start of the next sentence
    for part in _SPOKEN_BREAK.split(clause):
        if _JOINING_ONLY.match(part):
            joining = f"{joining}{part} "
        elif sentences and (len(part.split()) < 4 or len(sentences[-1].split()) < 4):
            sentences[-1] = f"{sentences[-1]} {joining}{part}"
            joining = ""
        else:
            sentences.append(joining + part)
            joining = ""
    return sentences


def _from_first_affect(clause: str) -> str:
    """The clause from the words that speak of the resident onwards ("... every night,
    I can't sleep" gives "I can't sleep")."""
    match = re.search(r"\b(?:i|i'?m|i'?ve|we|we'?re|my|our|the kids|the baby|it'?s)\b", clause,
                      re.IGNORECASE)  # fmt: skip
    affect = _IMPACT.search(clause)
    if match and affect and match.start() <= affect.start():
        return clause[match.start() :].strip()
    if affect and (comma := clause.rfind(", ", 0, affect.start())) > 0:
        return clause[comma + 2 :].strip()  # "... every weekend, woke my kids up again"
    return clause


_PUBLIC_PLACE = re.compile(
    rf"\b(?:{_PUBLIC_PLACE_NAMES}|high street|town cent(?:re|er)|city cent(?:re|er)|market|"
    r"bank|cash ?(?:machine|point)|industrial estate|bus shelter|club|pavilion|lay-?by|"
    r"verge|bridleway|footpath|roundabout|country park|riverside)\b",
    re.IGNORECASE,
)
_AT_HOME = re.compile(
    r"\b(?:next door|neighbou?rs?|upstairs|downstairs|(?:below|above|opposite) (?:me|us)|"
    r"(?:my|our|me) (?:house|home|flat|bungalow|garden|front|back|door|drive|driveway|"
    r"windows?|street|road|close|avenue|car|fence|wall|hoose|gate|bins?)|outside (?:my|our|me)|"
    r"across the road|over the road|(?:no\.?|number) ?\d+|flats|(?:i|we) live|where (?:i|we) live|"
    r"my landlord|our landlord)\b",
    re.IGNORECASE,
)


def only_in_public(text: str) -> bool:
    """Whether what was said is about a public place and nothing at or next to the
    resident's home ("men drinking in the play area at West Glebe Park", not "the lads at
    number 14" or "outside my house by the park")."""
    return _PUBLIC_PLACE.search(text) is not None and _AT_HOME.search(text) is None


def find_previous(text: str) -> str | None:
    """Whether it has happened before: "yes", with the words that say so (each once:
    "again ... every night since Easter" gives "yes (again; every night; since Easter)")."""
    said = list(dict.fromkeys(m.group(0) for m in _REPEATED.finditer(text)))
    return f"yes ({'; '.join(said[:3])})" if said else None


def find_vulnerability(text: str) -> str | None:
    """Anyone vulnerable, in the resident's words: the clause that names it (of a long
    run-on clause, the words around it)."""
    text = _SPELT_OUT.sub(lambda m: m.group(0).replace(" ", ""), text)  # "p t s d"
    said = [
        _around(clause, match) for clause in _clauses(text) if (match := _VULNERABLE.search(clause))
    ]
    return "; ".join(said) or None


# Letters a caller spells out, as the recogniser writes them: "p t s d", "a d h d".
_SPELT_OUT = re.compile(r"\b(?:[a-z] ){2,}[a-z]\b", re.IGNORECASE)


def _around(clause: str, match: re.Match[str], before: int = 8, after: int = 8) -> str:
    """A clause of at most about 25 words whole; a longer one (a message typed without
    stops) only the words around `match`."""
    words = clause.split()
    if len(words) <= _LONG_CLAUSE:
        return clause
    at = len(clause[: match.start()].split())
    return " ".join(words[max(0, at - before) : at + after])


def find_targeted_identity(text: str) -> str | None:
    """A hate strand when the resident says they were targeted for who they are ("it's
    because we're Muslim")."""
    for match in _BECAUSE_OF_WHO.finditer(text):
        strand = answers.parse_targeted_identity(match.group(0))
        if strand in answers.HATE_STRAND_WORDS:
            return strand
    return None


# Whether it happened before, answered beside the risk questions.
_NOT_BEFORE = re.compile(
    r"\b(?:(?:the )?first time|never (?:happened )?before|not before|(?:hasn'?t|has not|"
    r"never) happened (?:to (?:me|us) )?before|nothing (?:like this )?before)\b",
    re.IGNORECASE,
)
_BEFORE = re.compile(
    r"\b(?:before|not the first time|previously|last (?:week|month|year|summer|winter|time|"
    r"bonfire night|halloween|christmas|new year)|"
    r"(?:yes|yeah|yep),? it has)\b",
    re.IGNORECASE,
)
_NOT_THE_FIRST = re.compile(r"\bnot (?:the|my|our) first\b", re.IGNORECASE)
_ANSWER_PARTS = re.compile(r"[.;!?\n]+|,\s*|\s+(?:and|but)\s+", re.IGNORECASE)
_DANGLING = re.compile(r"^[\s,.;]*(?:(?:and|but)\b)?|(?:\b(?:and|but))?[\s,.;]*$", re.IGNORECASE)


def read_previous_answer(text: str) -> tuple[str | None, str]:
    """Whether it happened before, from a reply to the risk questions asked with it
    ("no, no, and yes it's the third time"): "yes (<their words>)" or "no", and the rest
    of the reply for the other two. A part that also says why they were picked on or who
    is at risk ("they always pick on us") stays in the rest as well."""
    previous: str | None = None
    rest = text
    told: list[str] = []  # the words of a yes, with the parts that go on after it
    for part in (_DANGLING.sub("", p).strip() for p in _ANSWER_PARTS.split(text) if p):
        if not part:
            continue
        if _BEFORE.search(part) and answers.non_answer(part) == "unknown":
            previous = previous or answers.UNKNOWN
        elif _NOT_BEFORE.search(part) and not _NOT_THE_FIRST.search(part):
            previous = previous or "no"
        elif _BEFORE.search(part) or _REPEATED.search(part):
            told.append(part)
            previous = f"yes ({', '.join(told)})"
        elif told and not (_WHY_TARGETED.search(part) or _VULNERABLE.search(part)):
            told.append(part)  # "... before: since june, shouting and that, I rang 101"
            previous = f"yes ({', '.join(told)})"
        else:
            continue
        if not (_WHY_TARGETED.search(part) or _VULNERABLE.search(part)):
            rest = rest.replace(part, " ", 1)
    rest = re.sub(r"(?:[\s,.;]+(?:and|but)?)+(?=[\s,.;]*$)|\s{2,}", " ", rest)
    rest = re.sub(r"\s*,?\s*\b(?:and|but)\s*(?=[,.;]|$)", "", rest)  # "ADHD, but ," left
    return previous, _DANGLING.sub("", rest).strip()


RISK_QUESTIONS: Final = frozenset({"previous_incidents", "targeted_identity", "vulnerability"})


def read_risk_answers(text: str, asked: frozenset[str] = RISK_QUESTIONS) -> dict[str, str]:
    """A reply to the risk questions `asked` together (of targeted, vulnerable, happened
    before): a plain "no" answers them all; otherwise each as the reply speaks to it,
    and what it leaves out is asked on its own."""
    previous, rest = read_previous_answer(text) if "previous_incidents" in asked else (None, text)
    plain_no = answers.parse_yes_no(text) is False or bool(_NEITHER.match(text))
    if "previous_incidents" in asked and previous is None and plain_no and not _NO_BUT.match(text):
        previous = "no"
    found: dict[str, str] = {}
    if re.search(r"\w", rest):
        if {"targeted_identity", "vulnerability"} <= asked:
            found = read_risk_answer(rest)
        elif "vulnerability" in asked:
            found = _household_answer(rest)
        elif "targeted_identity" in asked:
            found = _targeted_answer(rest)
    return {**found, **({"previous_incidents": previous} if previous else {})}


def _household_answer(text: str) -> dict[str, str]:
    """The answer to "is anyone in your household vulnerable?" in a reply to more."""
    if answers.parse_yes_no(text) is False or _NEITHER.match(text):
        return {"vulnerability": "no"}
    if answers.parse_yes_no(text) is True and len(text.split()) <= 2:
        return {}  # "yes": to which?
    said = find_vulnerability(text) or text.strip(" ,.")
    return {"vulnerability": said} if len(said) > 2 else {}


def _targeted_answer(text: str) -> dict[str, str]:
    """The answer to "were you targeted because of who you are?" in a reply to more."""
    if answers.parse_yes_no(text) is False or _NEITHER.match(text):
        return {"targeted_identity": "no"}
    strand = find_targeted_identity(text) or answers.parse_targeted_identity(text)
    if strand:
        return {"targeted_identity": strand}
    if _TARGETING.search(text):
        return {"targeted_identity": text.strip(" ,.")}
    return {}


def read_risk_answer(text: str) -> dict[str, str]:
    """The answers a reply gives to "were you targeted because of who you are, and is
    anyone in your household vulnerable?" asked together: "no" answers both; "no, but my
    mum has dementia" both, differently; "race" or "my wife is 85" only one of them (the
    other is then asked on its own)."""
    strand = answers.parse_targeted_identity(text)
    if len(text.split()) <= 2 and strand in answers.HATE_STRAND_WORDS:
        return {"targeted_identity": strand}  # a choice: "Disability", "race"
    vulnerable = find_vulnerability(text)
    if vulnerable and _WHY_TARGETED.search(vulnerable):
        vulnerable = None  # "because of his disability": why they were targeted
    if vulnerable is None and (but := _NO_BUT.match(text)):
        said = but.group("said").strip(" .")
        if _TARGETING.search(said):  # "no, but they called me a ...": their own words count
            strand = answers.parse_targeted_identity(said)
            return {"targeted_identity": strand if strand in answers.HATE_STRAND_WORDS else said}
        # "no, but my daughter has asthma": the "but" is about the household.
        unknown = answers.non_answer(said) == "unknown"
        return {"targeted_identity": "no", "vulnerability": answers.UNKNOWN if unknown else said}
    neither = answers.parse_yes_no(text) is False or bool(_NEITHER.match(text))
    rest = text.replace(vulnerable, " ") if vulnerable else text
    targeted = find_targeted_identity(text)
    if targeted is None and _LEADING_NO.match(text) and not _WHY_TARGETED.search(text):
        # "No, but me: agoraphobia, I'm under the mental health team", "No, it is not
        # about colour": the no is to being targeted; what follows is the household's.
        targeted = "no"
    if targeted is None and re.search(r"\w", rest):
        targeted = answers.parse_targeted_identity(rest)
    if targeted is None and neither:
        targeted = "no"
    if vulnerable:
        vulnerable = re.sub(r"^(?:but|and|so|though)\s+", "", vulnerable, flags=re.IGNORECASE)
    elif targeted in answers.HATE_STRAND_WORDS:
        vulnerable = _besides_why(text)  # "because I'm black. My daughter is small, 8"
    found: dict[str, str] = {}
    if targeted:
        found["targeted_identity"] = targeted
    if vulnerable:
        found["vulnerability"] = vulnerable
    elif targeted == "no" and neither:
        found["vulnerability"] = "no"
    if not found and answers.parse_yes_no(text) is None and answers.non_answer(text) is None:
        # Their own words, for the question they speak to: the household's, unless they
        # say why they were picked on (the later question is the one in mind).
        found["targeted_identity" if _TARGETING.search(text) else "vulnerability"] = text.strip()
    return found


def _besides_why(text: str) -> str | None:
    """What a reply says besides why they were targeted: the household's answer, in the
    resident's words (a few words at least; a bare yes or no says nothing of it)."""
    rest = [
        c for c in _clauses(text)
        if not (_TARGETING.search(c) or answers.parse_targeted_identity(c)
                or answers.parse_yes_no(c) is not None or _NEITHER.match(c))
    ]  # fmt: skip
    said = "; ".join(rest)
    return said if len(said.split()) >= 3 else None


def find_name(text: str) -> str | None:
    """A name the resident gives for themselves ("I'm Sam", "my name is Priya Shah")."""
    for pattern in (_NAME, _NAME_LOWER):
        for match in pattern.finditer(text):
            name = match.group(1).strip()
            if not _NOT_A_NAME.match(name) and not _who_they_are(name):
                return " ".join(part[:1].upper() + part[1:] for part in name.split())
    return None


_IDENTITY_LISTS = tuple(f"identity_{strand}" for strand in STRANDS)


def _who_they_are(words: str) -> bool:
    """ "I am Deaf", "I'm Sikh", "I'm Polish": who they are, not a name (the safety cues'
    identity words). "I'm Christian Smith" is a name: only words all of that kind count."""
    lists = cue_lists()
    return all(
        any(lists[kind].fullmatch(word.lower()) for kind in _IDENTITY_LISTS)
        for word in words.split()
    )


# "outside my house, 27 Old Road, Chesterfield S40 3QG": the resident's own address.
_HOME = re.compile(
    r"\b(?:my|our) (?:own )?(?:house|home|flat|bungalow|front door|door|garden|address)\b"
    r"[\s,:;-]*(?:(?:which|that) is |at |it'?s |is )?(\d+[a-z]?\b.+)",
    re.IGNORECASE,
)


def home_address(place: str) -> str | None:
    """The resident's address, when the place they gave is their home with its house
    number and postcode (so a letter is not asked where to go)."""
    match = _HOME.search(place)
    if match is None or find_postcode(match.group(1)) is None:
        return None
    return match.group(1).strip(" .,")


def find_phone(text: str) -> str | None:
    """A UK (or +international) phone number written in the text, or said aloud in it
    ("oh seven seven double oh ..."), as E.164."""
    for written in dict.fromkeys((text, digits_said(text))):
        matches = phonenumbers.PhoneNumberMatcher(
            written, "GB", leniency=phonenumbers.Leniency.POSSIBLE
        )
        for match in matches:
            if is_usable_number(match.number):
                return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return None


def find_contact_method(text: str) -> str | None:
    """How they want to hear back, when they say so unasked ("text me", "email me at ..."),
    not how they reported it before ("I reported it by letter to the council")."""
    for method, pattern in _CONTACT_METHOD_WORDS:
        for match in pattern.finditer(text):
            clause = re.split(r"[.;!?]", text[: match.start()])[-1]
            if _REPORTED_BEFORE.search(clause) or answers.rules_out(clause):
                continue  # "I reported it by letter", "please do not call me"
            if not (method == "none" and answers.asks_if_anonymous(text)):
                return method
    return None


_REPORTED_BEFORE = re.compile(
    r"\b(?:reported|told|rang|called|phoned|wrote|complained|informed|contacted|sent)\b", re.I
)


def read_report(text: str, spoken: bool = False) -> dict[str, str]:
    """Every report field the text gives, by slot name (`spoken`: a call's transcript)."""
    finders = {
        "incident_time": find_when,
        "incident_location": lambda said: find_place(said, spoken=spoken),
        "people_involved": find_people,
        "impact": find_impact,
        "previous_incidents": find_previous,
        "vulnerability": find_vulnerability,
        "targeted_identity": find_targeted_identity,
        "contact_method": find_contact_method,
        "contact_name": find_name,
        "contact_phone": find_phone,
        "contact_email": parse_email,
    }
    found = {slot: value for slot, finder in finders.items() if (value := finder(text))}
    for slot, said in _labelled_sections(text).items():
        finder = finders[slot] if slot in ("incident_time", "incident_location") else None
        found[slot] = (finder(said) if finder else None) or said
    return found


# A report set out under headings ("4) Who: a group of about six, one calls himself
# Tyler. 5) Impact: ..."): each heading's words are that field, whole.
_HEADING = re.compile(
    r"(?:^|(?<=[\s.;,]))(?:\(?\d[).]\s*)?(?P<heading>what happened|what|nature|when|where|"
    r"location|date and time|who|persons|people involved|impact|how it affects (?:me|us)|"
    r"effect on (?:me|us)|effects?)\s*[:\u2013-]\s*",
    re.IGNORECASE,
)
_HEADING_SLOT = {
    "when": "incident_time", "date and time": "incident_time", "where": "incident_location",
    "location": "incident_location", "who": "people_involved", "persons": "people_involved",
    "people involved": "people_involved",
}  # fmt: skip
_THE_ACCOUNT = frozenset({"what happened", "what", "nature"})


def _labelled_sections(text: str) -> dict[str, str]:
    """The fields of a report set out under two or more headings, by slot name."""
    headings = list(_HEADING.finditer(text))
    if len(headings) < 2:
        return {}
    sections: dict[str, str] = {}
    for heading, after in zip(headings, [*headings[1:], None], strict=True):
        said = text[heading.end() : after.start() if after else len(text)]
        said = re.sub(r"\s*\(?\d[).]?\s*$", "", said.strip()).strip(" .;,")
        name = heading.group("heading").lower()
        if name not in _THE_ACCOUNT and said:  # the account itself is the description
            sections[_HEADING_SLOT.get(name, "impact")] = said
    return sections


_TAKE_NAME_OFF = re.compile(
    r"\b(?:take|leave|keep|remove|delete) my name (?:off|out)|(?:remove|delete|drop) my name|"
    r"don'?t (?:use|put|include|give) my name|without my name|no names?\b",
    re.IGNORECASE,
)
# The answers a correction names ("the postcode is ...", "no, my number ...").
_FIELD_WORDS = (
    r"(?:the|my) (?:postcode|post code|address|street|time|date|day|number|phone|mobile|name|"
    r"e-?mail)"
)
_CORRECTION_LEAD = re.compile(
    r"^\W*(?:no|nope|nah|sorry|oops|wait|actually|correction|i meant|i mean|my mistake|"
    r"not quite|that'?s wrong|it'?s wrong|change|update|it was|it'?s|its|it is|make it|use|"
    + _FIELD_WORDS
    + r"(?: number)? (?:is|was|should be))\b",
    re.IGNORECASE,
)
# A correction that names the field it changes ("no, the postcode is CV2 4AB").
_FIELD_SAID = re.compile(r"^\W*(?:no|nope|nah)\W+" + _FIELD_WORDS + r"\b", re.IGNORECASE)
# A name that is not the resident's: "his name is Mr Denham".
_SOMEONE_ELSES_NAME = re.compile(
    r"\b(?:his|her|their|the \w+'s|(?:neighbour|man|woman|bloke|lad)'?s?) (?:real |sur)?name\b",
    re.IGNORECASE,
)
# A word put right in place: "X, not Y" (the new one before) or "it wasn't Y, it was X"
# (the new one after).
_NEW_THEN_OLD = re.compile(
    r"\bnot\s+(?:just\s+)?(?P<old>[\w']+(?: [\w']+){0,2}?)"
    r"(?=[.,;!?)-]|\s+-|$|\s+(?:he|she|they|it|i|sorry|please|thanks|mate|as)\b)",
    re.IGNORECASE,
)
_OLD_THEN_NEW = re.compile(
    r"\b(?:wasn'?t|isn'?t|weren'?t|aren'?t)\s+(?:at\s+|in\s+|on\s+)?"
    r"(?P<old>[\w']+(?: [\w']+){0,2}?)\s*[,.;-]+\s*(?:it|they|he|she)?\s*(?:was|is|were|'s)\s+"
    r"(?:at\s+|in\s+|on\s+)?(?P<new>[\w']+(?: [\w']+){0,2})",
    re.IGNORECASE,
)


_NUMBER = re.compile(r"\d+[a-z]?", re.IGNORECASE)
_COLOUR = re.compile(rf"(?:{_COLOURS})", re.IGNORECASE)
_DAY_OR_MONTH = re.compile(rf"(?:{_DAYS})|(?:{_MONTHS})", re.IGNORECASE)
_KINDS = (_NUMBER, _COLOUR, _DAY_OR_MONTH)


def _kind_of(word: str) -> re.Pattern[str] | None:
    return next((kind for kind in _KINDS if kind.fullmatch(word)), None)


def _same_kind(word: str, old: str) -> bool:
    """A house number for a house number, a colour for a colour, a day for a day."""
    kind = _kind_of(old)
    return kind is not None and kind.fullmatch(word) is not None


def _swapped(text: str, said: dict[str, str | None]) -> dict[str, str | None]:
    """The field whose words hold the word put right, with the new word in its place."""
    pairs: list[tuple[str, str]] = []
    for match in _NEW_THEN_OLD.finditer(text):
        old = match.group("old")
        before = re.findall(r"[\w']+", text[: match.start()])
        # The new word is the last one before "not" of the old one's kind: "number 14
        # Exeter Close, not 41" puts 14 for 41, "a dark grey Audi not black" grey for black.
        alike = next((w for w in reversed(before) if _same_kind(w, old)), None)
        if alike is not None:
            pairs.append((old, alike))
        elif _kind_of(old) is not None:
            continue  # "Friday night not Saturday": never "night" for a day
        elif len(before) >= len(old.split()):
            pairs.append((old, " ".join(before[-len(old.split()) :])))
    for match in _OLD_THEN_NEW.finditer(text):
        old, new = match.group("old"), match.group("new")
        pairs.append((old, " ".join(new.split()[: len(old.split())])))
    for old, new in pairs:
        if new.lower() == old.lower():
            continue
        word = re.compile(rf"\b{re.escape(old)}\b", re.IGNORECASE)
        for slot, value in said.items():
            if value and value not in (answers.UNKNOWN, answers.SKIPPED) and word.search(value):
                return {slot: word.sub(new, value, count=1)}
    return {}


# What is said around a correction, not of it: "One amendment: ... Otherwise accurate."
_AROUND_A_DETAIL = re.compile(
    r"^(?:(?:one|a|just one|small|quick) )?(?:amendment|correction|change|thing)\s*:?\s*|"
    r"[.,;]?\s*\b(?:otherwise|everything else|the rest|all else)\b.*$",
    re.IGNORECASE,
)
_NOT_THAT = re.compile(r"\s*,?\s*\b(?:not|rather than|instead of)\b[^,.;]*", re.IGNORECASE)
_FIELD_NAMED = re.compile(
    r"\b(?P<where>postcode|post code|address|street|location|place|where)\b|"
    r"\b(?P<when>time|date|day|when)\b|"
    r"\b(?P<who>who|people|person|neighbour|culprits?)\b|"
    # their vehicle: a detail of it is added to who ("the van reg starts WK not WR")
    rf"\b(?P<vehicle>reg|registration|plate|vehicle|golf|mini|{_VEHICLE_KINDS}|"
    rf"{_VEHICLE_MAKES})\b|"
    # "name" is the resident's, not a thing's or another person's ("it changed its name")
    r"\b(?P<phone>phone|number|mobile)\b|\b(?P<email>e-?mail)\b|"
    r"(?<!its )(?<!it's )(?<!his )(?<!her )(?<!their )\b(?P<name>name)\b",
    re.IGNORECASE,
)


def read_correction(
    text: str,
    location: str | None = None,
    given_name: str | None = None,
    people: str | None = None,
    when: str | None = None,
) -> dict[str, str | None]:
    """The fields a correction changes, with their new values ("no, it was Tuesday",
    "the postcode is CV2 4AB", "take my name off it"); empty when it names no new value.

    `location` is the place already given: a new postcode alone replaces only its
    postcode ("14 Spon Street, CV1 5FB" becomes "14 Spon Street, CV2 4AB"). `given_name`
    is the name already given: a name that shares a part with it replaces it ("wait its Ellie
    Turner-Hall not just Turner"). `people` is who was said to be involved: a detail about
    them that names no one anew ("the van reg starts WK not WR") is added to it. A word of
    who, where or when put right in place ("Mr Denham, not Dennis", "its number 23 not 32",
    "it wasn't Gold Street, it was Bridge Street", "the earlier one was Tuesday, not Monday"
    with `when`, the time already given) changes that word only."""
    if _TAKE_NAME_OFF.search(text):
        return {"contact_name": answers.SKIPPED}
    given = {"people_involved": people, "incident_location": location, "incident_time": when}
    if swapped := _swapped(text, given):
        return swapped
    original, text = text, _NOT_THAT.sub("", text)  # "Friday, not Tuesday": the new value
    named = _FIELD_NAMED.search(text)
    field = named.lastgroup if named else None
    changes: dict[str, str | None] = {}
    email = parse_email(text)
    phone = find_phone(text)
    if email:
        changes["contact_email"] = email
    if phone and field in (None, "phone"):
        changes["contact_phone"] = phone
    someone_else = _SOMEONE_ELSES_NAME.search(text) is not None  # "his name is ..."
    name = None if someone_else else find_name(text)
    if field == "name" and not name and not someone_else:
        said = re.sub(r"^.*\bname\b\s*(?:is|should be|to|as)?\s*", "", text, flags=re.I)
        name = answers.parse_name(said) if said != text else None
    if not name and given_name:
        name = _renamed(text, given_name)
    if name:
        changes["contact_name"] = name
    if _ANOTHER_WAY.search(original) and (method := answers.parse_contact_method(text)):
        changes["contact_method"] = method  # "can you email me instead of texting"
    if changes:
        return changes
    place = find_place(text)
    said_when = find_when(text)
    if place and field in (None, "where"):
        postcode = find_postcode(text)
        if postcode and location and place == postcode:
            place = without_postcodes(location).strip(" ,")
            place = f"{place}, {postcode}" if place else postcode
        changes["incident_location"] = place
    if said_when and field in (None, "when"):
        # The sentence that corrects it, not the reason after ("I'm on earlies Tuesdays").
        first = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]
        changes["incident_time"] = find_when(first) or said_when
    if field in ("who", "vehicle"):
        detail = _AROUND_A_DETAIL.sub("", _CORRECTION_WORDS.sub("", original)).strip(" .,!")
        found = find_people(text)
        if found and field == "who":
            changes["people_involved"] = found
        elif people and people not in (answers.UNKNOWN, answers.SKIPPED) and detail:
            changes["people_involved"] = f"{people}; {detail}"
        elif found:
            changes["people_involved"] = found
    elif field in (None, "phone") and not changes and (found := find_people(text)):
        changes["people_involved"] = found  # "no, it was the lads at number 12"
    return changes


# Asking to be kept informed another way.
_ANOTHER_WAY = re.compile(
    r"\b(?:instead|rather|prefer|switch|change it to|only|not by)\b|"
    r"\bdon'?t (?:phone|call|ring|text|e-?mail|write to) me\b",
    re.IGNORECASE,
)
_CORRECTION_WORDS = re.compile(
    r"^\W*(?:(?:no|nope|nah|sorry|oops|wait|actually|it'?s|its|it is|i'?m|my name'?s)\W+)+",
    re.IGNORECASE,
)


def _renamed(text: str, given_name: str) -> str | None:
    """The whole reply (what it puts right already taken out) as the new name, when it
    is only a name and shares a part with the one given ("its ellie turner-hall" for
    "Ellie Turner")."""
    said = _CORRECTION_WORDS.sub("", text).strip(" .,!")
    new = answers.parse_name(said) if 1 <= len(said.split()) <= 4 else None
    if new is None or new.lower() == given_name.lower():
        return None
    parts = {p for p in re.split(r"[\s-]+", given_name.lower()) if len(p) > 1}
    return new if parts & set(re.split(r"[\s-]+", new.lower())) else None


def correction_in(
    text: str, location: str | None = None, asked_yes_or_no: bool = False
) -> dict[str, str | None]:
    """What a message corrects, when it says it corrects an earlier answer ("actually
    the postcode is CV2 4AB", "take my name off it") rather than answering the question
    asked: `read_correction`'s changes, or nothing. `asked_yes_or_no`: the question
    asked may be answered "no" ("nah, but it happened last month" answers it, and
    corrects nothing)."""
    if asked_yes_or_no and answers.parse_yes_no(text) is False and not _FIELD_SAID.match(text):
        return {}
    if _TAKE_NAME_OFF.search(text):
        return read_correction(text, location)
    if (split := split_correction(text)) is not None:
        text = split[1]  # "about 6 of them. oh and it's Portland Road not Portland Street"
    text = _BEFORE_MEANT.sub("", text)  # "I put Portland St before, I meant Portland Road"
    lead = _CORRECTION_LEAD.match(_INTERJECTION.sub("", text))
    if lead is None:
        return {}
    if _PLAIN_LEAD.fullmatch(lead.group(0).strip(" ,.")) and not _short_or_contrasted(text):
        return {}  # "its horrible looking at it every day ...": an answer, not a correction
    text = _I_MEANT.sub("", text)
    # The sentence that corrects, not the reason after it ("... not the church. Sorry,
    # the church was last time"), when it says what changes by itself.
    first = _SENTENCES.split(text.strip(), maxsplit=1)[0]
    return read_correction(first, location) or read_correction(text, location)


# "oh", "and" or "ps" before a correction's lead ("oh sorry, I meant Tuesday").
_INTERJECTION = re.compile(
    r"^\W*(?:(?:oh|ah|and|also|btw|ps)\W+)+(?=sorry|oops|wait|actually|"
    r"correction|i meant|my mistake|it'?s|its|it is|it was)",
    re.I,
)
# What a resident first wrote, before the value they meant: "I put X before, I meant Y".
_BEFORE_MEANT = re.compile(r"^.*?\b(?=i meant\b)", re.IGNORECASE)
_I_MEANT = re.compile(r"\bi meant\b", re.IGNORECASE)
# A later sentence that takes back an earlier answer, after the sentences answering the
# question asked: a lead only a correction has, or "it's X not Y".
_LATER_CORRECTION = re.compile(
    r"^\W*(?:(?:oh|ah|and|also|btw|ps|wait|hang on)\W+)*(?:(?:sorry|oops|correction|my mistake)\b.*"
    r"\b(?:meant|not|wrong|should|actually|typed|put)\b|i meant\b|actually\b.*\bnot\b|"
    r"(?:it'?s|its|it is|it was)\b.*\bnot\b)",
    re.IGNORECASE,
)
_SENTENCES = re.compile(r"(?<=[.!?])\s+")


def split_correction(text: str) -> tuple[str, str] | None:
    """(the answer, the correction) of a message that answers the question asked and then,
    in a later sentence, corrects an earlier answer ("about 6 of them. Oh and it's
    Portland Road, not Portland Street"); None when no later sentence corrects."""
    sentences = _SENTENCES.split(text.strip())
    for i in range(1, len(sentences)):
        if _LATER_CORRECTION.match(sentences[i]):
            return " ".join(sentences[:i]), " ".join(sentences[i:])
    return None


# Leads that begin answers as often as corrections ("it's", "it was"): a correction so
# begun is short ("it was Tuesday") or sets the new against the old ("its 12 not 14").
_PLAIN_LEAD = re.compile(r"(?:it'?s|its|it is|it was|make it|use)", re.IGNORECASE)
_MOST_WORDS_IN_A_PLAIN_CORRECTION = 8


def _short_or_contrasted(text: str) -> bool:
    return (
        len(text.split()) <= _MOST_WORDS_IN_A_PLAIN_CORRECTION
        or re.search(r"\bnot\b|\bactually\b|\binstead\b", text, re.IGNORECASE) is not None
    )
