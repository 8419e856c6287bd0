"""kill -9 of the gateway during a batch of reports, then a new gateway: residents whose
request was cut off send it again, as the chat page does. Every reference told exists,
no conversation made two cases, every acknowledgement went once in effect and every
delivery went under one webhook-id."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.faults.harness import (
    REPORTS,
    Batch,
    check_acknowledged_once,
    check_delivered_once,
    check_one_case_per_conversation,
    check_references_exist,
    fault_stack,
    report,
    run_batch,
)

pytestmark = [pytest.mark.faults, pytest.mark.rasa]


def test_gateway_killed_during_a_batch(tmp_path: Path) -> None:
    with fault_stack("gateway", tmp_path) as rig:

        def fault(batch: Batch) -> None:
            for quarter in (1, 2, 3):  # three crashes, spread over the batch
                batch.wait_for(REPORTS * quarter // 4)
                rig.kill("gateway")
                time.sleep(2)
                rig.restart("gateway")

        batch = run_batch(rig.stack.gateway_url, fault=fault)
        cases = check_references_exist(rig, batch)
        check_one_case_per_conversation(cases)
        states = check_acknowledged_once(rig, batch)
        deliveries = check_delivered_once(rig, cases)
        assert len(batch.told) >= 0.9 * REPORTS, batch.summary()
        report(
            "gateway kill -9 x3",
            f"{batch.summary()}; {len(cases)} cases, acknowledgements {dict(states)}, "
            f"{deliveries} deliveries once each",
        )
