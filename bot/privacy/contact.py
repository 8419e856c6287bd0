"""Contact details residents give: phone numbers, email addresses, UK postcodes.

Everything here is pure: it parses what somebody typed or said into the stored form,
or returns None so the caller can ask again with a clear reason.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from difflib import SequenceMatcher

import phonenumbers
from email_validator import EmailNotValidError, validate_email

# The shape of a UK postcode (outward code, inward code), after removing spaces.
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b")
_POSTCODE_ANY_CASE = re.compile(_POSTCODE.pattern, re.IGNORECASE)
_SPOKEN_DIGITS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "one": "1", "two": "2", "three": "3",
    "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip


# "double seven" is 77, "treble oh" 000.
_REPEATS = {"double": 2, "treble": 3, "triple": 3}


def digits_said(text: str) -> str:
    """The text with the digits of a number said aloud written as digits, each run of
    them joined: "oh seven seven double oh nine hundred six one four" is "07700900614"."""
    out: list[str] = []
    words = text.lower().split()
    i = 0
    while i < len(words):
        word = words[i].strip(",.")
        following = words[i + 1].strip(",.") if i + 1 < len(words) else ""
        if word in _REPEATS and following in _SPOKEN_DIGITS:
            out.append(_SPOKEN_DIGITS[following] * _REPEATS[word])
            i += 2
            continue
        digit = _SPOKEN_DIGITS.get(word, word if word.isdigit() else None)
        if digit is not None and following in ("hundred", "thousand"):
            out.append(digit + ("00" if following == "hundred" else "000"))
            i += 2
            continue
        out.append(digit if digit is not None else words[i])
        i += 1
    joined = " ".join(out)
    return re.sub(r"(?<=\d) (?=\d)", "", joined)


def parse_uk_phone(text: str) -> str | None:
    """E.164 for a UK (or international, with +) number; None when it is not a valid number."""
    words = [_SPOKEN_DIGITS.get(word, word) for word in text.lower().split()]
    candidate = "".join(words) if all(len(w) <= 5 for w in words) else digits_said(text)
    try:
        number = phonenumbers.parse(candidate, "GB")
    except phonenumbers.NumberParseException:
        return None
    if not is_usable_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_usable_number(number: phonenumbers.PhoneNumber) -> bool:
    """A number we can call or text: valid, or shaped like a UK mobile (07 and ten more
    digits) or a UK landline (01, 02 or 03, of a possible length) in a range the library's
    metadata does not list as allocated. Ranges are allocated faster than the metadata is
    released, and refusing a resident's real number would lose their contact details;
    Ofcom's ranges for fiction (07700 900xxx, 01632 960xxx) pass too."""
    return (
        phonenumbers.is_valid_number(number)
        or _uk_mobile_shaped(number)
        or _uk_landline_shaped(number)
    )


def _uk_landline_shaped(number: phonenumbers.PhoneNumber) -> bool:
    national = str(number.national_number)
    return (
        number.country_code == 44
        and national[:1] in {"1", "2", "3"}
        and len(national) in (9, 10)
        and phonenumbers.is_possible_number(number)
    )


def _uk_mobile_shaped(number: phonenumbers.PhoneNumber) -> bool:
    national = str(number.national_number)
    # 070 is personal numbering and 076 pagers: not mobiles.
    return number.country_code == 44 and len(national) == 10 and national[:2] in _MOBILE_STARTS


_MOBILE_STARTS = frozenset({"71", "72", "73", "74", "75", "77", "78", "79"})


def is_mobile(e164: str) -> bool:
    number = phonenumbers.parse(e164, None)
    kind = phonenumbers.number_type(number)
    return _uk_mobile_shaped(number) or kind in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def parse_email(text: str) -> str | None:
    """The normalised address, typed or as a speech recogniser writes one said aloud, or
    None. No DNS look-up: residents may be offline-tested."""
    match = re.search(r"\S+@\S+", text.strip())
    written = match.group(0) if match else _spoken_email(text)
    if not written:
        return None
    try:
        return validate_email(written.strip(".,;"), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


# An address said aloud: "jo dot bloggs at gmail dot com", "sam underscore t at btinternet
# dot co dot uk", "jo bloggs all one word at outlook dot com".
_SPOKEN_SYMBOLS = {"dot": ".", "underscore": "_", "dash": "-", "hyphen": "-"}
_LEAD_IN = {"its", "it", "is", "s", "email", "address", "my", "me", "um", "er", "yeah", "so", "on"}
_SPOKEN_EMAIL = re.compile(
    r"(?P<local>(?:[a-z0-9]+ (?:(?:dot|underscore|dash|hyphen) )?)*?[a-z0-9]+)"
    r"(?P<joined> all one word)? at (?P<domain>[a-z0-9-]+(?: dot [a-z0-9-]+)+)\b"
)


# Letters spelt out one by one ("p r y o r"), and a word followed by its spelling
# ("pryor that's p r y o r"): the spelling is the address.
_SPELT = re.compile(r"\b[a-z](?: [a-z]\b)+")
_THEN_SPELT = re.compile(
    r"\b([a-z0-9]+) (?:that s|thats|that is|spelt|spelled) ((?:[a-z] )+[a-z])\b"
)


def _spelling(said: re.Match[str]) -> str:
    """A word and its spelling after it: the spelling, when it is of that word ("pryor
    that's p r y o r"); else the word alone (a spelling of an earlier one, said last)."""
    word, letters = said.group(1), said.group(2).replace(" ", "")
    return letters if SequenceMatcher(None, word, letters).ratio() >= 0.6 else word


_NO_SPACES = re.compile(r"\b(?:no spaces?|all one word|one word)\b")


def numbers_said(words: list[str]) -> list[str]:
    """Numbers said in words written as digits: "eighty two" is "82", "two thousand and
    four" "2004", "double seven" "77"; other words as they are. ("oh" is left: it is
    as often a word.)"""
    out: list[str] = []
    total, current, inside = 0, 0, False
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if word in _REPEATS and following in _UNITS:
            continue  # written with its digit, next
        value = _UNITS.get(word, _TEEN_VALUES.get(word, _TENS_VALUES.get(word)))
        if word == "one" and following == "word":
            value = None  # "all one word"
        if value is not None and i and words[i - 1] in _REPEATS:
            if inside:
                out.append(str(total + current))
            out.append(str(value) * _REPEATS[words[i - 1]])
            total, current, inside = 0, 0, False
            continue
        if value is not None:
            if inside and current % 10 == 0 and current % 100 and value < 10:
                current += value  # "eighty" "two"
            elif inside and (current % 100 == 0) and (current or total):
                current += value  # "two thousand and" "four"
            else:
                if inside:
                    out.append(str(total + current))
                total, current = 0, value
            inside = True
            continue
        if inside and word in ("hundred", "thousand"):
            if word == "hundred":
                current *= 100
            else:
                total, current = total + current * 1000, 0
            continue
        if inside and word == "and" and i + 1 < len(words) and words[i + 1] in _NUMBER_WORDS:
            continue
        if inside:
            out.append(str(total + current))
            total, current, inside = 0, 0, False
        out.append(word)
    if inside:
        out.append(str(total + current))
    return out


def _spoken_email(text: str) -> str | None:
    said = re.findall(r"[a-z0-9-]+", text.lower().replace("'", " "))
    words = " ".join(numbers_said(said))
    words = _SPELT.sub(lambda m: m.group(0).replace(" ", ""), _THEN_SPELT.sub(_spelling, words))
    match = _SPOKEN_EMAIL.search(words)
    if not match:
        return None
    local = match.group("local").split()
    if match.group("joined") or _NO_SPACES.search(words):
        while len(local) > 1 and local[0] in _LEAD_IN:
            local = local[1:]  # "it's jo bloggs all one word": the address starts at "jo"
    else:
        # Only the words joined by a spoken symbol belong to the address (and a number
        # said after it): "my email is jo dot bloggs" is "jo.bloggs".
        start = len(local) - 1
        while start >= 0 and local[start].isdigit():
            start -= 1
        while start >= 2 and local[start - 1] in _SPOKEN_SYMBOLS:
            start -= 2
        local = local[max(start, 0) :]
    domain = match.group("domain").split(" dot ")
    return "".join(_SPOKEN_SYMBOLS.get(w, w) for w in local) + "@" + ".".join(domain)


def find_postcode(text: str) -> str | None:
    """The first UK postcode in the text, formatted "CV1 5FB"."""
    match = _POSTCODE.search(text.upper())
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"


def without_postcodes(text: str) -> str:
    """The text with every postcode in it left out, in any case."""
    return _POSTCODE_ANY_CASE.sub(" ", text)


def postcode_district(postcode: str) -> str:
    """The outward code ("CV1") of a formatted postcode."""
    return postcode.split()[0]


def pseudonymous_key(secret: bytes, kind: str, value: str) -> str:
    """A keyed hash that links repeat contact without storing who it is."""
    digest = hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"{kind}-{digest[:32]}"


# How speech recognisers write the letters and digits of a spoken postcode.
_LETTER_NAMES = {
    "ay": "A", "bee": "B", "be": "B", "see": "C", "sea": "C", "dee": "D", "ee": "E",
    "eff": "F", "gee": "G", "aitch": "H", "haitch": "H", "eye": "I", "jay": "J", "kay": "K",
    "el": "L", "ell": "L", "em": "M", "en": "N", "pee": "P", "pea": "P", "queue": "Q",
    "cue": "Q", "are": "R", "ar": "R", "ess": "S", "tee": "T", "tea": "T", "you": "U",
    "vee": "V", "ex": "X", "why": "Y", "zed": "Z", "zee": "Z",
}  # fmt: skip
_PHONETIC = {
    "alpha", "alfa", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
    "juliet", "juliett", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec",
    "romeo", "sierra", "tango", "uniform", "victor", "whiskey", "whisky", "xray", "x-ray",
    "yankee", "zulu",
}  # fmt: skip
_POSTCODE_WHOLE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def _spoken_characters(words: list[str]) -> list[str]:
    """Each word as the characters it stands for ("" for a word that is not one)."""
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in _REPEATS and i + 1 < len(words):
            following = _spoken_characters([words[i + 1]])[0]
            out.append(following * _REPEATS[word] if len(following) == 1 else "")
            i += 2
            continue
        if word == "for" and i + 1 < len(words) and words[i + 1] in _PHONETIC:
            i += 1  # "c for charlie": the letter was said already
            continue
        if word in _PHONETIC:
            if not (out and len(out[-1]) == 1 and out[-1] == word[0].upper()):
                out.append(word[0].upper())
        elif word in _SPOKEN_DIGITS and word != "o":
            out.append(_SPOKEN_DIGITS[word])
        elif word in _TEENS:
            out.append(_TEENS[word])
        elif word in _TENS:
            out.append("#" + _TENS[word])  # "twenty": its unit may follow
        elif word in _LETTER_NAMES:
            out.append(_LETTER_NAMES[word])
        elif re.fullmatch(r"[a-z0-9]{1,4}", word):
            out.append(word.upper())
        else:
            out.append("")
        i += 1
    return out


def find_spoken_postcode(text: str) -> str | None:
    """A postcode as a speech recogniser writes it ("c v one five f b", "cv 15 fb",
    "see vee one five eff bee", "c for charlie v for victor 1 5 f b"), formatted, or None."""
    found = find_postcode(text)
    if found:
        return found
    words = re.findall(r"[a-z0-9-]+", text.lower())
    said = _spoken_characters(words)
    tens_said = any(c.startswith("#") for c in said)
    for chars in _readings_of_numbers(said):
        for start in range(len(chars)):
            run, ends, longest = "", set(), None
            for piece in chars[start:]:
                run += piece
                if not piece or len(run) > 7:
                    break
                ends.add(len(run))
                match = _POSTCODE_WHOLE.match(_with_zeros_for_ohs(run))
                # A number said in tens ends with the outward code: "s forty four e x"
                # is S40 4EX, not S4 4EX.
                if match and (len(match.group(1)) in ends or not tens_said):
                    longest = f"{match.group(1)} {match.group(2)}"
            if longest:
                return longest
    return None


_TEENS = {
    "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19",
}  # fmt: skip
_TENS = {
    "twenty": "2", "thirty": "3", "forty": "4", "fourty": "4", "fifty": "5", "sixty": "6",
    "seventy": "7", "eighty": "8", "ninety": "9",
}  # fmt: skip


# The same words as numbers, for numbers said in an address ("eighty two").
_UNITS = {w: int(d) for w, d in _SPOKEN_DIGITS.items() if w not in ("o", "oh")}
_TEEN_VALUES = {w: int(n) for w, n in _TEENS.items()}
_TENS_VALUES = {w: int(n) * 10 for w, n in _TENS.items()}
_NUMBER_WORDS = {*_UNITS, *_TEEN_VALUES, *_TENS_VALUES}


def address_said(text: str) -> str | None:
    """An address as a caller says it ("nine cuttholme road chesterfield s forty four d x"),
    written as a letter needs it ("9 cuttholme road chesterfield, S40 4DX"); None without a
    postcode."""
    postcode = find_spoken_postcode(text)
    if postcode is None:
        return None
    words = numbers_said(text.split())
    while words and (
        len(words[-1]) == 1 or words[-1].isdigit() or words[-1] in _SAID_IN_A_POSTCODE
    ):
        words.pop()  # the postcode's letters and numbers, said at the end
    return f"{' '.join(words)}, {postcode}" if words else postcode


_SAID_IN_A_POSTCODE = {"double", "treble", "for", "oh", "zero", "nought"}


def _readings_of_numbers(chars: list[str]) -> list[list[str]]:
    """The characters with a district number said as a word ("o x twenty six six n b"):
    "twenty six" as 26, and as 20 and 6 ("s forty four e x" is S40 4EX), in that order."""
    if not any(c.startswith("#") for c in chars):
        return [chars]
    joined: list[str] = []
    apart: list[str] = []
    i = 0
    while i < len(chars):
        piece = chars[i]
        following = chars[i + 1] if i + 1 < len(chars) else ""
        if piece.startswith("#") and following.isdigit() and len(following) == 1:
            joined.append(piece[1:] + following)
            apart += [piece[1:] + "0", following]
            i += 2
            continue
        tens = piece[1:] + "0" if piece.startswith("#") else piece
        joined.append(tens)
        apart.append(tens)
        i += 1
    return [joined, apart]


def _with_zeros_for_ohs(run: str) -> str:
    """The inward code begins with a digit: "oh" said there is zero."""
    if len(run) >= 5 and run[-3] == "O":
        return run[:-3] + "0" + run[-2:]
    return run
