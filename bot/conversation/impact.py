"""Whether a clause tells how the trouble affects people ("me missus wont hang washin out",
"takings are down", "we keep the blinds shut"): a small model learned from
data/conversation/impact_clauses.jsonl, beside the wording `find_impact` already knows.

Words alone miss most of the ways residents say it, and a list of them fits the phrasing
it was written from. The model is trained when first used (a third of a second, the same
every time) rather than shipped, so the clauses are its only source.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Final

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from bot.platform.settings import PROJECT_ROOT

CLAUSES: Final = PROJECT_ROOT / "data" / "conversation" / "impact_clauses.jsonl"
# Chosen on the simulated residents' answers (tests/population, the first six sets), and
# kept when the clauses grew from 2,302 to 3,796 and then to 4,996 (effects said in few
# words, "club's gutted", beside the introductions and histories that sit in the same
# messages): on all fourteen sets it reads 93% of their answers to "how is this affecting
# you?" as impact, and 3% of their answers to what, when, where and who, most of those an
# effect told inside what happened ("my baby cannot sleep").
THRESHOLD: Final = 0.85


@cache
def learned() -> Pipeline:
    """The model, trained once a process, on first use: not as the action server module
    loads, where fitting would fix the process start method before Sanic sets its own."""
    rows = [json.loads(line) for line in CLAUSES.read_text().splitlines() if line.strip()]
    model = make_pipeline(
        make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
        ),
        LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced"),
    )
    model.fit([row["text"] for row in rows], [bool(row["impact"]) for row in rows])
    return model


def tells_impact(clauses: list[str]) -> list[bool]:
    """For each clause, whether it says how the trouble affects someone."""
    if not clauses:
        return []
    scores = learned().predict_proba(clauses)[:, 1]
    return [bool(score >= THRESHOLD) for score in scores]
