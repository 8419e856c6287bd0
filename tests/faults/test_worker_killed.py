"""kill -9 of the job worker during a batch of reports; the process manager starts
another. Every reference told exists, every acknowledgement went once in effect, every
delivery under one id, and no other process was restarted."""

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


def test_worker_killed_during_a_batch(tmp_path: Path) -> None:
    # A killed send is settled (sent or "uncertain") when its lease runs out: 10 s, not 120.
    with fault_stack("worker", tmp_path, ASB_ACK_LEASE_SECONDS="10") as rig:
        before = rig.pids()

        def fault(batch: Batch) -> None:
            for quarter in (1, 2, 3):  # three crashes, spread over the batch
                batch.wait_for(REPORTS * quarter // 4)
                rig.kill("worker")

        batch = run_batch(rig.stack.gateway_url, fault=fault)
        cases = check_references_exist(rig, batch)
        check_one_case_per_conversation(cases)
        states = check_acknowledged_once(rig, batch)
        deliveries = check_delivered_once(rig, cases)
        check_only_restarted(before, rig.pids(), "worker")
        assert len(batch.told) >= 0.9 * REPORTS, batch.summary()
        report(
            "worker kill -9 x3",
            f"{batch.summary()}; {len(cases)} cases, acknowledgements {dict(states)}, "
            f"{deliveries} deliveries once each",
        )
