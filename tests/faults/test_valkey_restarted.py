"""Valkey, run by the process manager, killed with SIGKILL during a batch of reports (the
manager starts it again on the same port and data directory), and later stopped cleanly
(SIGTERM) and kept down a few seconds. Meanwhile the gateway answers 503 "try again" at
once and residents retry, as the chat page does. Valkey writes every change to its
append-only file with fsync before it answers, and a reference is told only after
WAITAOF: so no case acknowledged to a resident may be lost. Every reference told exists,
no conversation made two cases, acknowledgements and deliveries once, and every other
process rode out the outage without being restarted."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
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

DOWN_SECONDS = 5.0


def test_valkey_killed_and_stopped_during_a_batch(tmp_path: Path) -> None:
    with fault_stack("valkey", tmp_path) as rig:
        before = rig.pids()
        seen_503: list[int] = []
        back: list[float] = []

        def fault(batch: Batch) -> None:
            batch.wait_for(REPORTS // 4)
            back.append(rig.kill("valkey"))  # SIGKILL: the process manager restarts it
            batch.wait_for(REPORTS * 3 // 4)
            rig.stack.stop_process("valkey")  # a clean shutdown, kept down a few seconds
            answer = httpx.post(
                rig.stack.gateway_url + "/api/chat",
                json={"conversation_id": None, "text": "hello"},
                timeout=10,
            )
            seen_503.append(answer.status_code)
            time.sleep(DOWN_SECONDS)
            rig.stack.start_process("valkey")

        batch = run_batch(rig.stack.gateway_url, fault=fault)
        cases = check_references_exist(rig, batch)
        check_one_case_per_conversation(cases)
        states = check_acknowledged_once(rig, batch)
        deliveries = check_delivered_once(rig, cases)
        assert seen_503 == [503], f"while Valkey was down the gateway answered {seen_503}"
        # Every other process rode out the outage without being restarted.
        check_only_restarted(before, rig.pids(), "valkey")
        assert len(batch.told) >= 0.9 * REPORTS, batch.summary()
        report(
            "valkey SIGKILL (restarted by the process manager) + stopped 5s",
            f"{batch.summary()}; back in {back[0]:.1f}s after the kill; {len(cases)} cases, "
            f"acknowledgements {dict(states)}, {deliveries} deliveries once each",
        )
