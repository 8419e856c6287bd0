"""Safety flags across a conversation: once raised, a flag stays raised."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from bot.safety.verdict import Verdict

_MAX_EVIDENCE = 20


class SafetyFlags(BaseModel):
    """Safety flags raised on any message of the conversation; they only ever accumulate."""

    emergency: bool = False
    hate_crime: bool = False
    hate_strands: list[str] = Field(default_factory=list)
    category: str = "none"
    subtype: str = "none"
    # The danger question ("is anyone in danger or hurt right now?"), asked when the
    # safety model was unsure: the resident's answer, and whether danger stayed unconfirmed
    # (no usable answer after two asks: the case's risk is then raised).
    danger_question: Literal["yes", "no", "unanswered"] | None = None
    danger_unconfirmed: bool = False


class TriageFlags(SafetyFlags):
    """The flags with their evidence: the cues and the resident's words that raised them."""

    evidence: list[dict[str, str]] = Field(default_factory=list)
    # Whether the resident has been told it is treated as a hate incident: at once when
    # the model was sure, else once they say they were targeted for who they are.
    hate_told: bool = False

    def contract_dict(self) -> dict[str, object]:
        """The flags without their evidence, in the shape of CONTRACT section 2."""
        return self.model_dump(exclude={"evidence", "hate_told"})


def merge_flags(current: TriageFlags, verdict: Verdict) -> TriageFlags:
    """Add one message's verdict to the conversation's flags. Nothing is removed while a
    report is under way; storing its case (bot/cases/store.py), or the resident's own
    "stop" or "start again" (actions/conversation_control.py), clears them for the next."""
    evidence = list(current.evidence)
    for item in verdict.evidence:
        entry = item.as_dict()
        if entry not in evidence and len(evidence) < _MAX_EVIDENCE:
            evidence.append(entry)
    first_category = current.category == "none" and verdict.category != "none"
    return current.model_copy(
        update={
            "emergency": current.emergency or verdict.emergency,
            "hate_crime": current.hate_crime or verdict.hate_crime,
            "hate_told": current.hate_told or verdict.hate_sure,
            "hate_strands": sorted(set(current.hate_strands) | set(verdict.hate_strands)),
            "category": verdict.category if first_category else current.category,
            "subtype": verdict.subtype if first_category else current.subtype,
            "evidence": evidence,
        }
    )
