"""The safety model: one scikit-learn Pipeline from a message (and its context) to the
probability of each flag, category and subtype.

Features are word 1-2-grams and character 2-5-grams of the normalised message (the
characters carry misspellings, masked slurs and recogniser errors the words miss), word
1-2-grams of the resident's earlier messages, kept apart so that "he's here now" reads
differently after "he said he'd kill me tonight", and the word lists of cues.yml (a
weapon, "now", a weapon and "now" together). The two flags are logistic regressions with
sigmoid-calibrated probabilities; each hate strand a logistic regression; category and
subtype multinomial ones. Evidence is read straight off the fitted weights: the words of
the message (and of its context) that pushed a flag's score up most.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from bot.safety.corpus import STRANDS
from bot.safety.cues import CueFeatures
from bot.safety.normalise import normalise
from bot.safety.rules import is_bare_reply

__all__ = [
    "FLAGS", "HEADS", "Probabilities", "Reading", "SafetyHeads", "build_pipeline",
    "joined_reading", "model_input", "reading_rows", "readings",
]  # fmt: skip

TEXT: Final = 0
CONTEXT: Final = 1
# The binary heads: the two flags and each hate strand.
FLAGS: Final = ("emergency", "hate_crime", *(f"strand_{s}" for s in STRANDS))
HEADS: Final = (*FLAGS, "category", "subtype")
CONTEXT_MESSAGES: Final = 3  # the resident's earlier messages read with each one
SHORT_MESSAGE_WORDS: Final = 6  # a message this short is read with the ones before it too


def model_input(text: str, context: Sequence[str] = ()) -> list[str]:
    """One row of the Pipeline's input: the normalised message and its recent context."""
    recent = context[-CONTEXT_MESSAGES:]
    return [normalise(text), " . ".join(normalise(c) for c in recent)]


# Where one sentence ends and the next begins, in what a resident typed.
_SENTENCE_BREAK: Final = re.compile(r"(?<=[.!?])\s+|\n+")


def readings(text: str, context: Sequence[str] = ()) -> list[list[str]]:
    """The rows a message is judged by: the whole of it and, when it has more than one
    sentence, its last sentence read with the ones before it as their context. Residents
    often tell the background first and what is happening now last ("... the music has
    gone on since March. One of them has just climbed into my garden"), where the whole
    message's other words dilute it; read as the latest message of a short conversation,
    it is judged as the model learnt to judge one."""
    rows = [model_input(text, context)]
    sentences = [s for s in _SENTENCE_BREAK.split(text.strip()) if s.strip()]
    if len(sentences) > 1 and len(sentences[-1].split()) >= 3:
        rows.append(model_input(sentences[-1], [*context, " ".join(sentences[:-1])]))
    return rows


def joined_reading(text: str, context: Sequence[str]) -> list[str] | None:
    """A short message read together with the ones before it, as if sent as one ("not
    moving" after "lad fell off the wall on level 4, going down to him now"): alone it
    says little, and a linear model adds the context's words to any message alike, not
    more to a short one. None for a long message, or the first of a conversation."""
    if not context or len(text.split()) > SHORT_MESSAGE_WORDS:
        return None
    if is_bare_reply(normalise(text)):  # "Yes, this is right.": only the messages before
        return None
    recent = context[-CONTEXT_MESSAGES:]
    return model_input(" ".join([*recent, text]), context[: -len(recent)])


# What a row of `reading_rows` is: the whole message, its last sentence after the rest
# (`readings`), it read as one with the messages before (`joined_reading`), or a reply
# read with no context at all (how much it alarms by itself). Hate is read from the whole
# message only (`bot.safety.triage._combined`).
Reading = Literal["whole", "last", "joined", "alone"]


def reading_rows(
    messages: Sequence[tuple[str, Sequence[str]]],
) -> tuple[list[list[str]], list[int], list[Reading]]:
    """The readings of several messages as one batch of rows, whose each row is (the
    index of its message), and what kind of reading each is, so a batch is transformed
    once."""
    rows: list[list[str]] = []
    owners: list[int] = []
    kinds: list[Reading] = []
    for i, (text, context) in enumerate(messages):
        mine = readings(text, context)
        rows += mine
        owners += [i] * len(mine)
        last: list[Reading] = ["last"] * (len(mine) - 1)
        kinds += ["whole", *last]
        if (together := joined_reading(text, context)) is not None:
            rows.append(together)
            owners.append(i)
            kinds.append("joined")
        if context:
            rows.append(model_input(text))
            owners.append(i)
            kinds.append("alone")
    return rows, owners, kinds


def _features() -> ColumnTransformer:
    return ColumnTransformer(
        [
            (
                "words",
                TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                TEXT,
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True
                ),
                TEXT,
            ),
            (
                "context",
                TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                CONTEXT,
            ),
            ("cues", CueFeatures(), [TEXT, CONTEXT]),
        ],
        transformer_weights={"words": 1.0, "chars": 1.0, "context": 1.0, "cues": 0.3},
    )


# The inverse regularisation of every head, chosen on dev folds that hold out whole
# writers (`python -m bot.safety.train --by-writer`): at 2, 8, 20 and 50, emergencies
# caught 0.969, 0.973, 0.974, 0.974 and hate recall 0.907, 0.920, 0.925, 0.928.
_C: Final = 20.0


def _flag_estimator() -> CalibratedClassifierCV:
    """The two flags: their probabilities are compared with thresholds, so calibrated."""
    linear = LogisticRegression(C=_C, class_weight="balanced", solver="liblinear")
    return CalibratedClassifierCV(linear, method="sigmoid", cv=3, ensemble=False)


def _strand_estimator() -> LogisticRegression:
    return LogisticRegression(C=_C, class_weight="balanced", solver="liblinear")


def _class_estimator() -> LogisticRegression:
    return LogisticRegression(C=_C, class_weight="balanced", max_iter=3000)


Probabilities = dict[str, np.ndarray[Any, np.dtype[np.float64]]]


# The heads by the time they take to fit, longest first, so that in parallel the long
# multinomial ones start at once.
_BY_COST: Final = ("subtype", "category", "hate_crime", "emergency", *FLAGS[2:])


def _head_estimator(head: str) -> Any:
    if head in ("emergency", "hate_crime"):
        return _flag_estimator()
    return _strand_estimator() if head in FLAGS else _class_estimator()


def _fit_head(head: str, X: Any, y: np.ndarray[Any, Any]) -> Any:
    return clone(_head_estimator(head)).fit(X, y)


class SafetyHeads(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """One estimator per head, all on the same features.

    ``fit`` takes ``y`` as a dict of label arrays by head name (HEADS); ``predict_proba``
    returns, for each binary head, the probability of True, and for category and subtype
    the class probabilities (classes in ``classes_[head]``). ``n_jobs``: heads fitted at
    once (each fit is deterministic, so the model does not depend on it)."""

    def __init__(self, n_jobs: int | None = None) -> None:
        self.n_jobs = n_jobs

    def fit(self, X: Any, y: dict[str, Sequence[Any]]) -> SafetyHeads:
        if sparse.issparse(X):
            X.sort_indices()  # here, not in each worker, which may share X read-only
        fitted = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_head)(head, X, np.asarray(y[head])) for head in _BY_COST
        )
        by_head = dict(zip(_BY_COST, fitted, strict=True))
        self.estimators_: dict[str, Any] = {head: by_head[head] for head in HEADS}
        self.classes_: dict[str, list[Any]] = {
            head: list(estimator.classes_) for head, estimator in self.estimators_.items()
        }
        return self

    def predict_proba(self, X: Any, heads: Sequence[str] | None = None) -> Probabilities:
        """Probabilities of the named heads (all by default: a verdict asks for the strands
        only when it flags hate), computed from the fitted weights as scikit-learn's
        `predict_proba` computes them, without its checks of the input on every call
        (on one message they cost more than the arithmetic; tests/safety compare the two)."""
        out: Probabilities = {}
        for head in heads or self.estimators_:
            estimator = self.estimators_[head]
            if head in FLAGS:
                positive = _positive_probability(estimator, X)
                out[head] = positive if self.classes_[head][1] else 1.0 - positive  # [F, T]
            else:
                out[head] = _softmax(_scores(estimator, X))
        return out

    def linear(self, head: str) -> LogisticRegression:
        """The fitted linear model behind a head (its weights give the evidence)."""
        estimator = self.estimators_[head]
        if isinstance(estimator, CalibratedClassifierCV):
            inner: LogisticRegression = estimator.calibrated_classifiers_[0].estimator
            return inner
        assert isinstance(estimator, LogisticRegression)
        return estimator


def _scores(linear: LogisticRegression, X: Any) -> np.ndarray[Any, np.dtype[np.float64]]:
    scores: np.ndarray[Any, np.dtype[np.float64]] = np.asarray(X @ linear.coef_.T)
    scores += linear.intercept_
    return scores


def _positive_probability(estimator: Any, X: Any) -> np.ndarray[Any, np.dtype[np.float64]]:
    """P(classes_[1]) of a binary head: a logistic regression, or one calibrated with a
    sigmoid (Platt: 1 / (1 + exp(a * score + b)))."""
    if isinstance(estimator, CalibratedClassifierCV):
        [calibrated] = estimator.calibrated_classifiers_
        [sigmoid] = calibrated.calibrators
        score = _scores(calibrated.estimator, X)[:, 0]
        return np.asarray(expit(-(sigmoid.a_ * score + sigmoid.b_)))
    return np.asarray(expit(_scores(estimator, X)[:, 0]))


def _softmax(
    scores: np.ndarray[Any, np.dtype[np.float64]],
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Multinomial logistic regression's class probabilities from its scores."""
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=1, keepdims=True))


def transform_rows(features: ColumnTransformer, rows: np.ndarray[Any, Any]) -> sparse.csr_matrix:
    """What ``features.transform(rows)`` gives, without its per-call checks of the input's
    shape and column names: for rows made by `model_input` they cost as much as the
    features themselves, and a verdict has a budget of a few milliseconds."""
    weights = features.transformer_weights or {}
    blocks = [
        _transform(transformer, rows[:, columns]) * weights.get(name, 1.0)
        for name, transformer, columns in features.transformers_
        if name != "remainder"
    ]
    return sparse.hstack(blocks, format="csr")


def _transform(transformer: Any, column: Any) -> Any:
    if not isinstance(transformer, TfidfVectorizer):
        return transformer.transform(column)
    return _tf_idf(transformer, CountVectorizer.transform(transformer, column))


def _tf_idf(vectorizer: TfidfVectorizer, counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """TfidfVectorizer's weighting of word counts, done as its transformer does it
    (sublinear tf, idf, rows scaled to unit length), without its input checks."""
    weighted = counts.astype(np.float64)
    if vectorizer.sublinear_tf:
        np.log(weighted.data, out=weighted.data)
        weighted.data += 1.0
    weighted.data *= vectorizer.idf_[weighted.indices]
    assert vectorizer.norm == "l2", "the model's vectorizers scale rows to unit length"
    rows = weighted.shape[0]
    row_of = np.repeat(np.arange(rows), np.diff(weighted.indptr))
    lengths = np.sqrt(np.bincount(row_of, weights=weighted.data**2, minlength=rows))
    lengths[lengths == 0.0] = 1.0
    weighted.data /= lengths[row_of]
    return weighted


def build_pipeline(n_jobs: int | None = None) -> Pipeline:
    return Pipeline([("features", _features()), ("heads", SafetyHeads(n_jobs))])


@dataclass(frozen=True)
class Contribution:
    """A feature of one message and how much it raised a flag's score."""

    block: str  # "words", "chars" or "context"
    feature: str
    weight: float


def contributions(
    heads: SafetyHeads, names: list[tuple[str, str]], row: sparse.csr_matrix, head: str
) -> list[Contribution]:
    """The features present in one transformed row that raised `head`, strongest first
    (`names`: `feature_names` of the features that made the row)."""
    weights = heads.linear(head).coef_[0]
    coo = row.tocoo()
    found = [
        Contribution(names[j][0], names[j][1], float(weights[j] * v))
        for j, v in zip(coo.col, coo.data, strict=True)
        if weights[j] * v > 0
    ]
    return sorted(found, key=lambda c: -c.weight)


def feature_names(features: ColumnTransformer) -> list[tuple[str, str]]:
    """(block, feature) for every column the fitted features make, in column order."""
    return [
        (block, name)
        for block, vectorizer, _ in features.transformers_
        if block != "remainder"
        for name in vectorizer.get_feature_names_out()
    ]
