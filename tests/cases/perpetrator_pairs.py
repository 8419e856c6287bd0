"""Scores the perpetrator matcher on labelled pairs of reports (data/linking/).

    .venv/bin/python -m tests.cases.perpetrator_pairs

prints precision and recall on each set. `dev` to `dev10` are the sets the
matcher was developed on, each written by a separate writer who never saw the matcher
(each scored first as unseen data, then used to improve it; `dev5` to `dev10`, the hard
near misses, only for their false links so far, so the tests hold their precision and
the recall of `dev` to `dev4`); `heldout` was written
separately, from a brief of kinds, and is never used to choose rules or words: only its
totals are read. The gap between them is the figure to watch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bot.cases.perpetrators import same_perpetrator
from bot.cases.sightings import Sighting
from bot.platform.settings import PROJECT_ROOT

SETS = PROJECT_ROOT / "data" / "linking"


@dataclass(frozen=True)
class Scores:
    pairs: int
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        same = self.true_positives + self.false_negatives
        return self.true_positives / same if same else 1.0


def _sighting(report: dict[str, str | None]) -> Sighting:
    return Sighting(report["people_involved"] or "", report["location"] or "", report["postcode"])


def evaluate(path: Path) -> Scores:
    tp = fp = fn = pairs = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        pairs += 1
        said_same = same_perpetrator(_sighting(pair["a"]), _sighting(pair["b"]))
        tp += said_same and pair["same"]
        fp += said_same and not pair["same"]
        fn += pair["same"] and not said_same
    return Scores(pairs, tp, fp, fn)


if __name__ == "__main__":
    for folder in sorted(SETS.iterdir()):
        scores = evaluate(folder / "perpetrator_pairs.jsonl")
        print(
            f"{folder.name:8} {scores.pairs:4} pairs  precision {scores.precision:.3f}  "
            f"recall {scores.recall:.3f}  (false links {scores.false_positives}, "
            f"missed {scores.false_negatives})"
        )
