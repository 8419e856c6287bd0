"""The trained safety model as the service loads it: made from the current corpus, judged
on the held-out split it never saw, with evidence for every flag."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot.safety import evaluate
from bot.safety.corpus import Example, corpus_files, load
from bot.safety.model import (
    FLAGS,
    HEADS,
    SafetyHeads,
    joined_reading,
    model_input,
    readings,
    transform_rows,
)
from bot.safety.train import (
    CORPUS,
    HELDOUT,
    THRESHOLDS,
    inputs_sha256,
    locked_choice,
    served_verdicts,
)
from bot.safety.triage import SafetyModel, _combined
from bot.safety.verdict import Evidence, Verdict


@pytest.fixture(scope="module")
def model() -> SafetyModel:
    return SafetyModel.load()


@pytest.fixture(scope="module")
def heldout() -> list[Example]:
    return load(corpus_files(HELDOUT))


def test_the_model_was_made_from_the_corpus_and_code_as_they_are(model: SafetyModel) -> None:
    assert model.corpus_sha256 == inputs_sha256(corpus_files(CORPUS))


def test_a_corpus_change_changes_the_hash(tmp_path: Path) -> None:
    original = corpus_files(CORPUS)[0]
    copy = tmp_path / original.name
    copy.write_bytes(original.read_bytes())
    before = inputs_sha256([copy])
    copy.write_bytes(original.read_bytes() + b'{"text": "one more"}\n')
    assert inputs_sha256([copy]) != before


def test_recorded_thresholds_are_used_only_for_the_inputs_they_were_chosen_on(
    tmp_path: Path,
) -> None:
    recorded = json.loads(THRESHOLDS.read_text())  # the committed file's shape
    recorded["inputs_sha256"] = "a" * 64
    recorded["thresholds"] = {**recorded["thresholds"], "emergency_flag": 0.77}
    lock = tmp_path / "thresholds.json"
    lock.write_text(json.dumps(recorded))
    chosen = locked_choice(lock, "a" * 64)
    assert chosen is not None
    thresholds, dev = chosen
    assert thresholds.emergency_flag == 0.77 and dev == recorded["dev"]
    assert locked_choice(lock, "b" * 64) is None  # another corpus: the folds run again
    assert locked_choice(tmp_path / "absent.json", "a" * 64) is None


def test_heldout_floors(model: SafetyModel, heldout: list[Example]) -> None:
    """Floors under what the model scores on messages it never saw: a change that makes it
    worse than this fails, whatever it does to the training figures."""
    verdicts = served_verdicts(model, heldout)
    card = evaluate.score(heldout, verdicts)
    assert card.emergency_caught is not None and card.emergency_caught >= 0.93
    assert card.emergency_precision is not None and card.emergency_precision >= 0.90
    assert card.danger_question_rate is not None and card.danger_question_rate <= 0.10
    assert card.hate_precision is not None and card.hate_precision >= 0.85
    assert card.category_accuracy is not None and card.category_accuracy >= 0.80
    for verdict in verdicts:
        if verdict.emergency or verdict.hate_crime:
            assert verdict.contract_dict()["evidence"], verdict


def test_one_at_a_time_gives_the_batch_verdicts(model: SafetyModel, heldout: list[Example]) -> None:
    sample = heldout[::40]
    batch = model.judge_many([(e.text, e.context) for e in sample])
    assert [model.judge(e.text, e.context) for e in sample] == batch


def test_a_file_of_replies_in_conversations_only_is_scored(
    model: SafetyModel, heldout: list[Example]
) -> None:
    replies = [e for e in heldout if e.context][:5]  # no message is judged alone
    assert len(served_verdicts(model, replies)) == len(replies)


def test_the_quick_transform_is_the_column_transformer(
    model: SafetyModel, heldout: list[Example]
) -> None:
    features = model.pipeline.named_steps["features"]
    messages = [(e.text, e.context) for e in heldout[:60]] + [("", ())]  # an empty one too
    rows = np.array([model_input(text, context) for text, context in messages], dtype=object)
    assert (features.transform(rows) != transform_rows(features, rows)).nnz == 0


def test_the_quick_probabilities_are_scikit_learns(
    model: SafetyModel, heldout: list[Example]
) -> None:
    features = model.pipeline.named_steps["features"]
    heads: SafetyHeads = model.pipeline.named_steps["heads"]
    rows = np.array([model_input(e.text, e.context) for e in heldout], dtype=object)
    matrix = transform_rows(features, rows)
    quick = heads.predict_proba(matrix)
    for head in HEADS:
        theirs = heads.estimators_[head].predict_proba(matrix)
        if head in FLAGS:
            theirs = theirs[:, heads.classes_[head].index(True)]
        np.testing.assert_allclose(quick[head], theirs, rtol=0, atol=1e-12, err_msg=head)


BACKGROUND = (
    "I want to report the parties at the house behind ours, which have gone on most "
    "weekends since the summer. I have written to the housing association twice and kept "
    "a diary of the dates. "
)


def test_a_long_message_is_also_read_as_its_last_sentence_after_the_rest() -> None:
    rows = readings(BACKGROUND + "Two of them have just kicked our gate in.", ["earlier"])
    assert len(rows) == 2
    last, before = rows[1]
    assert last == model_input("Two of them have just kicked our gate in.")[0]
    assert before.startswith("earlier . ") and "diary of the dates" in before
    assert len(readings("hes outside now with a bat")) == 1  # one sentence: one reading
    assert len(readings("Help me. Now!")) == 1  # a last sentence too short to read alone


def test_a_short_message_is_also_read_as_one_with_the_ones_before_it() -> None:
    before = ["lad fell off the wall on level 4 onto the ramp", "going down to him now"]
    text, context = joined_reading("not moving", before) or ["", ""]
    assert (
        text
        == model_input(
            "lad fell off the wall on level 4 onto the ramp going down to him now not moving"
        )[0]
    )
    assert context == ""  # the messages before are in the reading itself
    assert joined_reading("not moving", []) is None  # the first message: nothing to join
    assert joined_reading("he has been parking across my drive every day since", before) is None
    # A bare yes, no or thanks adds nothing to the messages before it: not read with them.
    assert joined_reading("Yes, this is right.", before) is None
    assert joined_reading("ok thanks", before) is None
    assert joined_reading("yes hes back", before) is not None


def test_danger_told_last_after_a_long_account_is_caught_and_a_calm_ending_is_not(
    model: SafetyModel,
) -> None:
    """A resident who tells the background first and what is happening now last is judged
    on what is happening now."""
    danger = model.judge(
        BACKGROUND + "Two of the men have just kicked our gate in and are coming up the "
        "garden towards the back door."
    )
    calm = model.judge(BACKGROUND + "Could somebody ring me about it next week please?")
    assert danger.emergency or danger.danger_question
    assert not calm.emergency and not calm.danger_question


def test_hate_is_read_from_the_whole_message_not_its_last_sentence() -> None:
    """A last sentence read alone ("Also they shout at us.") looks like the follow-ups of
    hate reports; whether the message tells of hostility is the whole message's to say,
    while danger told last still stands."""
    whole = Verdict(
        emergency=False, hate_crime=False, hate_strands=[], category="personal",
        subtype="criminal_damage", danger_question=False, hate_question=False, evidence=[],
        scores={"emergency": 0.2, "hate_crime": 0.06},
    )  # fmt: skip
    last = replace(
        whole, emergency=True, hate_crime=True, hate_strands=["race"], subtype="violence",
        evidence=[Evidence("emergency", "model", "kicked"), Evidence("hate_crime", "model", "us")],
        scores={"emergency": 0.9, "hate_crime": 0.8},
    )  # fmt: skip
    combined = _combined([whole, last])
    assert combined.emergency and combined.subtype == "violence"
    assert not combined.hate_crime and combined.hate_strands == []
    assert combined.scores == {"emergency": 0.9, "hate_crime": 0.06}
    assert [e.flag for e in combined.evidence] == ["emergency"]
