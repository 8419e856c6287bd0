"""The safety verdict on one message, read in its conversation's context: flag, ask or clear.

Usage::

    from bot.safety.triage import triage
    v = triage("thats him at the bottom of the stairs now", "chat",
               context=["he keeps texting that he will finish it tonight"])
    v.emergency, v.danger_question, v.hate_crime, v.hate_strands, v.category, v.subtype
    v.evidence   # why each flag was raised: the words that drove it
    v.scores     # the model's probabilities

The model (bot/safety/model.py) gives probabilities; the thresholds that turn them into
decisions were chosen when it was trained, on predictions for messages each model had
not seen (bot/safety/train.py), and travel with it. Between the "ask" and "flag"
thresholds the service asks "is anyone in danger or hurt right now?" before going on.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any, Final

import joblib
import numpy as np
from sklearn import config_context
from sklearn.pipeline import Pipeline

from bot.safety.corpus import STRANDS, SUBTYPES
from bot.safety.cues import matched_words
from bot.safety.danger_question import would_ask
from bot.safety.flags import TriageFlags, merge_flags
from bot.safety.model import (
    CONTEXT_MESSAGES,
    SafetyHeads,
    contributions,
    feature_names,
    reading_rows,
    transform_rows,
)
from bot.safety.rules import emergency_continued, plea_asked
from bot.safety.verdict import Evidence, Thresholds, Verdict

__all__ = ["MODEL_PATH", "Evidence", "SafetyModel", "Thresholds", "Verdict", "triage"]

MODEL_PATH: Final = Path(__file__).resolve().parents[2] / "models" / "safety" / "model.joblib"
_MAX_EVIDENCE: Final = 4
# The heads every verdict needs; the strands are asked for only when hate is flagged.
_DECIDING_HEADS: Final = ("emergency", "hate_crime", "category", "subtype")
# Words that say nothing on their own as evidence ("with", "the"), though as part of a
# phrase ("with a knife") they may.
_FUNCTION_WORDS: Final = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "am",
        "i",
        "me",
        "my",
        "we",
        "us",
        "our",
        "you",
        "your",
        "he",
        "him",
        "his",
        "she",
        "her",
        "they",
        "them",
        "their",
        "it",
        "its",
        "this",
        "that",
        "there",
        "right",
        "so",
        "just",
        "very",
    ]
)


class SafetyModel:
    """A trained model and its thresholds, as written by bot/safety/train.py."""

    def __init__(self, artefact: dict[str, Any]):
        self.pipeline: Pipeline = artefact["pipeline"]
        self.thresholds = Thresholds(**artefact["thresholds"])
        self.corpus_sha256: str = artefact["corpus_sha256"]
        # Read once here, not on the first flagged message (tens of milliseconds).
        self._names = feature_names(self.pipeline.named_steps["features"])

    @classmethod
    def load(cls, path: Path | None = None) -> SafetyModel:
        path = path or Path(os.environ.get("ASB_SAFETY_MODEL", MODEL_PATH))
        if not path.exists():
            raise FileNotFoundError(f"no safety model at {path}: build it with `make safety-model`")
        model = cls(joblib.load(path))
        # The first verdict compiles the word lists' patterns and warms scikit-learn
        # (about 35 ms): paid here, at start-up, not by the first resident.
        model.judge("hello")
        return model

    def judge(self, text: str, context: Sequence[str] = ()) -> Verdict:
        return self.judge_many([(text, context)])[0]

    def judge_as_served(self, text: str, context: Sequence[str]) -> Verdict:
        """The verdict the running service acts on for the last of a resident's messages:
        the earlier ones judged in turn, each with those before it, make the report's flags,
        and whether the danger question is asked follows from them (`would_ask`)."""
        flags = TriageFlags()
        for i, earlier in enumerate(context):
            before = context[max(0, i - CONTEXT_MESSAGES) : i]
            # as the service judged it then: with what was flagged before it
            judged = self.judge(earlier, before)
            judged = self.in_conversation(judged, earlier, flags.emergency, before)
            flags = merge_flags(flags, judged)
        verdict = self.in_conversation(self.judge(text, context), text, flags.emergency, context)
        return replace(verdict, danger_question=would_ask(verdict, flags))

    def in_conversation(
        self, verdict: Verdict, text: str, emergency_before: bool, context: Sequence[str]
    ) -> Verdict:
        """A message's verdict as its conversation makes it: a plea alone is asked about
        (unless an emergency of the conversation is open), a message in the middle of a
        report is held to the answers' higher bar, and what goes on with an open emergency
        is part of it. The running service and `judge_as_served` both act on this."""
        verdict = plea_asked(verdict, text, emergency_before)
        answering = bool(context) and not emergency_before
        verdict = held_as_answer(verdict, answering, self.thresholds)
        return emergency_continued(verdict, emergency_before)

    def judge_many(self, rows: Sequence[tuple[str, Sequence[str]]]) -> list[Verdict]:
        """Verdicts for messages with their contexts; one transform for all of them.
        Inputs are made here, so scikit-learn's own input checks are skipped (they cost
        more than the model on a single message)."""
        if not rows:
            return []
        inputs, owners, kinds = reading_rows(rows)
        with config_context(assume_finite=True, skip_parameter_validation=True):
            matrix = np.array(inputs, dtype=object)
            features = transform_rows(self.pipeline.named_steps["features"], matrix)
            heads: SafetyHeads = self.pipeline.named_steps["heads"]
            proba = heads.predict_proba(features, _DECIDING_HEADS)
            by_message: list[list[Verdict]] = [[] for _ in rows]
            together: list[Verdict | None] = [None] * len(rows)
            alone: list[float | None] = [None] * len(rows)  # a reply's, read by itself
            for i, row in enumerate(inputs):
                if kinds[i] == "alone":
                    alone[owners[i]] = float(proba["emergency"][i])
                    continue
                mine = {h: p[i : i + 1] for h, p in proba.items()}
                verdict = self._decide(mine, features[i], row, reads_hate=kinds[i] == "whole")
                if kinds[i] == "joined":
                    together[owners[i]] = verdict
                else:
                    by_message[owners[i]].append(verdict)
        ask = self.thresholds.emergency_ask
        rounded = [None if a is None else round(a, 4) for a in alone]
        return [
            replace(
                _asked_from_context(_combined(own), with_before, (alone[i] or 0.0) >= ask),
                emergency_alone=rounded[i],
            )
            for i, (own, with_before) in enumerate(zip(by_message, together, strict=True))
        ]

    def _heads(self) -> SafetyHeads:
        heads: SafetyHeads = self.pipeline.named_steps["heads"]
        return heads

    def _decide(
        self, proba: dict[str, Any], features: Any, row: list[str], reads_hate: bool
    ) -> Verdict:
        """Decisions from the probabilities of one reading (`row`: the model's input); hate,
        its strands and its evidence only for a reading that decides it (`reads_hate`)."""
        t = self.thresholds
        heads = self.pipeline.named_steps["heads"]
        p_emergency = float(proba["emergency"][0])
        p_hate = float(proba["hate_crime"][0])
        emergency = p_emergency >= t.emergency_flag
        hate = reads_hate and p_hate >= t.hate_flag
        strands: list[str] = []
        if hate:
            strand_heads = [f"strand_{s}" for s in STRANDS]
            strand_p = heads.predict_proba(features, strand_heads)
            by_strand = {s: float(strand_p[f"strand_{s}"][0]) for s in STRANDS}
            strands = sorted(s for s, p in by_strand.items() if p >= t.strand) or [
                max(by_strand, key=by_strand.__getitem__)
            ]
        category, subtype = _kind(
            heads.classes_["category"],
            proba["category"][0],
            heads.classes_["subtype"],
            proba["subtype"][0],
            flagged=emergency or hate,
        )
        evidence: list[Evidence] = []
        if emergency:
            evidence += _evidence(self._heads(), self._names, features, "emergency", row)
        if hate:
            evidence += _evidence(self._heads(), self._names, features, "hate_crime", row)
        return Verdict(
            emergency=emergency,
            hate_crime=hate,
            hate_strands=strands,
            category=category,
            subtype=subtype,
            danger_question=not emergency and p_emergency >= t.emergency_ask,
            hate_question=reads_hate and not hate and p_hate >= t.hate_ask,
            hate_sure=hate and p_hate >= (t.hate_sure or t.hate_flag),
            evidence=evidence,
            scores={"emergency": round(p_emergency, 4), "hate_crime": round(p_hate, 4)},
        )


def held_as_answer(verdict: Verdict, answering: bool, thresholds: Thresholds) -> Verdict:
    """A message in the middle of a report with nothing flagged before it (`answering`) is
    flagged only above the higher bar chosen for answers
    (`Thresholds.emergency_flag_answer`), and below it asked about, if the report has not
    been asked already (after "no, nobody is in danger", an answer needs more to be one),
    and only if its own words give some cause to ask: read with the worrying account before
    it, "Please send a letter to my house, I do not hear the phone well" scored as high as
    an emergency (one simulated resident in four, none in danger, was asked about danger,
    half of them over an answer to the form). What this misses: an answer below the bar
    whose words are calm by themselves and alarming only with what came before ("the same
    as before", "yes now"); what is flagged above the bar still is."""
    bar = thresholds.emergency_flag_answer
    if not answering or bar is None or verdict.scores.get("emergency", 1.0) >= bar:
        return verdict
    alone = verdict.emergency_alone
    calm_alone = alone is not None and alone < thresholds.emergency_ask
    if verdict.emergency:  # under the answers' bar: asked about, if its words give cause
        kept = [e for e in verdict.evidence if e.flag != "emergency"]
        return replace(verdict, emergency=False, danger_question=not calm_alone, evidence=kept)
    if verdict.danger_question and calm_alone:
        return replace(verdict, danger_question=False)
    return verdict


def _asked_from_context(
    verdict: Verdict, with_before: Verdict | None, alarmed_alone: bool
) -> Verdict:
    """A short message that is an emergency only when read as one with the messages
    before it ("smoke everywhere" after "someone's set light to the mattress in our
    stairwell") is asked about, never flagged on that alone: what it adds is the earlier
    messages' alarm, and that may be over. It is read as the incident it continues, with
    the earlier messages' evidence. Only when it gives some cause to ask read with no
    context at all (`alarmed_alone`): "we own it" or "txt" after a worrying account adds
    nothing to it, and those messages were judged as they came (asked of every answer so,
    one simulated resident in four, none in danger, was asked, most of them mid-form).
    What this misses: a short message whose words alone are calm that confirms danger
    only with what came before ("yes now", "the same as before"), unless it is flagged."""
    if with_before is None or verdict.emergency or not with_before.emergency or not alarmed_alone:
        return verdict
    return replace(
        verdict,
        danger_question=True,
        category=with_before.category,
        subtype=with_before.subtype,
        context_evidence=[
            Evidence(e.flag, "context", e.words)
            for e in with_before.evidence
            if e.flag == "emergency"
        ],
    )


def _combined(verdicts: Sequence[Verdict]) -> Verdict:
    """One message's verdict from its readings (the whole, then its last sentence in the
    context of the rest): an emergency or a danger question either raises stands, and the
    category is the one of the reading that raised the emergency, else of the whole
    message. Hate is the whole message's: read alone, a last sentence such as "Also they
    shout at us." took the hostility of the hate reports it resembles (on the dev folds,
    hate recall 0.930 from the whole message against 0.926 from both, at precision 0.90)."""
    whole, *rest = verdicts
    if not rest:
        return whole
    emergency = any(v.emergency for v in verdicts)
    kind = next((v for v in verdicts if v.emergency), whole)
    evidence = [
        *whole.evidence,
        *(e for v in rest for e in v.evidence if e.flag == "emergency"),
    ]
    return Verdict(
        emergency=emergency,
        hate_crime=whole.hate_crime,
        hate_strands=whole.hate_strands,
        category=kind.category,
        subtype=kind.subtype,
        danger_question=not emergency and any(v.danger_question for v in verdicts),
        hate_question=whole.hate_question,
        hate_sure=whole.hate_sure,
        evidence=list(dict.fromkeys(evidence)),
        scores={
            "emergency": max(v.scores["emergency"] for v in verdicts),
            "hate_crime": whole.scores["hate_crime"],
        },
    )


def _kind(
    categories: list[str],
    p_category: Any,
    subtypes: list[str],
    p_subtype: Any,
    flagged: bool,
) -> tuple[str, str]:
    """The most likely category (never "none" for a flagged message) and the most likely
    subtype within it."""
    ranked = sorted(zip(p_category, categories, strict=True), reverse=True)
    category = next(c for _, c in ranked if not (flagged and c == "none"))
    allowed = SUBTYPES[category]
    best = (
        max((p, s) for p, s in zip(p_subtype, subtypes, strict=True) if s in allowed)
        if any(s in allowed for s in subtypes)
        else (0.0, allowed[0])
    )
    return category, best[1]


def _evidence(
    heads: SafetyHeads, names: list[tuple[str, str]], features: Any, flag: str, row: list[str]
) -> list[Evidence]:
    """The words that raised `flag` most: each word of the (normalised) message scored by
    the word, character and word-list features it takes part in, the strongest kept; and
    the strongest of the context, when the context carried much of the flag."""
    text, context = row
    words: dict[str, float] = {}
    earlier: dict[str, float] = {}
    tokens = text.split()
    for c in contributions(heads, names, features, flag):
        if c.block == "context" or c.feature.startswith("context "):
            for w in matched_words(c.feature, text, context) if c.block == "cues" else [c.feature]:
                earlier[w] = earlier.get(w, 0.0) + c.weight
            continue
        if c.block == "cues":
            holders = matched_words(c.feature, text, context)
        elif c.block == "words":
            holders = [c.feature]
        else:
            holders = [t for t in tokens if c.feature.strip() in t]
        for w in holders:
            words[w] = words.get(w, 0.0) + c.weight / len(holders)
    out = [Evidence(flag, "model", w) for w in _strongest(words)]
    if earlier and sum(earlier.values()) >= 0.5 * sum(words.values()):
        out += [Evidence(flag, "context", w) for w in _strongest(earlier, limit=2)]
    return out or [Evidence(flag, "model", "the message as a whole")]


def _strongest(scores: dict[str, float], limit: int = _MAX_EVIDENCE) -> list[str]:
    """The strongest words and phrases, leaving out function words and any word already
    shown inside a stronger phrase."""
    ranked = sorted(
        ((w, s) for w, s in scores.items() if len(w) > 1 and set(w.split()) - _FUNCTION_WORDS),
        key=lambda ws: -ws[1],
    )
    if not ranked:
        return []
    top = ranked[0][1]
    kept: list[str] = []
    for words, strength in ranked:
        if strength < 0.25 * top or len(kept) == limit:
            break
        if not any(f" {words} " in f" {k} " or f" {k} " in f" {words} " for k in kept):
            kept.append(words)
    return kept


@cache
def default_model() -> SafetyModel:
    return SafetyModel.load()


def triage(text: str, channel: str | None = None, context: Sequence[str] = ()) -> Verdict:
    """The verdict on one message with the service's model. The channel does not change
    the reading (voice transcripts and SMS-speak are in the training data); it is accepted
    so that callers pass what they know."""
    del channel
    return default_model().judge(text, context)
