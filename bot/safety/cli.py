"""`asb-intake triage`: JSON Lines in, one verdict line out per input line (CONTRACT section 2).

Input, one message per line, with the resident's earlier messages as optional context::

    {"id": "m2", "text": "thats him at the bottom of the stairs now", "channel": "chat",
     "context": ["he keeps texting that he will finish it tonight"]}

Output, in the same order: the verdict's contract fields (`emergency`, `hate_crime`,
`hate_strands`, `category`, `subtype`, `danger_question`, `evidence`, `scores`).

A line that is not valid JSON gets ``{"id": null, "error": "..."}``; a JSON value that is
not an object, or has no string ``text``, or a ``context`` that is not a list of strings,
gets an error line carrying its id when it has one. The run always goes on; blank lines
are skipped. Each output line is flushed as soon as it is written, so a caller can pipe
messages through one at a time. The exit status is 0 unless standard input cannot be read.

``asb-intake triage --eval FILE.jsonl`` reads labelled lines (docs/safety-labelling.md)
and prints recall, precision, the danger-question rate and confusion tables.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from bot.safety import evaluate
from bot.safety.corpus import CorpusError, read_examples
from bot.safety.train import served_verdicts
from bot.safety.triage import SafetyModel, default_model

__all__ = ["evaluate_file", "process_line", "run"]


def _error(ident: Any, message: str) -> dict[str, Any]:
    return {"id": ident, "error": message}


def process_line(line: str, model: SafetyModel) -> dict[str, Any]:
    """The output object for one non-blank input line."""
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return _error(None, f"invalid JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(value, dict):
        return _error(None, f"expected a JSON object, got {type(value).__name__}")
    ident = value.get("id")
    if isinstance(ident, (dict, list)):
        ident = None  # an id is echoed back; only scalars make sense as one
    text = value.get("text")
    if not isinstance(text, str):
        return _error(ident, 'missing or non-string "text"')
    context = value.get("context", [])
    if context is None:
        context = []
    if not isinstance(context, list) or not all(isinstance(c, str) for c in context):
        return _error(ident, '"context" must be a list of strings (earlier messages, oldest first)')
    # The channel does not change the reading; an unknown one never costs a verdict.
    return {"id": ident, **model.judge_as_served(text, context).contract_dict()}


def run(stdin: TextIO, stdout: TextIO, model: SafetyModel | None = None) -> int:
    """Read JSON Lines from ``stdin``, write verdict lines to ``stdout``. Returns the exit code."""
    model = model or default_model()
    try:
        for line in stdin:
            if not line.strip():
                continue
            stdout.write(json.dumps(process_line(line, model), ensure_ascii=False) + "\n")
            stdout.flush()
    except (OSError, UnicodeDecodeError) as exc:
        stdout.flush()
        print(f"asb-intake triage: cannot read standard input: {exc}", file=sys.stderr)
        return 1
    return 0


def evaluate_file(path: Path, stdout: TextIO, model: SafetyModel | None = None) -> int:
    """Print the scorecard and confusion tables of the model against a labelled file."""
    try:
        examples = list(read_examples(path))
    except (OSError, CorpusError) as exc:
        print(f"asb-intake triage --eval: {exc}", file=sys.stderr)
        return 2
    model = model or default_model()
    verdicts = served_verdicts(model, examples)
    card = evaluate.score(examples, verdicts)
    for name, value in card.as_dict().items():
        stdout.write(f"{name:<22}{'-' if value is None else value}\n")
    stdout.write("\n" + evaluate.confusion_table(examples, verdicts) + "\n")
    return 0
