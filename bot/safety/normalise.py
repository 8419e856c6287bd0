"""One spelling for the many ways residents write the same words (tables in spelling.yml).

"THEY'RE KICKIN MY DOOR IN!!!", "theyre kicking my door in" and, from the phone line,
"um theyre kicking my door in" all read as "they are kicking my door in". The model's
character n-grams cope with the misspellings this does not fold.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib.resources import files
from typing import Any, Final

import yaml

__all__ = ["normalise", "package_yaml", "shouting"]


@cache
def package_yaml(name: str) -> dict[str, Any]:
    """One of the safety package's YAML tables (spelling.yml, cues.yml), read once."""
    text = files("bot.safety").joinpath(name).read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def _tables() -> dict[str, Any]:
    return package_yaml("spelling.yml")


def _table(name: str) -> dict[str, str]:
    table = _tables()[name]
    assert isinstance(table, dict)
    return {str(k): str(v) for k, v in table.items()}


_LEET: Final = _table("leet")
_WORDS: Final = {**_table("contractions"), **_table("sms")}
_FILLERS: Final = frozenset(str(w) for w in _tables()["fillers"])

_APOSTROPHES: Final = re.compile("['\u2019\u2018`\u00b4]")  # straight, curly, grave, acute
# A masking character or a digit between two letters (or other masks): "f@g", "n1gger", "tr4nny".
_MASKED: Final = re.compile(r"(?<=[a-z*])[" + re.escape("".join(_LEET)) + r"](?=[a-z*])")
_STRETCHED: Final = re.compile(r"([a-z])\1{2,}")
_TOKENS: Final = re.compile(r"[a-z0-9*]+|[.?!,]")


def _unmask(match: re.Match[str]) -> str:
    return _LEET.get(match.group(0), match.group(0))


@cache
def _word(token: str) -> str:
    return _WORDS.get(token, token)


def normalise(text: str) -> str:
    """Lower case, masks read as letters, stretched letters squeezed ("heeelp" -> "heelp"),
    contractions and SMS-speak spelled out, fillers dropped; words and sentence marks
    separated by single spaces."""
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = _APOSTROPHES.sub("", folded)
    folded = _MASKED.sub(_unmask, folded)
    folded = _STRETCHED.sub(r"\1\1", folded)
    words = (_word(t) for t in _TOKENS.findall(folded) if t not in _FILLERS)
    return " ".join(words)


def shouting(text: str) -> bool:
    """Written mostly in capitals (at least six letters of them)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 6 and sum(c.isupper() for c in letters) / len(letters) > 0.7
