"""Safety triage: emergency and hate-crime cues on every message, before any NLU.

Deterministic, standard library only, microseconds per message. Usage::

    from bot.triage import triage
    v = triage("theres lads outside wiv a blade rn", channel="sms")
    v.emergency, v.hate_crime, v.hate_strands, v.category, v.subtype
    v.evidence          # [Evidence(flag, cue, words), ...] : why each flag was raised
    v.contract_dict()   # the fields of `asb-intake triage` (CONTRACT section 2)

Modules: ``normalise`` (SMS-speak, masking, fillers), ``lexicon`` (the cue data),
``tense`` (now vs then), ``cues`` and ``gating`` (matching the cue patterns cheaply, and
only those a message's words allow), ``detector`` (combining them), ``cli`` (JSON Lines
tool).
"""

from bot.triage.detector import CATEGORIES, STRANDS, Evidence, Verdict, triage

__all__ = ["CATEGORIES", "STRANDS", "Evidence", "Verdict", "triage"]
