"""How well verdicts match labels: the figures `asb-intake triage --eval` prints and the
training report records (docs/safety-labelling.md says what the labels mean)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from bot.safety.corpus import CATEGORIES, Example
from bot.safety.verdict import Verdict

__all__ = ["Scorecard", "confusion_table", "score"]


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass(frozen=True)
class Scorecard:
    messages: int
    emergencies: int
    emergency_recall: float | None  # flagged
    emergency_caught: float | None  # flagged, or the danger question asked
    emergency_precision: float | None
    danger_question_rate: float | None  # of non-emergencies, asked the danger question
    hate_incidents: int
    hate_recall: float | None
    hate_precision: float | None
    strand_right: float | None  # of hate incidents, flagged with a labelled strand
    category_accuracy: float | None
    subtype_accuracy: float | None

    def as_dict(self) -> dict[str, float | int | None]:
        return asdict(self)


def score(examples: Sequence[Example], verdicts: Sequence[Verdict]) -> Scorecard:
    pairs = list(zip(examples, verdicts, strict=True))
    emergencies = [v for e, v in pairs if e.emergency]
    calm = [v for e, v in pairs if not e.emergency]
    flagged = [e for e, v in pairs if v.emergency]
    hate = [(e, v) for e, v in pairs if e.hate_crime]
    hate_flagged = [e for e, v in pairs if v.hate_crime]
    return Scorecard(
        messages=len(pairs),
        emergencies=len(emergencies),
        emergency_recall=_ratio(sum(v.emergency for v in emergencies), len(emergencies)),
        emergency_caught=_ratio(
            sum(v.emergency or v.danger_question for v in emergencies), len(emergencies)
        ),
        emergency_precision=_ratio(sum(e.emergency for e in flagged), len(flagged)),
        danger_question_rate=_ratio(sum(v.danger_question for v in calm), len(calm)),
        hate_incidents=len(hate),
        hate_recall=_ratio(sum(v.hate_crime for _, v in hate), len(hate)),
        hate_precision=_ratio(sum(e.hate_crime for e in hate_flagged), len(hate_flagged)),
        strand_right=_ratio(
            sum(v.hate_crime and bool(set(v.hate_strands) & set(e.hate_strands)) for e, v in hate),
            len(hate),
        ),
        category_accuracy=_ratio(sum(e.category == v.category for e, v in pairs), len(pairs)),
        subtype_accuracy=_ratio(sum(e.subtype == v.subtype for e, v in pairs), len(pairs)),
    )


def _outcome(v: Verdict) -> str:
    return "flag" if v.emergency else "ask" if v.danger_question else "clear"


def confusion_table(examples: Sequence[Example], verdicts: Sequence[Verdict]) -> str:
    """Emergency outcome by label, and category by label (rows: labelled; columns: given)."""
    pairs = list(zip(examples, verdicts, strict=True))
    outcomes = Counter((e.emergency, _outcome(v)) for e, v in pairs)
    lines = ["emergency   flag    ask  clear"]
    for flagged in (True, False):
        counts = "".join(f"{outcomes[(flagged, o)]:>7}" for o in ("flag", "ask", "clear"))
        lines.append(f"{str(flagged).lower():<10}{counts}")
    categories = Counter((e.category, v.category) for e, v in pairs)
    lines += ["", "category      " + "".join(f"{c[:8]:>9}" for c in CATEGORIES)]
    for label in CATEGORIES:
        counts = "".join(f"{categories[(label, c)]:>9}" for c in CATEGORIES)
        lines.append(f"{label:<14}{counts}")
    return "\n".join(lines)
