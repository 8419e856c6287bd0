"""Job workers scale out by adding processes: with a second worker process on the live
stack's Valkey, reports made at once are each acknowledged once and delivered to the
council's ASB team once, whichever worker took each job."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from bot.platform.stack import Stack
from tests.e2e.chat_driver import ChatResident, reference_in
from tests.partners.receivers import Receivers
from tests.telephony.drivers import distinct_mobile_numbers
from tests.telephony.fake_twilio import FakeTwilio

pytestmark = pytest.mark.rasa

REPORTS = 12


@pytest.fixture
def second_worker(live_stack: Stack, tmp_path: Path) -> Iterator[Path]:
    """Another worker process on the live stack's Valkey; the path of its log."""
    log = tmp_path / "second-worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "bot.jobs.run", "worker"],
            env=live_stack.settings_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        yield log
        assert worker.poll() is None, "the second worker died"
        worker.terminate()
        worker.wait(timeout=30)


def report(gateway: str, number: str) -> str:
    with httpx.Client(base_url=gateway, timeout=30) as http:
        resident = ChatResident(http)
        answers = {
            "incident_description": "Teenagers throwing stones at the bus shelter",
            "incident_time": "last night about 10pm",
            "incident_location": "cv15fb",
            "people_involved": "skip",
            "impact": "skip",
            "risk_questions": "no",
            "previous_incidents": "no",
            "landlord": "No, I own my home or rent privately",
            "contact_method": "Text message",
            "contact_name": "Jo",
            "contact_phone": "0" + number[3:],
            "report_confirmed": "Yes",
        }
        reference = reference_in(
            resident.complete(answers, "I want to report anti-social behaviour")
        )
        assert reference, resident.dump()
        return reference


def test_two_worker_processes_run_each_job_once(
    live_stack: Stack,
    second_worker: Path,
    fake_twilio: FakeTwilio,
    partner_receivers: Receivers,
) -> None:
    numbers = distinct_mobile_numbers(REPORTS)
    with ThreadPoolExecutor(4) as pool:
        references = list(pool.map(lambda n: report(live_stack.gateway_url, n), numbers))
    for reference in references:
        partner_receivers.wait_for("council_asb", reference, timeout=60)
    deadline = time.monotonic() + 60
    while any(not fake_twilio.sent_to(n) for n in numbers) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(3)  # a job run twice would show by now
    assert [len(fake_twilio.sent_to(n)) for n in numbers] == [1] * REPORTS
    council = [
        r for r in partner_receivers.arriving
        if r.agency == "council_asb" and (r.event or {}).get("subject") in references
    ]  # fmt: skip
    # Each event once: the reports' case.created, and the case.hotspot of each that made
    # or grew a hotspot (twelve reports of one postcode).
    ids = Counter(r.webhook_id for r in council)
    assert set(ids.values()) == {1}, ids
    created = [r for r in council if (r.event or {}).get("type") == "case.created"]
    assert len(created) == REPORTS
    # Both workers took jobs: the second's log shows deliveries it made.
    assert "delivery.ok" in second_worker.read_text(errors="replace")
