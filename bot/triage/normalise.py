"""Turn a raw message into one canonical lower-case string the cue patterns can rely on.

People in trouble do not write clean sentences. The same report arrives as
"THEY'RE KICKING MY DOOR IN!!!", "theyre kickin my door in" and, from the phone line,
"um they're er kicking my door in". Rather than teach every cue pattern about every
spelling, this module rewrites all of them to "they are kicking my door in", so that the
lexicon can be written once, in plain English.

What it does, in order:

1. Unicode compatibility folding (full-width letters, curly quotes) and lower case.
2. Case references ("ASB-2026-0193") become the single token ``casereference`` so status
   queries are easy to spot and the digits never look like anything else.
3. Placeholders people use instead of a slur ("[slur]", "[racial slur]", "the n-word")
   become ``slur<strand>`` tokens, e.g. ``slurrace``, ``slurany``.
4. Partly masked or "leet" words ("p***", "f****t", "n1gger", "f@g") are de-masked against a
   short list of slurs and swear words (``lexicon.MASKABLE``), most likely reading first.
5. Letters stretched for emphasis ("heeeelp", "pleeease") are squeezed (word by word, in
   step 6, so that each distinct word is squeezed once: see ``_cached_token``).
6. Contractions are expanded with or without the apostrophe ("they're", "theyre" ->
   "they are"), dropped g's are restored ("kickin" -> "kicking") and SMS-speak is expanded
   ("rn" -> "right now", "wiv" -> "with", "sum1" -> "someone").
7. Voice fillers ("um", "er", "erm", "you know") are removed.
8. Sentence punctuation becomes a " . " token and commas a " , " token: the tense module
   uses them as clause boundaries. Everything else that is not a letter or digit goes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

from bot.triage.lexicon import MASKABLE, SLUR_PLACEHOLDER_STRANDS

__all__ = ["Normalised", "normalise"]


@dataclass(frozen=True, slots=True)
class Normalised:
    """A message after normalisation.

    ``text`` is lower case, words separated by single spaces, with ``.`` and ``,`` tokens
    marking clause boundaries, and a leading and trailing space so that every word can be
    matched as `` word `` as well as with ``\\b``. ``shouting`` records that the original
    was written mostly in capitals or with several exclamation marks: a shouted "HELP"
    carries more weight than "can you help me with the noise".
    """

    text: str
    shouting: bool


def _words(text: str) -> list[str]:
    return text.split()


# --- expansion tables -----------------------------------------------------------------

# Apostrophe-less contractions, common in SMS and in speech-to-text output. Deliberately
# missing: "were" (we're vs were), "ill" (I'll vs ill), "hell" (he'll vs hell), "id", "its"
# is kept as "it is" because the possessive reading never changes a verdict.
_CONTRACTIONS: Final[dict[str, str]] = {
    "im": "i am",
    "ive": "i have",
    "youre": "you are",
    "youve": "you have",
    "hes": "he is",
    "shes": "she is",
    "theyre": "they are",
    "theyve": "they have",
    "theyll": "they will",
    "theyd": "they would",
    "hed": "he would",
    "weve": "we have",
    "thats": "that is",
    "theres": "there is",
    "whats": "what is",
    "wheres": "where is",
    "whos": "who is",
    "its": "it is",
    "someones": "someone is",
    "somebodys": "somebody is",
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "cant": "can not",
    "cannot": "can not",
    "wont": "will not",
    "isnt": "is not",
    "arent": "are not",
    "wasnt": "was not",
    "werent": "were not",
    "havent": "have not",
    "hasnt": "has not",
    "hadnt": "had not",
    "couldnt": "could not",
    "wouldnt": "would not",
    "shouldnt": "should not",
    "aint": "is not",
}

# Pronouns and indefinites whose "'s" means "is"/"has"; on any other word "'s" is a
# possessive and is dropped ("my son's been stabbed" -> "my son been stabbed" is still
# matched by the "been stabbed" cue).
_S_IS: Final[frozenset[str]] = frozenset(
    _words(
        "he she it there that what where who someone somebody everyone everybody nobody "
        "here how one"
    )
)

# SMS-speak, slang spellings and frequent typos -> plain English. Only unambiguous tokens:
# "2" and "4" are left alone because "2 men" and "4 lads" are numbers.
_SMS: Final[dict[str, str]] = {
    "rn": "right now",
    "rite": "right",
    "atm": "at the moment",
    "asap": "as soon as possible",
    "pls": "please",
    "plz": "please",
    "plse": "please",
    "plez": "please",
    "plese": "please",
    "ples": "please",
    "u": "you",
    "ya": "you",
    "yu": "you",
    "ur": "your",
    "yer": "your",
    "r": "are",
    "n": "and",
    "wiv": "with",
    "wid": "with",
    "wit": "with",
    "w": "with",
    "b4": "before",
    "2day": "today",
    "2nite": "tonight",
    "2night": "tonight",
    "tonite": "tonight",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "tmrw": "tomorrow",
    "nite": "night",
    "nyt": "night",
    "sum1": "someone",
    "some1": "someone",
    "som1": "someone",
    "sumone": "someone",
    "sumbody": "somebody",
    "sum1s": "someone is",
    "some1s": "someone is",
    "any1": "anyone",
    "every1": "everyone",
    "evry1": "everyone",
    "no1": "no one",
    "ppl": "people",
    "peeps": "people",
    "bc": "because",
    "cos": "because",
    "coz": "because",
    "cuz": "because",
    "cus": "because",
    "bcos": "because",
    "bcoz": "because",
    "becuz": "because",
    "gonna": "going to",
    "gunna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "tryna": "trying to",
    "thru": "through",
    "in2": "into",
    "evry": "every",
    "evey": "every",
    "wot": "what",
    "wat": "what",
    "dunno": "do not know",
    "bout": "about",
    "lil": "little",
    "da": "the",
    "dis": "this",
    "dat": "that",
    "dem": "them",
    "outsid": "outside",
    "outsde": "outside",
    "neighbor": "neighbour",
    "neighbors": "neighbours",
    "nieghbour": "neighbour",
    "naybor": "neighbour",
    "nabour": "neighbour",
    "thier": "their",
    "nife": "knife",
    "knif": "knife",
    "kinfe": "knife",
    "knive": "knife",
    "nives": "knives",
    "wepon": "weapon",
    "weapen": "weapon",
    "threatning": "threatening",
    "thretening": "threatening",
    "ambulence": "ambulance",
    "emergancy": "emergency",
    "theif": "thief",
    "hlp": "help",
    "halp": "help",
    "hepl": "help",
    "sumthing": "something",
    "somethin": "something",
    "nothin": "nothing",
    "evrything": "everything",
    "tho": "though",
    "ok": "ok",
    "k": "ok",
    "ta": "thanks",
    "thx": "thanks",
    "thnx": "thanks",
    "ty": "thank you",
    "offie": "off licence",
    "offy": "off licence",
    # police, in the slang of different regions
    "bizzies": "police",
    "bizzys": "police",
    "feds": "police",
    "rozzers": "police",
    "coppers": "police",
    "cops": "police",
    "popo": "police",
    "plod": "police",
    "polise": "police",
    "pollice": "police",
}

# Verbs whose dropped g ("kickin", "smashin'") matters to some cue. A closed list rather
# than a rule because many ordinary words end in "in" (cabin, within, cousin, muslin).
_ING_STEMS: Final[frozenset[str]] = frozenset(
    _words(
        """attack bang bark bash batter beat beg bleed boot break build burn carry chase chuck
    climb come dump drill party race rev scream sell shak spray stomp tip litter
    crawl deal drag drink drive fight fire flash follow force get go grab hammer harass
    hit hold hurt kick kill knock laugh lob load lurk mug pelt play point pour punch push
    rob run say scream set shoot shout smash smok snatch spit stab stalk stand steal
    strangl swear swing take talk threaten throw torch try wait walk wav wreck yell"""
    )
)

_FILLERS: Final[frozenset[str]] = frozenset(
    _words("um umm ummm uh uhh uhm er erm errm ah ahh hmm mm mmm eh innit")
)

# --- compiled patterns (once, at import) ------------------------------------------------

_CASE_REF = re.compile(r"\basb[\s-]*\d[\d-]*")
_PLACEHOLDER = re.compile(r"\[([^\]]{0,40})\]")
_N_WORD = re.compile(r"\b(?:the\s+)?[np][\s-]word\b")
_MASKED = re.compile(r"[a-z][a-z0-9*#@$!._-]*[*#@$][a-z0-9*#@$!._-]*")
_LETTERS = re.compile(r"[^\W\d_]")
_UPPER = re.compile(r"[A-Z\u00c0-\u00de]")
# ASCII bytes that are not letters / not capitals: deleting them counts the rest, in C.
_NOT_LETTERS: Final = bytes(c for c in range(128) if not chr(c).isalpha())
_NOT_UPPER: Final = bytes(c for c in range(128) if not chr(c).isupper())
_STRETCHED = re.compile(r"([a-z])\1{2,}")
_SENTENCE_END = re.compile(r"[.!?;:\n]+|\s-\s")
_COMMA = re.compile(r",+")
_NOT_WORD = re.compile(r"[^a-z0-9.,' ]+")
_MULTI_FILLER = re.compile(
    r"\b(?:you know|i mean|sort of|kind of)\b(?!\s+(?:what|where|who|it|that))"
)

# ASCII punctuation in one translation table (see normalise step 8).
# ASCII punctuation in one byte table (see normalise step 8): sentence punctuation to
# ".", "," and "&" kept, anything else that is not a letter, digit, "'" or space to " ".
# The kept marks are then spaced out ("." -> " . ") by str.replace.
_PUNCTUATION: Final = bytes.maketrans(
    bytes(range(128)),
    bytes(
        ord(".") if chr(c) in ".!?;:\n" else c if chr(c).isalnum() or chr(c) in "' ,&" else ord(" ")
        for c in range(128)
    ),
)
_MARK_RUN: Final = re.compile(r"[.,]\s+[.,]")


def _dedupe_marks(words: list[str]) -> list[str]:
    """Collapse runs of clause marks ("!!!" -> one ".", ", ," -> one ",")."""
    out: list[str] = []
    for w in words:
        if (w == "." or w == ",") and out and (out[-1] == "." or out[-1] == ","):
            if w == ".":
                out[-1] = "."
            continue
        out.append(w)
    return out


_LEET: Final[dict[str, str]] = {
    "@": "a",
    "4": "a",
    "1": "i",
    "!": "i",
    "3": "e",
    "0": "o",
    "$": "s",
    "5": "s",
    "7": "t",
}
_MASK_CHARS: Final[frozenset[str]] = frozenset("*#._-")  # each hides exactly one letter


# (first letter, length) -> candidate words, whole words before inflected ones so that
# "b******" reads as "bastard" rather than a made-up "bitched".
_MASKABLE_FORMS: Final[dict[tuple[str, int], list[str]]] = {}
for _suffix in ("", "s", "ing", "in", "ed", "er"):
    for _word in MASKABLE:
        _full = _word + _suffix
        _MASKABLE_FORMS.setdefault((_full[0], len(_full)), []).append(_full)


def _demask(token: str) -> str:
    """Read a masked or leet-spelled word as the most likely word of the same shape.

    A mask character stands for any one letter; a leet digit for its letter. MASKABLE is
    ordered most-likely-first, so "f***" reads as the swear word and "f****t" as the slur.
    A plural or "-ing" ending written in clear is kept. Unknown shapes are left untouched.
    """
    core = token.strip("._-!")
    for full in _MASKABLE_FORMS.get((core[:1], len(core)), ()):
        for have, want in zip(core, full, strict=True):
            if have != want and have not in _MASK_CHARS and _LEET.get(have) != want:
                break
        else:
            return full
    return token


def _demask_match(match: re.Match[str]) -> str:
    token = match.group(0)
    core = token.rstrip("._-!")
    # keep a full stop or dash that ended the sentence after the masked word
    return _demask(core) + token[len(core) :]


def _placeholder(match: re.Match[str]) -> str:
    inner = match.group(1).strip().lower()
    if "slur" in inner or "word" in inner or "swear" in inner or "insult" in inner:
        for key, strand in SLUR_PLACEHOLDER_STRANDS:
            if key in inner:
                return f" slur{strand} "
        return " slurany "
    return f" {inner} "


def _n_word(match: re.Match[str]) -> str:
    return " slurrace "


_TOKEN_CACHE: dict[str, str] = {}
_TOKEN_CACHE_LIMIT: Final = 100_000


def _cached_token(raw: str) -> str:
    """``_token`` of the word with stretched letters squeezed, memoised: people use the
    same few thousand words over and over. A plain dict (cleared when full) is cheaper per
    call than functools.lru_cache. (A run of one letter never spans two words, so
    squeezing word by word is the same as squeezing the whole text.)"""
    out = _TOKEN_CACHE.get(raw)
    if out is None:
        if len(_TOKEN_CACHE) >= _TOKEN_CACHE_LIMIT:
            _TOKEN_CACHE.clear()
        out = _TOKEN_CACHE[raw] = _token(_STRETCHED.sub(r"\1", raw))
    return out


def _token(raw: str) -> str:
    """Rewrite one word: contractions, SMS-speak, dropped g's, masked words, fillers."""
    tok = raw.strip("'")
    if not tok:
        return " "
    if tok in _FILLERS:
        return ""
    if "'" in tok:
        if tok.endswith("n't"):
            base = tok[:-3]
            if base == "ca":
                return "can not"
            if base == "wo":
                return "will not"
            if base == "sha":
                return "shall not"
            return f"{base} not"
        base, _, tail = tok.rpartition("'")
        if tail == "re":
            return f"{base} are"
        if tail == "m":
            return f"{base} am"
        if tail == "ve":
            return f"{base} have"
        if tail == "ll":
            return f"{base} will"
        if tail == "d":
            return f"{base} would"
        if tail == "s":
            return f"{base} is" if base in _S_IS else base
        tok = base if tail == "" else tok.replace("'", "")
    expanded = _SMS.get(tok) or _CONTRACTIONS.get(tok)
    if expanded is not None:
        return expanded
    if tok.endswith("in") and tok[:-2] in _ING_STEMS:
        return tok + "g"
    if tok.endswith("in") and tok[:-3] in _ING_STEMS and tok[-3] == tok[-4]:
        return tok + "g"  # "hittin", "stabbin", "robbin"
    if not tok.isalpha() and not tok.isdigit() and any(c.isalpha() for c in tok):
        return _demask(tok)
    return tok


def normalise(text: str) -> Normalised:
    """Normalise one message (see the module docstring for the steps)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")
        text = text.replace("\u201c", '"').replace("\u201d", '"')
    lowered = text.lower()
    if lowered == text:
        shouting = text.count("!") >= 2
    else:
        if text.isascii():  # count in C: delete everything but letters / capitals
            raw = text.encode("ascii")
            letters = len(raw.translate(None, _NOT_LETTERS))
            upper = len(raw.translate(None, _NOT_UPPER))
        else:
            letters = len(_LETTERS.findall(text))
            upper = len(_UPPER.findall(text))
        shouting = (letters >= 4 and upper / letters > 0.6) or text.count("!") >= 2

    t = lowered
    if "asb" in t:
        t = _CASE_REF.sub(" casereference ", t)
    if "[" in t:
        t = _PLACEHOLDER.sub(_placeholder, t)
    if "word" in t:
        t = _N_WORD.sub(_n_word, t)
    if "*" in t or "#" in t or "@" in t or "$" in t:
        t = _MASKED.sub(_demask_match, t)
    if t.isascii():
        # one C-level pass: sentence punctuation -> " . ", commas -> " , ", the rest -> " "
        t = t.replace(" - ", " . ").encode("ascii").translate(_PUNCTUATION).decode("ascii")
        t = t.replace(".", " . ").replace(",", " , ").replace("&", " and ")
    else:
        t = _SENTENCE_END.sub(" . ", t)
        t = _COMMA.sub(" , ", t)
        t = t.replace("&", " and ")
        t = _NOT_WORD.sub(" ", t)
    # After the substitutions above the text is words of [a-z0-9'] and "." / "," tokens,
    # all separated by whitespace, so a split is enough to walk the words.
    get = _TOKEN_CACHE.get
    tokens = t.split()
    if _MARK_RUN.search(t):
        tokens = _dedupe_marks(tokens)
    t = " ".join([get(tok) or _cached_token(tok) for tok in tokens])
    if "you know" in t or "i mean" in t or "sort of" in t or "kind of" in t:
        t = _MULTI_FILLER.sub(" ", t)
    if "  " in t or t[:1] == " " or t[-1:] == " ":  # a dropped filler left a gap
        t = " ".join(t.split())
    return Normalised(text=f" {t} ", shouting=shouting)
