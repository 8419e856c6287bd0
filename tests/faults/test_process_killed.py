"""kill -9 of the job worker, and of the action server, three times during a batch of
reports; the process manager starts each again. While the action server is down Rasa
answers nothing (an action failed), which the gateway takes as the engine unavailable:
residents finish by its script. Every reference told exists, no conversation made two
cases, every acknowledgement and delivery went once in effect, and no other process was
restarted."""

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


@pytest.mark.parametrize(
    ("process", "env"),
    [
        # A killed send is settled (sent or "uncertain") when its lease runs out: 10 s.
        ("worker", {"ASB_ACK_LEASE_SECONDS": "10"}),
        ("actions", {}),
    ],
)
def test_process_killed_during_a_batch(process: str, env: dict[str, str], tmp_path: Path) -> None:
    with fault_stack(process, tmp_path, **env) as rig:
        before = rig.pids()
        back: list[float] = []

        def fault(batch: Batch) -> None:
            for quarter in (1, 2, 3):  # three crashes, spread over the batch
                batch.wait_for(REPORTS * quarter // 4)
                back.append(rig.kill(process))

        batch = run_batch(rig.stack.gateway_url, fault=fault)
        cases = check_references_exist(rig, batch)
        check_one_case_per_conversation(cases)
        states = check_acknowledged_once(rig, batch)
        deliveries = check_delivered_once(rig, cases)
        check_only_restarted(before, rig.pids(), process)
        assert len(batch.told) >= 0.9 * REPORTS, batch.summary()
        report(
            f"{process} kill -9 x3",
            f"{batch.summary()}; back in {', '.join(f'{s:.0f}s' for s in back)}; "
            f"{len(cases)} cases, acknowledgements {dict(states)}, {deliveries} deliveries "
            "once each",
        )
