"""kill -9 of Rasa during a batch of reports. Until it is back (it loads its model again,
10-60 s) the gateway takes reports by its short script (what, where, how to contact you);
a resident who was mid-form when it died finishes by that script, and once Rasa is back new
conversations go to it again. A resident expects what they would with no fault: one report,
one reference, that reference a case, one acknowledgement, each agency told once. So: every
reference told exists, no conversation made two cases (a fallback report is filed under the
conversation it came from, like a form's), acknowledgements and deliveries once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.faults.harness import (
    REPORTS,
    Batch,
    check_acknowledged_once,
    check_delivered_once,
    check_one_case_per_conversation,
    check_only_restarted,
    check_references_exist,
    fault_stack,
    report,
    run_batch,
)

pytestmark = [pytest.mark.faults, pytest.mark.rasa]


def test_rasa_killed_during_a_batch(tmp_path: Path) -> None:
    with fault_stack("rasa", tmp_path) as rig:
        down: list[float] = []
        before = rig.pids()

        def fault(batch: Batch) -> None:
            for quarter in (1, 2, 3):  # three crashes, spread over the batch
                batch.wait_for(REPORTS * quarter // 4)
                down.append(rig.kill("rasa"))

        batch = run_batch(rig.stack.gateway_url, fault=fault)
        cases = check_references_exist(rig, batch)
        check_one_case_per_conversation(cases)
        # The script asks no consent to share (none is assumed); the batch's form gives it.
        by_script = Counter(
            "fallback" if c.get("consent_to_share") is False else "form" for c in cases.values()
        )
        states = check_acknowledged_once(rig, batch)
        deliveries = check_delivered_once(rig, cases)
        check_only_restarted(before, rig.pids(), "rasa")
        assert len(batch.told) >= 0.9 * REPORTS, batch.summary()
        assert by_script["fallback"] > 0, "no report was taken by the script while Rasa was down"
        report(
            "rasa kill -9 x3",
            f"{batch.summary()}; Rasa down {', '.join(f'{s:.0f}s' for s in down)}; "
            f"{len(cases)} cases ({by_script['form']} by the form, {by_script['fallback']} by "
            f"the script), acknowledgements {dict(states)}, {deliveries} deliveries once each",
        )
