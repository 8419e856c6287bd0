"""A partner endpoint down for a simulated six hours, then back: everything is delivered,
once per agency (one webhook-id each), and nothing is dead-lettered.

Time is compressed: the production retry ladder (ASB_WEBHOOK_RETRY_SCHEDULE's default, now,
5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: about 27.6 hours in all) runs SCALE = 500 times
faster, so one simulated hour is 7.2 s and six are 43.2 s. The council's ASB team, the lead
agency every Coventry case is routed to, answers 503 to everything from before the first
report until six simulated hours after the last case was first sent, so every case meets at
least six hours of outage: its first five attempts (the first 2.6 hours of the ladder) and
at least one more fail, and a later attempt, before the ladder's end, delivers it.

The batch is smaller than the other fault tests' (FAULT_PARTNER_REPORTS, default 30): the
outage is measured from the last report, so the first report of a batch sees the batch's own
length on top. At 500x a batch of 200 (5-10 minutes) is 40-80 simulated hours, longer than
the whole ladder, and its first cases would rightly be dead-lettered: that would test a
different outage than the issue's six hours. 30 reports take well under a simulated day."""

from __future__ import annotations

import os
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from bot.platform.settings import Settings
from tests.faults.harness import (
    check_acknowledged_once,
    check_delivered_once,
    check_references_exist,
    fault_stack,
    report,
    run_batch,
)
from tests.partners.receivers import Answer, Receivers

pytestmark = [pytest.mark.faults, pytest.mark.rasa]

REPORTS = int(os.environ.get("FAULT_PARTNER_REPORTS", "30"))
SCALE = 500.0
HOUR = 3600 / SCALE
PRODUCTION_LADDER = Settings.model_fields["webhook_retry_schedule"].default
LADDER = ",".join(f"{float(w) / SCALE:g}" for w in PRODUCTION_LADDER.split(","))
AGENCY = "council_asb"


def first_attempts(receivers: Receivers, cases: dict[str, Any]) -> dict[str, float]:
    """When each case's creation was first sent to the agency (a Unix time)."""
    firsts: dict[str, float] = {}
    with receivers.lock:
        for r in receivers.received:
            if r.agency == AGENCY and r.event and r.event.get("subject") in cases:
                subject = r.event["subject"]
                firsts[subject] = min(firsts.get(subject, r.at), r.at)
    return firsts


def test_partner_down_for_six_simulated_hours(tmp_path: Path) -> None:
    with fault_stack("partner", tmp_path, ASB_WEBHOOK_RETRY_SCHEDULE=LADDER) as rig:
        receivers = rig.receivers
        receivers.script(AGENCY, *[Answer(status=503) for _ in range(5000)])  # down

        batch = run_batch(rig.stack.gateway_url, reports=REPORTS)
        cases = check_references_exist(rig, batch)
        assert all(AGENCY in c["routed_to"] for c in cases.values()), "not all routed to it"
        # Six simulated hours after the last case's first attempt (its worker job runs a
        # moment after the resident is told the reference).
        deadline = time.monotonic() + 60
        while True:
            firsts = first_attempts(receivers, cases)
            if len(firsts) == len(cases) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert len(firsts) == len(cases), "some cases were never attempted"
        time.sleep(max(0.0, max(firsts.values()) + 6 * HOUR - time.time()))
        with receivers.lock:
            receivers.scripts[AGENCY].clear()  # back
        back = time.time()

        deliveries = check_delivered_once(rig, cases, timeout=240)
        states = check_acknowledged_once(rig, batch)
        dead = rig.redis.zrange("asb:deliveries:dead", 0, -1)
        assert not dead, f"dead-lettered: {dead}"

        attempts: dict[str, list[tuple[float, int]]] = defaultdict(list)
        with receivers.lock:
            for r in receivers.received:
                if r.agency == AGENCY and r.event and r.event.get("type") == "case.created":
                    attempts[r.event["subject"]].append((r.at, r.status))
        outage_hours, failures = [], []
        for reference in cases:
            tries = sorted(attempts[reference])
            failed = [at for at, status in tries if status >= 300]
            assert tries[-1][1] < 300 and tries[-1][0] >= back, (reference, tries)
            assert len(tries) - len(failed) == 1, f"{reference} delivered twice: {tries}"
            outage_hours.append((back - failed[0]) / HOUR)
            failures.append(len(failed))
        assert min(outage_hours) >= 6, f"a case met only {min(outage_hours):.1f} h of outage"
        report(
            f"{AGENCY} down (503) 6 simulated h after the last first attempt, ladder /{SCALE:g}",
            f"{batch.summary()}; {len(cases)} cases; each met {min(outage_hours):.1f}-"
            f"{max(outage_hours):.1f} simulated hours of outage and {min(failures)}-"
            f"{max(failures)} failed attempts; {deliveries} deliveries once each, 0 dead "
            f"letters; acknowledgements {dict(states)}",
        )
