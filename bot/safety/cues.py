"""Word-list features for the safety model (the lists are data: cues.yml).

A scikit-learn transformer: from the normalised message and its context (the model's
two input columns) to one binary feature per list found in the message ("weapon"), per
list found in the context ("context weapon"), and per pair of lists found together
("weapon + now", "context threat + presence"). The model learns how much each weighs;
none of them flags anything on its own.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from bot.safety.normalise import package_yaml

__all__ = ["CueFeatures", "cue_lists"]


def _data() -> dict[str, Any]:
    return package_yaml("cues.yml")


@cache
def cue_lists() -> dict[str, re.Pattern[str]]:
    """Each list (and pair-only list) as one pattern matching any of its words or phrases
    as whole words."""
    out: dict[str, re.Pattern[str]] = {}
    data = _data()
    for name, words in {**data["lists"], **data.get("pair_lists", {})}.items():
        phrases = sorted({str(w).lower() for w in words}, key=len, reverse=True)
        alternatives = "|".join(re.escape(p) for p in phrases)
        out[name] = re.compile(rf"(?<![a-z0-9*])(?:{alternatives})(?![a-z0-9*])")
    return out


class CueFeatures(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Input: rows of (normalised message, normalised context)."""

    def fit(self, X: Any, y: Any = None) -> CueFeatures:
        lists = list(_data()["lists"])
        pairs = [tuple(p) for p in _data()["pairs"]]
        context_pairs = [tuple(p) for p in _data()["context_pairs"]]
        self.names_: list[str] = [
            *lists,
            *(f"context {name}" for name in lists),
            *(f"{a} + {b}" for a, b in pairs),
            *(f"context {a} + {b}" for a, b in context_pairs),
        ]
        self._pairs = pairs
        self._context_pairs = context_pairs
        return self

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray[Any, Any]:
        return np.array(self.names_, dtype=object)

    def transform(self, X: Any) -> sparse.csr_matrix:
        patterns = cue_lists()
        rows = np.asarray(X, dtype=object)
        matrix = sparse.lil_matrix((len(rows), len(self.names_)), dtype=np.float64)
        index = {name: i for i, name in enumerate(self.names_)}
        for r, (text, context) in enumerate(rows):
            here = {name for name, rx in patterns.items() if rx.search(text)}
            before = {name for name, rx in patterns.items() if context and rx.search(context)}
            found = [
                *(name for name in here if name in index),
                *(f"context {name}" for name in before if f"context {name}" in index),
                *(f"{a} + {b}" for a, b in self._pairs if a in here and b in here),
                *(
                    f"context {a} + {b}"
                    for a, b in self._context_pairs
                    if a in before and b in here
                ),
            ]
            for name in found:
                matrix[r, index[name]] = 1.0
        return matrix.tocsr()


def matched_words(feature: str, text: str, context: str) -> list[str]:
    """The words behind one cue feature, for evidence ("weapon + now" -> knife, outside)."""
    patterns = cue_lists()
    out: list[str] = []
    for part in feature.split(" + "):
        source = text
        if part.startswith("context "):
            part, source = part.removeprefix("context "), context
        if part in patterns and (m := patterns[part].search(source)):
            out.append(m.group(0))
    return out
