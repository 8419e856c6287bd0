"""kill -9 of a gateway worker twice and of the gateway's master once during a batch of
reports. The master replaces a dead worker; the process manager restarts a dead master
(whose orphaned workers go on serving until the new master takes the port). Residents
whose request was cut off send it again, as the chat page does. Every reference told
exists, no conversation made two cases, every acknowledgement went once in effect, every
delivery went under one webhook-id, and no other process was restarted."""

from __future__ import annotations

import os
import signal
import time
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


def test_gateway_killed_during_a_batch(tmp_path: Path) -> None:
    with fault_stack("gateway", tmp_path) as rig:
        before = rig.pids()
        master_back: list[float] = []

        def fault(batch: Batch) -> None:
            for quarter in (1, 2, 3):  # three crashes, spread over the batch
                batch.wait_for(REPORTS * quarter // 4)
                if quarter == 2:
                    master_back.append(rig.kill("gateway"))
                    continue
                worker = rig.gateway_workers()[0]
                os.kill(worker, signal.SIGKILL)
                deadline = time.monotonic() + 60
                while len(set(rig.gateway_workers()) - {worker}) < 2:
                    assert time.monotonic() < deadline, "the master did not replace its worker"
                    time.sleep(0.2)

        batch = run_batch(rig.stack.gateway_url, fault=fault)
        cases = check_references_exist(rig, batch)
        check_one_case_per_conversation(cases)
        states = check_acknowledged_once(rig, batch)
        deliveries = check_delivered_once(rig, cases)
        check_only_restarted(before, rig.pids(), "gateway")
        assert len(batch.told) >= 0.9 * REPORTS, batch.summary()
        report(
            "gateway worker kill -9 x2, master kill -9 x1",
            f"{batch.summary()}; master back in {master_back[0]:.0f}s; {len(cases)} cases, "
            f"acknowledgements {dict(states)}, {deliveries} deliveries once each",
        )
