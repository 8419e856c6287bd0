"""kill -9 of the action server during a batch of reports; the process manager starts
another. Rasa's calls to it fail meanwhile (residents finish by the gateway's script or
send again), and a report whose case the action stored just before it died is told, not
taken again: every reference told exists, no conversation made two cases, every
acknowledgement and delivery once, and no other process was restarted."""

from __future__ import annotations

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


def test_action_server_killed_during_a_batch(tmp_path: Path) -> None:
    with fault_stack("actions", tmp_path) as rig:
        before = rig.pids()
        back: list[float] = []

        def fault(batch: Batch) -> None:
            for quarter in (1, 2, 3):  # three crashes, spread over the batch
                batch.wait_for(REPORTS * quarter // 4)
                back.append(rig.kill("actions"))

        batch = run_batch(rig.stack.gateway_url, fault=fault)
        cases = check_references_exist(rig, batch)
        check_one_case_per_conversation(cases)
        states = check_acknowledged_once(rig, batch)
        deliveries = check_delivered_once(rig, cases)
        check_only_restarted(before, rig.pids(), "actions")
        assert len(batch.told) >= 0.9 * REPORTS, batch.summary()
        report(
            "action server kill -9 x3",
            f"{batch.summary()}; back in {', '.join(f'{s:.0f}s' for s in back)}; "
            f"{len(cases)} cases, acknowledgements {dict(states)}, {deliveries} deliveries "
            "once each",
        )
