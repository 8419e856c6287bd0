"""Understanding the resident's answers to the report form's questions.

Pure functions shared by every channel: a web chat button, an SMS reply and a spoken
answer all end up here. Each returns the canonical value, or None when the answer
does not fit the question (the caller then explains and asks again).
"""

from __future__ import annotations

import re
from typing import Literal

SKIPPED = "skipped"
# Offered on SMS when the form asks for a phone number (actions/contact_phone.py); the
# gateway reads the reply as the number the text came from (telephony/sms_routes.py).
THIS_NUMBER_OFFER = 'Reply "this number" to use the one you are texting from.'
_THIS_NUMBER = re.compile(
    r"^\W*(?:(?:use |yes,? )?(?:this|that|the same|same|my) (?:number|one|mobile|phone)"
    r"(?: (?:please|is fine|thanks))?|the (?:number|one) i'?m texting (?:from|on))\W*$",
    re.IGNORECASE,
)
# Stored when the resident does not know: never their words ("dunno"), so a partner can
# tell a real answer from none.
UNKNOWN = "unknown"
HAPPENING_NOW = "happening now"

_SKIP = re.compile(
    r"^\s*(skip( this| it| that)?|pass|next( question)?|move on|"
    r"(i'?d )?(rather|prefer) not (to )?say|i don'?t want to (say|answer)( that)?)\s*[.!]*\s*$",
    re.IGNORECASE,
)
_NOW = re.compile(
    r"\b(happening now|going on now|right now|rn|at the moment|as we speak|now|currently|"
    r"still happening|still going on)\b",
    re.IGNORECASE,
)
# Yes and no as residents say them, dialects included ("ar" in the Black Country, "aye",
# Geordie "divvent think so").
_YES = re.compile(
    r"^\s*(y|yes|yeah|yep|yup|aye|ye|yea|yeh|yh|ya|yas|yass|ar|arr|ok|okay|k|sure|correct|"
    r"(?:that|it) ?(?:'?s|is) (right|fine|correct|all correct|all right)|all correct|"
    r"quite right|spot on|perfect|looks (good|right|fine)|all good|confirmed|confirm|accurate|"
    r"that'?s (it|everything|the lot)|thats (it|everything)|"
    r"ta|cheers|lovely|grand|sound|champion|bang on|"
    r"(?:that'?s|that is|all|it'?s) accurate|"
    r"yes,? (please|send it|it is|that'?s (right|correct))|go ahead|of course|definitely|"
    r"certainly(?! not))\b",
    re.IGNORECASE,
)
_NO = re.compile(
    r"^\s*(n|no|nope|nah|naw|nae|na|ney|not really|never|none|"
    r"no,? (thanks|it isn'?t|change something)|that'?s (wrong|not right)|"
    # "don't think so" in the dialects: Geordie "divvent", Scots "dinnae", "doesn't"
    r"(?:i )?(?:(?:don'?t|dont|divvent|divn'?t|dinnae|dinna|didnae) think so|doubt it)|"
    # "I don't think, they throw at other houses also": the "so" left out
    r"(?:i )?(?:don'?t|dont|do not) think(?=\s*(?:[,.;!]|$))|"
    r"no one|nobody|not that i know of|"
    r"(?:certainly|definitely|absolutely|of course) not|not at all)\b",
    re.IGNORECASE,
)

_CONTACT_METHODS: list[tuple[str, re.Pattern[str]]] = [
    ("none", re.compile(r"anonym|no contact|don'?t contact|do not contact|none|no thanks|"
                        r"rather not|don'?t want to be contacted", re.IGNORECASE)),
    ("sms", re.compile(r"\btext|\btxt|\btxts\b|\bsms\b|\bmsg\b|message me|whats ?app",
                       re.IGNORECASE)),
    ("email", re.compile(r"e-?mail|\bemial\b|\bemal\b", re.IGNORECASE)),
    ("letter", re.compile(r"letter|post\b|write to (?:me|us)|in writing", re.IGNORECASE)),
    # as texted in a hurry or spelt by ear: "fone me", "ring us", "cal me"
    ("phone", re.compile(r"phone|\bfone|call|\bcal me\b|ring|telephone|mobile", re.IGNORECASE)),
]  # fmt: skip

# Strands as the Home Office and police record them, with everyday words for each.
_IDENTITY: list[tuple[str, re.Pattern[str]]] = [
    ("transgender", re.compile(r"gender identity|\btrans\b|transgender|non.?binary",
                               re.IGNORECASE)),
    ("sexual_orientation", re.compile(r"sexual|\bgay\b|lesbian|bisexual|\bbi\b|queer|lgbt",
                                      re.IGNORECASE)),
    ("race", re.compile(r"\brace\b|racial|racis|colou?r|black|asian|ethnic|nationality|"
                        r"foreign|immigra|polish|\broma\b|romanian|traveller|gypsy|gypsies|"
                        r"where i'?m from|where we'?re from|pakistani|indian|bangladeshi|"
                        r"chinese|african|caribbean|somali|nigerian|arab|kurdish|irish|"
                        r"lithuanian|ukrainian|eastern european|the p word|p\*+i|accent|"
                        r"skin", re.IGNORECASE)),
    ("religion", re.compile(r"religio|faith|belief|muslim|islam|jew|hijab|sikh|turban|christian|"
                            r"hindu|mosque|church|synagogue", re.IGNORECASE)),
    ("disability", re.compile(r"disab|wheelchair|autis|learning difficult|blind|deaf|mental "
                              r"health|special needs", re.IGNORECASE)),
]  # fmt: skip
_NOT_SURE = re.compile(r"not sure|don'?t know|unsure|maybe|possibly|no idea", re.IGNORECASE)

HATE_STRAND_WORDS = {
    "race": "race or nationality",
    "religion": "religion or belief",
    "sexual_orientation": "sexuality",
    "disability": "disability",
    "transgender": "gender identity",
}

# Which form slots each "change my ..." request clears.
CHANGEABLE_FIELDS: dict[str, tuple[str, ...]] = {
    "incident_description": ("incident_description",),
    "incident_time": ("incident_time",),
    "incident_location": ("incident_location", "council_area"),
    "people_involved": ("people_involved",),
    "impact": ("impact",),
    "targeted_identity": ("targeted_identity",),
    "vulnerability": ("vulnerability",),
    "previous_incidents": ("previous_incidents",),
    "landlord": ("landlord",),
    "contact_method": ("contact_method", "contact_name", "contact_phone", "contact_email",
                       "contact_address"),
    "consent_share": ("consent_share",),
}  # fmt: skip
_FIELD_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("incident_location", re.compile(r"\b(where|location|address of|postcode|place|street)\b",
                                     re.IGNORECASE)),
    ("incident_time", re.compile(r"\b(when|time|date|day)\b", re.IGNORECASE)),
    ("people_involved", re.compile(r"\b(who|people|person|involved|reg|registration|plate|"
                                   r"van|car|vehicle)\b", re.IGNORECASE)),
    ("impact", re.compile(r"\b(affect|impact)", re.IGNORECASE)),
    ("targeted_identity", re.compile(r"\b(targeted|hate|who i am)\b", re.IGNORECASE)),
    ("vulnerability", re.compile(r"\bvulnerab", re.IGNORECASE)),
    ("previous_incidents", re.compile(r"\b(before|previous|again)\b", re.IGNORECASE)),
    ("contact_method", re.compile(r"\b(contact|phone|number|e-?mail|name|address|letter|text)\b",
                                  re.IGNORECASE)),
    ("consent_share", re.compile(r"\b(share|sharing|consent)\b", re.IGNORECASE)),
    ("landlord", re.compile(r"\b(landlord|housing|tenant|rent)", re.IGNORECASE)),
    ("incident_description", re.compile(r"\b(what happened|description|happened)\b",
                                        re.IGNORECASE)),
]  # fmt: skip


_DONT_KNOW = re.compile(
    r"^\W*(?:(?:hmm+|um+|erm*|er|well|honestly|sorry|ah+|oh+|to be honest|tbh)\W+)?"
    r"(i )?(really )?(dunno|dno|idk|dk|d ?k|no idea|not sure|unsure|don'?t know|dont know|"
    r"do not know|(have|'ve|had) no idea|have not got a clue|haven'?t (got )?(a|any) clue|"
    r"not got a clue|no clue at all|"
    r"no clue|haven'?t a clue|not a clue|can'?t remember|cannot remember|can'?t say|"
    r"no idea sorry|not really sure|i'?m not sure|im not sure|god knows|who knows|"
    r"couldn'?t tell you|no ?1 knows|"
    # in the dialects: "couldnae tell ye", "dinnae ken", "a divvent knaa", "not a scooby"
    r"(?:couldn'?t|couldnae|cannae|canny|can'?t) (?:tell|say)(?: (?:you|ye|ya|yer))?|"
    r"(?:a |i )?(?:dinnae|dinna|divvent|divn'?t|dunno|don'?t) (?:ken|knaa|know)|"
    r"(?:not|haven'?t) (?:got )?a scooby|search me)\b[\w\s,.!?']{0,30}$",
    re.IGNORECASE,
)
_QUERY = re.compile(
    r"^\W*(\?+|what\??|eh\??|huh\??|pardon\??|sorry\??|what do you mean\??|"
    r"what does that mean\??|i don'?t understand\??|don'?t understand\??|"
    r"what\?* do you mean( by that)?\??|why\??|why do you (need|want) (that|this|to know)\??|"
    r"what for\??|meaning\??|like what\??|help|help me|help please|i need help|"
    r"what do i (do|say|put)|how does this work)\W*$",
    re.IGNORECASE,
)
# Asked to say it again, as a caller often is: the question again, no reason for it.
_REPEAT = re.compile(
    r"^\W*(?:(?:sorry,? )?(?:can|could) you (?:say|repeat) (?:that|it)(?: again)?(?: please)?|"
    r"(?:sorry,? )?say (?:that|it) again(?: please)?|repeat (?:that|it|the question)(?: please)?|"
    r"(?:sorry,? )?say again|come again|(?:sorry,? )?what was that|"
    r"(?:sorry,? )?(?:i )?(?:didn'?t|did not|never|couldn'?t|could not|can'?t|cannot) "
    r"(?:catch|hear|get|quite hear) (?:that|you|it|the question|what you said)|i missed that)"
    # a word of address or manners after it: "sorry can you say that again dear"
    r"(?:\W+(?:please|pls|dear|love|luv|duck|pet|mate|hun|pal|darling|sweetheart|bab))*"
    # or why they did not hear: "say again, I've got tinnitus, you'll have to speak up"
    r"(?:\W+(?:i'?ve got|i have|i'?m|i am|i can'?t|i cannot|i couldn'?t|you'?ll|you will|"
    r"you need to|can you|could you|speak up|louder|it'?s|the line'?s?|bad line|my hearing)"
    r"\b[^.?!]{0,50})?\W*$",
    re.IGNORECASE,
)
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890")
_VOWELS = set("aeiouy")

NonAnswer = Literal["unknown", "query", "repeat", "unreadable"]


# A question back in any spelling ("y u need that", "wot do u mean vulnerable", "why does
# it matter how it affects me"): it starts by asking and asks about the question.
_QUESTION_BACK = re.compile(
    r"^\W*(?:(?:sorry|um+|erm?|ok|okay|hmm+|so|but)\W+)?"
    r"(why|y|wot|what|wat|wht|how come|whats that|what's that|do (?:you|u|ya)|does it|must i|"
    r"do i (?:have|need) to)\b[^.!]{0,60}?"
    r"\b(need|needs|require|requires|mean|means|matter|matters|ask|asking|want|wanna|"
    r"relevant|important|got to do|for|exact|precise)\b",
    re.IGNORECASE,
)
_MOST_WORDS_IN_A_QUESTION_BACK = 14


# Not an answer yet: the resident is busy for a moment.
_STALL = re.compile(
    r"^\W*(?:hang on|hold on|one sec(?:ond)?|one moment|just a (?:sec|min|minute|moment)|"
    r"wait a (?:sec|min|minute|moment)|brb|give me a (?:sec|min|minute)|"
    r"sorry,? (?:hang on|hold on|one sec))(?:[ ,.-]+(?:a )?(?:sec|second|min|minute|moment|mo))?"
    r"(?:[ ,.-]+(?:my |the )?(?:phones?|phone'?s|door|kids?|baby)\b[^.?!]{0,20})?\W*$",
    re.IGNORECASE,
)


# A question about the form beside an answer ("the school. do u need the proper address?").
_CHECKING = re.compile(
    r"^\W*(?:is|does|will|would) (?:that|this|it) (?:be )?(?:enough|ok|okay|alright|all right|"
    r"right|fine|help|do)\b",
    re.IGNORECASE,
)
_ABOUT_THE_FORM = re.compile(
    r"\b(?:you|u|ya|it|i|postcode|address|number|name|details?|this|that|question)\b",
    re.IGNORECASE,
)
_PARTS = re.compile(r"(?<=[.!?])\s+|\s+-+\s+")


def _parts(text: str) -> list[str]:
    """The sentences of a reply, and what a dash sets apart ("by the gates - do you want
    the postcode?")."""
    return [p for p in _PARTS.split(text.strip()) if p.strip()]


def without_questions_back(text: str) -> str:
    """An answer without the questions about the form asked beside it ("do you need the
    postcode? its cv2 4ab": "its cv2 4ab"); the text as it is when nothing else is left."""
    parts = _parts(text)
    kept = [p for p in parts if not _question_back(p)]
    return " ".join(kept) if kept and len(kept) < len(parts) else text


# "like their names?": what the question means, asked back.
_MEANING_ASKED = re.compile(r"^\W*(?:like|such as|as in|you mean|do you mean)\b.*\?\W*$", re.I)


def asks_why_beside(text: str) -> bool:
    """Whether an answer comes with a "why" about the question ("why on earth do you need
    the precise time? It happens overnight"): the reason is owed with the next question."""
    parts = _parts(text)
    return len(parts) > 1 and any(_question_back(p) and _WHY.match(p) for p in parts)


_WHY = re.compile(
    r"^\W*(?:(?:sorry|um+|erm?|ok|okay|so|but)\W+)?(?:why|y|how come|what for)\b", re.I
)


def _question_back(part: str) -> bool:
    if _CHECKING.match(part) or _MEANING_ASKED.match(part):
        return True
    return bool(
        _QUESTION_BACK.match(part)
        and _ABOUT_THE_FORM.search(part)
        and len(part.split()) <= _MOST_WORDS_IN_A_QUESTION_BACK
    )


def non_answer(text: str) -> NonAnswer | None:
    """What kind of non-answer a reply is, or None when it may be an answer.

    "unknown": they do not know ("dunno", "not sure", "no idea"); "query": they ask what
    the question means or why it is asked ("?", "what do you mean"); "unreadable":
    keyboard mash, a lone emoji or punctuation, a single letter; "repeat": they ask to
    hear the question again ("sorry can you say that again")."""
    cleaned = without_questions_back(text).strip()
    if cleaned != text.strip() and non_answer(cleaned) is not None:
        return "query"  # "do you need an exact time? I'm not sure"
    if _DONT_KNOW.match(cleaned):
        return "unknown"
    if _REPEAT.match(cleaned):
        return "repeat"
    if _QUERY.match(cleaned):
        return "query"
    if all(_question_back(part) for part in _parts(cleaned)):
        return "query"  # every part of it asks about the question ("why? what for?")
    if _STALL.match(cleaned):
        return "unreadable"  # "hang on, phones going": the question again, nothing kept
    letters = re.sub(r"[^a-z]", "", cleaned.lower())
    if len(letters) < 2 and not re.search(r"\d", cleaned):
        return "unreadable"  # "", "?!", "🙂", "k"
    words = re.findall(r"[a-z]+", cleaned.lower())
    if len(words) == 1 and _looks_mashed(words[0]):
        return "unreadable"
    return None


def _looks_mashed(word: str) -> bool:
    """A word no one writes: a run along a keyboard row, a long run of consonants, or
    one letter over and over."""
    if len(word) < 4:
        return False
    if any(word[i : i + 4] in row for row in _KEYBOARD_ROWS for i in range(len(word) - 3)):
        return True
    if re.search(r"[^aeiouy]{6,}", word) or len(set(word)) <= 2:
        return True
    if re.search(r"[^aeiouy]{5}", word) and len(re.findall(r"[aeiouy]+", word)) < 2:
        return True  # "sdfkjsa"; but "windscreen" and "lengths" are words
    return not _VOWELS & set(word)


def means_this_number(text: str) -> bool:
    """The resident's answer is "this number": the one they are texting from."""
    return bool(_THIS_NUMBER.match(text))


def is_skip(text: str) -> bool:
    return bool(_SKIP.match(text))


def parse_yes_no(text: str) -> bool | None:
    text = re.sub(r"^\s*(?:\d{1,2}[).:]|[-*•])\s*", "", text)  # "1) Yes. 2) Thank you."
    if _NO.match(text):
        return False
    if _YES.match(text):
        return True
    return None


# Approval of a read-back said in other words, anywhere in the reply ("thats the one",
# "Tidy, that's it.", "everything there is right thanks", "That is a fair summary"), and
# words that take it back.
_APPROVES = re.compile(
    r"\b(?:that'?s|thats|that is|it'?s|its|all|looks|sounds|everything(?: there)?(?:'s| is)?)"
    r"\s+(?:it|the one|right|correct|fine|good|spot on|perfect|accurate|great|grand|ok|okay|"
    r"all good|all correct|all right|alright)\b|"
    r"\b(?:send it|go ahead|tidy|spot on|bang on|perfect|lovely|brilliant|brill|smashing|"
    r"champion|nice one|sorted|exactly|that'?ll do|will do)\b|"
    r"\b(?:fair|good|true|accurate|correct|faithful) (?:summary|account|record|reflection)\b|"
    r"\b(?:yes|correct)\b",  # "haan yes yes correct": yes after a word in another language
    re.IGNORECASE,
)
_TAKES_BACK = re.compile(r"\b(?:not|no|wrong|change|but|except|although|\w+n'?t)\b", re.I)


def read_back_yes_no(text: str) -> bool | None:
    """A reply to "Is this right?": `parse_yes_no`, and yes said in other words with
    nothing against it ("thats the one", "Tidy, that's it.", "haan yes yes correct")."""
    said = parse_yes_no(text)
    if said is None and _APPROVES.search(text) and not _TAKES_BACK.search(text):
        return True
    return said


# "now" that is no time of day: "a few weeks now", "for months now", "now and then".
_NOW_NOT_A_TIME = re.compile(
    r"\b(?:days?|nights?|weeks?|months?|years?|fortnight|while|ages|time)\s+now\b|"
    r"\bnow and (?:then|again)\b",
    re.IGNORECASE,
)


def parse_time(text: str) -> str | None:
    cleaned = text.strip()
    if len(cleaned) < 2:
        return None
    if _NOW.search(_NOW_NOT_A_TIME.sub(" ", cleaned)) and not re.search(
        r"\b(ago|last|yesterday|earlier|since|on \d|\d{1,2}(?:st|nd|rd|th)? "
        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))",
        cleaned,
        re.I,
    ):  # "still happening now, he put it up on 3 March" keeps its date
        return HAPPENING_NOW
    return cleaned


def parse_location(text: str) -> str | None:
    """A postcode or a street or landmark: at least a word, not just a number."""
    cleaned = text.strip()
    if len(cleaned) < 3 or not re.search(r"[A-Za-z]{2,}", cleaned):
        return None
    return cleaned


# A way of contact ruled out: "not email", "rather than a call", "email I don't check".
_RULED_OUT_BEFORE = re.compile(
    r"(?:\bnot|\bno|don'?t|dont|never|rather than|instead of|can'?t|cant|cannot|can not|"
    r"unable to|couldn'?t)\s+(?:(?:by|via|an?|the|take|make|use|do|answer|get|hear|see|read|"
    r"ever|really|always|even|bother)\s+){0,2}$",
    re.IGNORECASE,
)


def rules_out(before: str) -> bool:
    """Whether the words before a way of contact rule it out ("please do not call me",
    "can't hear the phone")."""
    return _RULED_OUT_BEFORE.search(before) is not None


_RULED_OUT_AFTER = re.compile(
    r"^\w*[ \t]+(?:[\w']+[ \t]+){0,2}?(?:i |we )?(?:don'?t|do not|never|can'?t|cannot|doesn'?t|"
    r"does not) (?:really |always |often |ever )?(?:check|use|read|work|have(?=\W*$|\W*[,.!;])|"
    r"have (?:one|it|that|an? (?:mobile|phone|number|address)))\b|"
    # "Phone no good", "phone's no use to me", "email not working"
    r"^\w*(?:'s| is)?[ \t]+(?:no|not|isn'?t|useless|impossible)\b(?! (?:problem|bother|worries)\b)",
    re.IGNORECASE,
)


# Asking whether it is anonymous is not asking for it: "is this anonymous?", "will they
# know it was me?" ("can I stay anonymous?" asks for it).
_ASKS_IF_ANONYMOUS = re.compile(
    r"\b(?:is|will|would|does) (?:this|it|that|my name|my report|the report) (?:be |stay |"
    r"kept |get |go )?(?:anonymous|confidential|private|secret|passed on|shared)|"
    r"\bwill (?:they|he|she|anyone) (?:know|find out)|\bdo (?:they|you) (?:tell|pass on)",
    re.IGNORECASE,
)


def asks_if_anonymous(text: str) -> bool:
    return _ASKS_IF_ANONYMOUS.search(text) is not None


# A change of mind: what follows is what they want ("ring me, actually no, text").
_MIND_CHANGED = re.compile(
    r"\b(?:actually|no wait|wait no|on second thoughts?|scratch that|or rather|make that|"
    r"better still|come to think of it)\b|(?:\.\.+|…|,)\s*well\b",
    re.IGNORECASE,
)
# One way said to be preferred over another named beside it: "phone or text. text better".
_PREFERRED_AFTER = re.compile(
    r"^\W*(?:is |would be |'?s )?"
    r"(?:better|best|preferred|preferably|ideally|only|fine|easiest|easier|good)\b",
    re.IGNORECASE,
)
_PREFERRED_BEFORE = re.compile(r"\b(?:prefer|preferably|rather|ideally)\s+(?:by\s+|a\s+)?$", re.I)


def parse_contact_method(text: str) -> str | None:
    """How they want to hear: the first way they name and do not rule out ("Letter
    please, email I don't check" is a letter), or the first after they change their mind
    ("ring me, actually no, text"); anonymity whenever they ask for it."""
    changed = list(_MIND_CHANGED.finditer(text))
    if changed and (later := parse_contact_method(text[changed[-1].end() :])):
        return later
    if _CONTACT_METHODS[0][1].search(text) and not asks_if_anonymous(text):
        return "none"
    named = [
        (match.start(), match.end(), method)
        for method, pattern in _CONTACT_METHODS[1:]
        for match in pattern.finditer(text)
        if not rules_out(text[: match.start()])
        and not _RULED_OUT_AFTER.match(text[match.start() :])
    ]
    preferred = [
        method
        for start, end, method in named
        if _PREFERRED_AFTER.match(text[end:]) or _PREFERRED_BEFORE.search(text[:start])
    ]
    if preferred:
        return preferred[0]
    return min(named)[2] if named else None


def parse_targeted_identity(text: str) -> str | None:
    """A hate strand, "no", "not_sure", or None when the answer is unclear."""
    for strand, pattern in _IDENTITY:
        if pattern.search(text):
            return strand
    if _NOT_SURE.search(text):
        return "not_sure"
    if parse_yes_no(text) is False:
        return "no"
    return None


def parse_field(text: str) -> str | None:
    """Which answer a resident wants to change, from what they wrote."""
    for field, pattern in _FIELD_WORDS:
        if pattern.search(text):
            return field
    return None


def speaks_of(text: str, slot: str) -> bool:
    """Whether the text names the answer `slot` belongs to ("rent" for the landlord)."""
    return any(
        slot in CHANGEABLE_FIELDS.get(field, ()) and pattern.search(text) is not None
        for field, pattern in _FIELD_WORDS
    )


# After a name, words about the way to reach them: "hodan abdi, yes this number".
_NAME_THEN_CONTACT = re.compile(
    r"^(?P<name>[^\W\d_][\w'-]*(?: [^\W\d_][\w'-]*){0,3})\s*[,;-]\s*(?=.*\b(?:number|phone|"
    r"mobile|e-?mail|text|txt|call|ring|this one|that one|fine|ok|okay|yes|please)\b)",
    re.IGNORECASE,
)


def parse_name(text: str) -> str | None:
    cleaned = re.sub(r"^(my name is|i'?m|i am|it'?s|call me)\s+", "", text.strip(), flags=re.I)
    if then_contact := _NAME_THEN_CONTACT.match(cleaned):
        cleaned = then_contact.group("name")
    cleaned = cleaned.strip(" .,!")
    if not 1 <= len(cleaned) <= 100 or not re.search(r"[^\W\d_]", cleaned):
        return None
    return cleaned
