"""Recall and precision of the safety flags, and category accuracy, on the labelled sets.

``labelled.jsonl`` was written before the detector was tuned; ``holdout.jsonl`` was split
off at the same time and only used to check that the detector generalises. Both must meet
the targets that the service is held to on unseen messages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.triage import triage

HERE = Path(__file__).parent
SETS = ("labelled.jsonl", "holdout.jsonl")

EMERGENCY_RECALL = 0.98
EMERGENCY_PRECISION = 0.90
HATE_RECALL = 0.95
HATE_PRECISION = 0.90
CATEGORY_ACCURACY = 0.80


def load(name: str) -> list[dict[str, Any]]:
    with (HERE / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass
class Scores:
    n: int = 0
    e_tp: int = 0
    e_fp: int = 0
    e_fn: int = 0
    h_tp: int = 0
    h_fp: int = 0
    h_fn: int = 0
    category_right: int = 0

    @staticmethod
    def ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    @property
    def e_recall(self) -> float:
        return self.ratio(self.e_tp, self.e_tp + self.e_fn)

    @property
    def e_precision(self) -> float:
        return self.ratio(self.e_tp, self.e_tp + self.e_fp)

    @property
    def h_recall(self) -> float:
        return self.ratio(self.h_tp, self.h_tp + self.h_fn)

    @property
    def h_precision(self) -> float:
        return self.ratio(self.h_tp, self.h_tp + self.h_fp)

    @property
    def accuracy(self) -> float:
        return self.ratio(self.category_right, self.n)


def score(rows: list[dict[str, Any]]) -> tuple[Scores, list[str]]:
    s = Scores()
    misses: list[str] = []
    for row in rows:
        v = triage(row["text"], row["channel"])
        s.n += 1
        for flag, got, want in (
            ("emergency", v.emergency, row["emergency"]),
            ("hate", v.hate_crime, row["hate_crime"]),
        ):
            prefix = "e" if flag == "emergency" else "h"
            if got and want:
                setattr(s, f"{prefix}_tp", getattr(s, f"{prefix}_tp") + 1)
            elif got:
                setattr(s, f"{prefix}_fp", getattr(s, f"{prefix}_fp") + 1)
                misses.append(f"{flag} false alarm: {row['text']}")
            elif want:
                setattr(s, f"{prefix}_fn", getattr(s, f"{prefix}_fn") + 1)
                misses.append(f"{flag} missed: {row['text']}")
        if v.category == row["category"]:
            s.category_right += 1
        else:
            misses.append(f"category {row['category']} read as {v.category}: {row['text']}")
    return s, misses


@pytest.mark.parametrize("name", SETS)
def test_flags_and_category_meet_targets(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    rows = load(name)
    s, misses = score(rows)
    with capsys.disabled():
        print(
            f"\n{name}: n={s.n} | emergency recall {s.e_recall:.3f} precision "
            f"{s.e_precision:.3f} | hate recall {s.h_recall:.3f} precision "
            f"{s.h_precision:.3f} | category accuracy {s.accuracy:.3f}"
        )
        for line in misses:
            print("  ", line)
    assert s.e_recall >= EMERGENCY_RECALL, misses
    assert s.e_precision >= EMERGENCY_PRECISION, misses
    assert s.h_recall >= HATE_RECALL, misses
    assert s.h_precision >= HATE_PRECISION, misses
    assert s.accuracy >= CATEGORY_ACCURACY, misses


@pytest.mark.parametrize("name", SETS)
def test_data_set_is_well_formed_and_varied(name: str) -> None:
    rows = load(name)
    strands = {"race", "religion", "sexual_orientation", "disability", "transgender"}
    for row in rows:
        assert set(row) == {
            "text",
            "channel",
            "emergency",
            "hate_crime",
            "hate_strands",
            "category",
            "subtype",
        }
        assert row["channel"] in {"sms", "chat", "voice", None}
        assert row["category"] in {"personal", "nuisance", "environmental", "none"}
        assert set(row["hate_strands"]) <= strands
        assert row["hate_crime"] == bool(row["hate_strands"])
        assert row["hate_strands"] == sorted(row["hate_strands"])
    # every kind of message is represented, so a target cannot be met by one class alone
    assert sum(r["emergency"] for r in rows) >= 40
    assert sum(r["hate_crime"] for r in rows) >= 25
    assert sum(not r["emergency"] and not r["hate_crime"] for r in rows) >= 100
    assert {"sms", "chat", "voice"} <= {r["channel"] for r in rows}


def test_sets_do_not_overlap_and_are_large_enough() -> None:
    labelled = {r["text"] for r in load("labelled.jsonl")}
    holdout = {r["text"] for r in load("holdout.jsonl")}
    assert not labelled & holdout
    assert len(labelled) + len(holdout) >= 400
    assert len(holdout) >= 0.25 * (len(labelled) + len(holdout))
