"""Safety flags across a conversation: once raised, a flag stays raised."""

from __future__ import annotations

from bot.cases.model import TriageFlags
from bot.safety.verdict import Verdict

_MAX_EVIDENCE = 20


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
            "hate_strands": sorted(set(current.hate_strands) | set(verdict.hate_strands)),
            "category": verdict.category if first_category else current.category,
            "subtype": verdict.subtype if first_category else current.subtype,
            "evidence": evidence,
        }
    )
