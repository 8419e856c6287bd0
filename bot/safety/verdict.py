"""What the safety triage decides about one message, and why: plain data, so that
the parts that act on a verdict (the emergency desk, the flags, partner payloads, the
worker and the action server) never load the model or scikit-learn."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Evidence", "Thresholds", "Verdict"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a flag was raised: which flag, what raised it ("model", "context", "answer")
    and the words."""

    flag: str
    cue: str
    words: str

    def as_dict(self) -> dict[str, str]:
        return {"flag": self.flag, "cue": self.cue, "words": self.words}

    def short(self) -> str:
        """The words, marked when they were the resident's earlier messages."""
        return f"earlier: {self.words}" if self.cue == "context" else self.words

    def line(self) -> str:
        """One line for a call handler: "hate_crime: go back to your own country"."""
        return f"{self.flag}: {self.short()}"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Probability thresholds, chosen at training time (bot/safety/train.py)."""

    emergency_flag: float
    emergency_ask: float
    hate_flag: float
    hate_ask: float
    strand: float = 0.5
    # A message in the middle of a report, with nothing flagged before it, is flagged only
    # from here up, and asked about below it (None: as any other message).
    emergency_flag_answer: float | None = None
    # A hate flag from here up is told to the resident at once ("will be treated as a hate
    # incident"); below it they are asked whether they were targeted for who they are
    # (None: every hate flag is told).
    hate_sure: float | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    """The verdict on one message. Fields follow CONTRACT section 2."""

    emergency: bool
    hate_crime: bool
    hate_strands: list[str]
    category: str
    subtype: str
    danger_question: bool = False  # not flagged, but danger is possible: ask first
    hate_question: bool = False  # not flagged, but hostility to who they are is possible
    hate_sure: bool = False  # flagged above `Thresholds.hate_sure`: told at once
    evidence: list[Evidence] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    # A reply's emergency probability read with no context at all: how much its own words
    # alarm (None for a first message). Not a score of the contract's output line.
    emergency_alone: float | None = None
    # Asked about only because, read as one with the messages before it, it would be
    # flagged ("smoke everywhere" after a fire): what the earlier messages raised.
    context_evidence: list[Evidence] = field(default_factory=list)

    def contract_dict(self) -> dict[str, Any]:
        """The fields of the `asb-intake triage` output line (without the id)."""
        return {
            "emergency": self.emergency,
            "hate_crime": self.hate_crime,
            "hate_strands": list(self.hate_strands),
            "category": self.category,
            "subtype": self.subtype,
            "danger_question": self.danger_question,
            "evidence": [e.short() for e in self.evidence],
            "scores": dict(self.scores),
        }
