"""The labelled safety corpus: one JSON object a line (docs/safety-labelling.md).

Standard library only, so a writer can check a file with ``python3 -m bot.safety.corpus FILE``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

STRANDS: Final = ("disability", "race", "religion", "sexual_orientation", "transgender")
CHANNELS: Final = ("sms", "chat", "voice")
SUBTYPES: Final[dict[str, tuple[str, ...]]] = {
    "personal": (
        "weapon",
        "violence",
        "threats",
        "intruder",
        "fire",
        "harassment",
        "intimidation",
        "criminal_damage",
    ),
    "nuisance": (
        "noise",
        "drugs",
        "drinking",
        "rowdy_behaviour",
        "vehicle_nuisance",
        "neighbour_dispute",
        "begging",
        "fireworks",
        "dog_nuisance",
        "trespass",
    ),
    "environmental": (
        "graffiti",
        "fly_tipping",
        "litter",
        "dog_fouling",
        "vandalism",
        "abandoned_vehicle",
        "bonfire",
        "fire",
    ),
    "none": ("none",),
}
CATEGORIES: Final = tuple(SUBTYPES)
ALL_SUBTYPES: Final = tuple(sorted({s for subs in SUBTYPES.values() for s in subs}))
MAX_CONTEXT: Final = 4


class CorpusError(ValueError):
    """A line that does not follow the labelling guide."""


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled message, read in its conversation's context."""

    text: str
    emergency: bool
    hate_crime: bool
    hate_strands: tuple[str, ...]
    category: str
    subtype: str
    channel: str | None = None
    context: tuple[str, ...] = field(default_factory=tuple)
    kind: str = ""


def parse_example(value: Any) -> Example:
    """One example from a decoded JSON line, or CorpusError saying what is wrong."""
    if not isinstance(value, dict):
        raise CorpusError("not a JSON object")
    text = value.get("text")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError('"text" must be a non-empty string')
    for flag in ("emergency", "hate_crime"):
        if not isinstance(value.get(flag), bool):
            raise CorpusError(f'"{flag}" must be true or false')
    strands = value.get("hate_strands", [])
    if not isinstance(strands, list) or any(s not in STRANDS for s in strands):
        raise CorpusError(f'"hate_strands" must be a list drawn from {", ".join(STRANDS)}')
    if strands and not value["hate_crime"]:
        raise CorpusError('"hate_strands" must be empty when "hate_crime" is false')
    if value["hate_crime"] and not strands:
        raise CorpusError('a hate crime needs at least one strand in "hate_strands"')
    category, subtype = value.get("category"), value.get("subtype")
    if category not in SUBTYPES:
        raise CorpusError(f'"category" must be one of {", ".join(CATEGORIES)}')
    if subtype not in SUBTYPES[category]:
        raise CorpusError(
            f'"subtype" for {category} must be one of {", ".join(SUBTYPES[category])}'
        )
    if (value["emergency"] or value["hate_crime"]) and category == "none":
        raise CorpusError('a flagged message cannot have category "none"')
    channel = value.get("channel")
    if channel is not None and channel not in CHANNELS:
        raise CorpusError(f'"channel" must be one of {", ".join(CHANNELS)} or absent')
    context = value.get("context", [])
    if not isinstance(context, list) or not all(isinstance(c, str) for c in context):
        raise CorpusError('"context" must be a list of strings')
    if len(context) > MAX_CONTEXT:
        raise CorpusError(f'"context" holds at most {MAX_CONTEXT} earlier messages')
    kind = value.get("kind", "")
    return Example(
        text=text,
        emergency=value["emergency"],
        hate_crime=value["hate_crime"],
        hate_strands=tuple(sorted(set(strands))),
        category=category,
        subtype=subtype,
        channel=channel,
        context=tuple(context),
        kind=kind if isinstance(kind, str) else "",
    )


def read_examples(path: Path) -> Iterator[Example]:
    """Every example of a JSON Lines file; CorpusError names the first bad line."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                yield parse_example(json.loads(line))
            except (json.JSONDecodeError, CorpusError) as exc:
                raise CorpusError(f"{path}:{number}: {exc}") from exc


def load(paths: Iterable[Path]) -> list[Example]:
    """The examples of several files, in order."""
    return [example for path in paths for example in read_examples(path)]


def corpus_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.jsonl"))


def _summary(examples: list[Example]) -> str:
    n = len(examples)
    emergencies = sum(e.emergency for e in examples)
    hate = sum(e.hate_crime for e in examples)
    with_context = sum(bool(e.context) for e in examples)
    return (
        f"{n} examples: {emergencies} emergencies, {hate} hate incidents, "
        f"{with_context} with context"
    )


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python3 -m bot.safety.corpus FILE.jsonl [...]", file=sys.stderr)
        return 2
    try:
        examples = load(Path(a) for a in argv)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(_summary(examples))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
