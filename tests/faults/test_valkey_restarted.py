"""Valkey stopped during a batch of reports and started again on the same port and data
directory: once killed with SIGKILL, once stopped cleanly (SIGTERM), each time kept down a
few seconds. Meanwhile the gateway answers 503 "try again" at once and residents retry, as
the chat page does. Valkey writes every change to its append-only file with fsync before it
answers, and a reference is told only after WAITAOF: so no case acknowledged to a resident
may be lost. Every reference told exists, no conversation made two cases, acknowledgements
and deliveries once, and every process rode out the outage without being restarted."""

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
    check_references_exist,
    fault_stack,
    report,
    run_batch,
)

pytestmark = [pytest.mark.faults, pytest.mark.rasa]

DOWN_SECONDS = 5.0


def test_valkey_stopped_and_restarted_during_a_batch(tmp_path: Path) -> None:
    with fault_stack("valkey", tmp_path) as rig:
        valkey = rig.stack.valkey
        assert valkey is not None
        port = valkey.port
        seen_503: list[int] = []

        def fault(batch: Batch) -> None:
            for quarter, stop in ((1, valkey.terminate), (3, valkey.stop)):
                batch.wait_for(REPORTS * quarter // 4)
                stop()  # SIGKILL, then a clean shutdown
                time.sleep(1)
                answer = httpx.post(
                    rig.stack.gateway_url + "/api/chat",
                    json={"conversation_id": None, "text": "hello"},
                    timeout=10,
                )
                seen_503.append(answer.status_code)
                time.sleep(DOWN_SECONDS - 1)
                valkey.start()
                assert valkey.port == port, "Valkey came back on another port"

        batch = run_batch(rig.stack.gateway_url, fault=fault)
        cases = check_references_exist(rig, batch)
        check_one_case_per_conversation(cases)
        states = check_acknowledged_once(rig, batch)
        deliveries = check_delivered_once(rig, cases)
        assert seen_503 == [503, 503], f"while Valkey was down the gateway answered {seen_503}"
        exited = [s.name for s, p in rig.stack.processes if p.poll() is not None]
        assert not exited, f"processes that exited while Valkey was down: {exited}"
        assert len(batch.told) >= 0.9 * REPORTS, batch.summary()
        report(
            "valkey SIGKILL + SIGTERM, down 5s each",
            f"{batch.summary()}; {len(cases)} cases, acknowledgements {dict(states)}, "
            f"{deliveries} deliveries once each",
        )
