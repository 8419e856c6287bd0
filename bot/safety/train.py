"""Train the safety model from the corpus: ``python -m bot.safety.train`` (``make safety-model``).

1. Read every ``data/safety/corpus/*.jsonl``.
2. Dev predictions: five folds, each model fitted on four fifths and predicting the fifth,
   so every message is scored by a model that never saw it. (``--by-writer`` holds out
   whole corpus files instead, each a writer's round, and only prints what it finds: how
   the model does on a writer it has not read.)
3. Thresholds from those dev predictions alone (``choose_thresholds``), written with the
   dev scorecard and the inputs' hash to ``data/safety/thresholds.json``: committed like a
   lock file, so a fresh clone whose inputs match it skips steps 2 and 3 (``--folds``
   runs them anyway; any change to the inputs runs them again).
4. The final model on the whole corpus, saved with its thresholds and the SHA-256 of
   everything that made it (corpus, spelling tables, model code).
5. A report (``report.json`` beside the model): training, dev and held-out scorecards.
   The held-out split (``data/safety/heldout/``) is scored, never used for any choice.

Deterministic: fixed folds, deterministic solvers; the same inputs give the same model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, Final

import joblib
import numpy as np
from joblib import Parallel, delayed
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.pipeline import Pipeline

from bot.safety import evaluate
from bot.safety.corpus import STRANDS, Example, corpus_files, load
from bot.safety.model import FLAGS, build_pipeline, model_input, reading_rows
from bot.safety.triage import MODEL_PATH, SafetyModel
from bot.safety.verdict import Thresholds, Verdict

ROOT: Final = Path(__file__).resolve().parents[2]
CORPUS: Final = ROOT / "data" / "safety" / "corpus"
HELDOUT: Final = ROOT / "data" / "safety" / "heldout"
THRESHOLDS: Final = ROOT / "data" / "safety" / "thresholds.json"
# The code and tables that shape the model and its report's figures: a change to any
# retrains it.
MODEL_CODE: Final = (
    "corpus.py", "cues.py", "cues.yml", "danger_question.py", "flags.py", "model.py",
    "normalise.py", "rules.py", "rules.yml", "spelling.yml", "train.py", "triage.py",
)  # fmt: skip

# What the thresholds aim for on dev predictions. A missed emergency costs more than a
# needless question, so the danger question takes its whole budget (at most 1
# non-emergency in 10, counted over every unflagged one: the service asks fewer, since it
# asks once a report); flags keep a small margin above the precision targets (0.90).
FLAG_PRECISION: Final = 0.92
# For a message in the middle of a report (read with earlier ones, none of them flagged):
# far fewer of those are emergencies than of first messages, so a flag there is held to a
# higher precision, and what falls short of it is asked about instead. Played against
# simulated residents, none in danger, the first threshold told about one in ten to call
# 999 over an answer ("phone me not him he cant hear the phone").
ANSWER_FLAG_PRECISION: Final = 0.95
DANGER_QUESTION_RATE: Final = 0.10
HATE_PRECISION: Final = 0.90
# A hate flag is told to the resident at once only where the dev precision is this high;
# below, they are asked whether they were targeted for who they are (played against
# simulated residents, "calling our lass names" was told it was a hate incident).
HATE_SURE_PRECISION: Final = 0.97
HATE_QUESTION_RATE: Final = 0.05
FOLDS: Final = 5


def inputs_sha256(corpus: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for path in [*corpus, *(here / name for name in MODEL_CODE)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _targets(examples: Sequence[Example]) -> dict[str, list[Any]]:
    y: dict[str, list[Any]] = {
        "emergency": [e.emergency for e in examples],
        "hate_crime": [e.hate_crime for e in examples],
        "category": [e.category for e in examples],
        "subtype": [e.subtype for e in examples],
    }
    for strand in STRANDS:
        y[f"strand_{strand}"] = [strand in e.hate_strands for e in examples]
    assert set(y) == {*FLAGS, "category", "subtype"}
    return y


def _matrix(examples: Sequence[Example]) -> np.ndarray[Any, np.dtype[Any]]:
    return np.array([model_input(e.text, e.context) for e in examples], dtype=object)


def fit(examples: Sequence[Example], n_jobs: int | None = None) -> Pipeline:
    """A model of `examples`; `n_jobs` heads fitted at once (the folds, which run one a
    core already, fit theirs one after another)."""
    pipeline = build_pipeline(n_jobs)
    pipeline.fit(_matrix(examples), _targets(examples))
    return pipeline


def dev_probabilities(
    examples: Sequence[Example], writers: Sequence[str] | None = None
) -> tuple[list[Pipeline], np.ndarray[Any, Any]]:
    """Each fold's model and, for every example, the index of the fold that held it out.
    `writers`: each example's corpus file, to hold out whole files (a writer's round) at
    a time, as a new writer's messages will come. The folds are fitted in parallel, one
    process a core (each fit is deterministic, so the result does not depend on the order
    they finish in)."""
    strata = [f"{e.emergency}{e.hate_crime}" for e in examples]
    fold_of = np.zeros(len(examples), dtype=int)
    if writers is None:
        folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=17)
        splits = list(folds.split(np.zeros(len(examples)), strata))
    else:
        by_writer = StratifiedGroupKFold(n_splits=FOLDS, shuffle=True, random_state=17)
        splits = list(by_writer.split(np.zeros(len(examples)), strata, writers))
    for k, (_, held) in enumerate(splits):
        fold_of[held] = k
    print(f"    {FOLDS} folds on {os.cpu_count()} cores", file=sys.stderr)
    models: list[Pipeline] = Parallel(n_jobs=-1)(
        delayed(fit)([examples[i] for i in train]) for train, _ in splits
    )
    return models, fold_of


def _lowest_with_precision(
    p: np.ndarray[Any, Any], truth: np.ndarray[Any, Any], aim: float
) -> float:
    for t in np.arange(0.30, 0.96, 0.01):
        chosen = p >= t
        if chosen.any() and truth[chosen].mean() >= aim:
            return round(float(t), 2)
    return 0.95


def _lowest_with_rate(
    p: np.ndarray[Any, Any], asked: np.ndarray[Any, Any], whole: int, aim: float
) -> float:
    """The lowest threshold at which at most `aim` of `whole` messages would be asked
    (`asked`: those a question could reach: unflagged, and not what it looks for)."""
    for t in np.arange(0.02, 0.96, 0.01):
        if (p[asked] >= t).sum() <= aim * whole:
            return round(float(t), 2)
    return 0.95


def _flag_probabilities(
    pipeline: Pipeline, examples: Sequence[Example]
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Each message's emergency and hate probabilities as the service reads them: the
    emergency's the highest of its readings (the whole, and its last sentence after the
    rest), the hate's the whole message's (`bot.safety.triage._combined`)."""
    rows, owner, kinds = reading_rows([(e.text, e.context) for e in examples])
    own = [i for i, kind in enumerate(kinds) if kind in ("whole", "last")]  # joined: asks
    proba = pipeline.predict_proba(np.array([rows[i] for i in own], dtype=object))
    p_emergency, p_hate = np.zeros(len(examples)), np.zeros(len(examples))
    np.maximum.at(p_emergency, [owner[i] for i in own], proba["emergency"])
    whole = [k for k, i in enumerate(own) if kinds[i] == "whole"]
    p_hate[[owner[own[k]] for k in whole]] = proba["hate_crime"][whole]
    return p_emergency, p_hate


def choose_thresholds(
    examples: Sequence[Example], p_emergency: np.ndarray[Any, Any], p_hate: np.ndarray[Any, Any]
) -> Thresholds:
    """Flag where the dev precision holds; ask wherever the question's rate allows."""
    emergency = np.array([e.emergency for e in examples])
    hate = np.array([e.hate_crime for e in examples])
    answers = np.array([bool(e.context) for e in examples])
    flag = _lowest_with_precision(p_emergency, emergency, FLAG_PRECISION)
    answer_flag = max(
        flag,
        _lowest_with_precision(p_emergency[answers], emergency[answers], ANSWER_FLAG_PRECISION),
    )
    # The answers held to the higher bar are asked about too, beside those the ask
    # threshold reaches: the question is asked once a report at most, and not of an
    # answer once the report is an emergency, so the dev scorecard's rate (of served
    # verdicts) is what shows whether the two stay within the budget.
    calm = ~emergency & (p_emergency < flag)
    ask = min(
        flag, _lowest_with_rate(p_emergency, calm, int((~emergency).sum()), DANGER_QUESTION_RATE)
    )
    hate_flag = _lowest_with_precision(p_hate, hate, HATE_PRECISION)
    not_hate = ~hate & (p_hate < hate_flag)
    hate_ask = min(
        hate_flag, _lowest_with_rate(p_hate, not_hate, int((~hate).sum()), HATE_QUESTION_RATE)
    )
    hate_sure = max(hate_flag, _lowest_with_precision(p_hate, hate, HATE_SURE_PRECISION))
    return Thresholds(
        emergency_flag=flag, emergency_ask=ask, hate_flag=hate_flag, hate_ask=hate_ask,
        emergency_flag_answer=answer_flag, hate_sure=hate_sure,
    )  # fmt: skip


def served_verdicts(model: SafetyModel, examples: Sequence[Example]) -> list[Verdict]:
    """The verdicts the running service acts on: the danger question as the service asks
    it, given the flags of each example's earlier messages (`judge_as_served`). Messages
    without context are judged together, in one batch."""
    alone = [e for e in examples if not e.context]
    batch = iter(model.judge_many([(e.text, ()) for e in alone]))
    return [
        model.judge_as_served(e.text, e.context)
        if e.context
        else model.in_conversation(next(batch), e.text, emergency_before=False, context=())
        for e in examples
    ]


def _scorecard(model: SafetyModel, examples: Sequence[Example]) -> dict[str, Any]:
    return evaluate.score(examples, served_verdicts(model, examples)).as_dict()


def choose_on_dev(
    examples: Sequence[Example], sha: str, writers: Sequence[str] | None = None
) -> tuple[Thresholds, dict[str, Any]]:
    """Steps 2 and 3: the thresholds and the dev scorecard, from five folds (of whole
    corpus files, with `writers`)."""
    models, fold_of = dev_probabilities(examples, writers)
    p_emergency = np.zeros(len(examples))
    p_hate = np.zeros(len(examples))
    for k, pipeline in enumerate(models):
        rows = np.flatnonzero(fold_of == k)
        p_emergency[rows], p_hate[rows] = _flag_probabilities(
            pipeline, [examples[int(i)] for i in rows]
        )
    thresholds = choose_thresholds(examples, p_emergency, p_hate)
    dev_verdicts: list[Any] = [None] * len(examples)
    for k, pipeline in enumerate(models):
        fold_model = SafetyModel(_artefact(pipeline, thresholds, sha))
        held = [i for i in range(len(examples)) if fold_of[i] == k]
        for i, v in zip(
            held,
            served_verdicts(fold_model, [examples[i] for i in held]),
            strict=True,
        ):
            dev_verdicts[i] = v
    return thresholds, evaluate.score(examples, dev_verdicts).as_dict()


def locked_choice(path: Path, sha: str) -> tuple[Thresholds, dict[str, Any]] | None:
    """The thresholds and dev scorecard recorded for exactly these inputs, if any."""
    if not path.exists():
        return None
    lock = json.loads(path.read_text())
    if lock.get("inputs_sha256") != sha:
        return None
    return Thresholds(**lock["thresholds"]), lock["dev"]


def train(
    corpus_dir: Path,
    heldout_dir: Path,
    out: Path,
    thresholds_path: Path = THRESHOLDS,
    folds: bool = False,
) -> dict[str, Any]:
    files = corpus_files(corpus_dir)
    examples = load(files)
    sha = inputs_sha256(files)
    print(f"==> safety model: {len(examples)} examples, inputs {sha[:12]}", file=sys.stderr)
    locked = None if folds else locked_choice(thresholds_path, sha)
    if locked is None:
        thresholds, dev = choose_on_dev(examples, sha)
        lock = {"inputs_sha256": sha, "thresholds": asdict(thresholds), "dev": dev}
        thresholds_path.write_text(json.dumps(lock, indent=2) + "\n")
        print(f"    thresholds {thresholds} (commit {thresholds_path.name})", file=sys.stderr)
    else:
        thresholds, dev = locked
        print(f"    thresholds {thresholds}, as chosen for these inputs", file=sys.stderr)

    final = SafetyModel(_artefact(fit(examples, n_jobs=-1), thresholds, sha))
    heldout = load(corpus_files(heldout_dir)) if heldout_dir.exists() else []
    report = {
        "inputs_sha256": sha,
        "examples": len(examples),
        "thresholds": asdict(thresholds),
        "training": _scorecard(final, examples),
        "dev": dev,
        "heldout": _scorecard(final, heldout) if heldout else None,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(_artefact(final.pipeline, thresholds, sha), out, compress=3)
    (out.parent / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    (out.parent / "inputs.sha256").write_text(sha + "\n")
    return report


def _by_writer(corpus_dir: Path) -> int:
    files = corpus_files(corpus_dir)
    examples, writers = [], []
    for path in files:
        mine = load([path])
        examples += mine
        writers += [path.name] * len(mine)
    thresholds, dev = choose_on_dev(examples, inputs_sha256(files), writers)
    print(json.dumps({"thresholds": asdict(thresholds), "dev_by_writer": dev}, indent=2))
    return 0


def _artefact(pipeline: Pipeline, thresholds: Thresholds, sha: str) -> dict[str, Any]:
    return {"pipeline": pipeline, "thresholds": asdict(thresholds), "corpus_sha256": sha}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.safety.train", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--heldout", type=Path, default=HELDOUT)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--thresholds", type=Path, default=THRESHOLDS)
    parser.add_argument(
        "--folds",
        action="store_true",
        help="choose the thresholds on five dev folds even when the inputs match "
        "the recorded choice",
    )
    parser.add_argument(
        "--if-changed", action="store_true", help="skip when the inputs' hash matches"
    )
    parser.add_argument(
        "--by-writer",
        action="store_true",
        help="only print the thresholds and dev scorecard of five folds that hold out whole "
        "corpus files (each a writer's round), as a new writer's messages would come; "
        "nothing is written",
    )
    args = parser.parse_args(argv)
    if args.by_writer:
        return _by_writer(args.corpus)
    stamp = args.out.parent / "inputs.sha256"
    current = stamp.exists() and args.out.exists() and stamp.read_text().strip()
    if args.if_changed and current == inputs_sha256(corpus_files(args.corpus)):
        print("==> safety model is up to date", file=sys.stderr)
        return 0
    report = train(args.corpus, args.heldout, args.out, args.thresholds, args.folds)
    print(json.dumps({k: report[k] for k in ("training", "dev", "heldout")}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
