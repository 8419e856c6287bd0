"""Privacy: after a full report, no log line of any process holds what the resident sent."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator

import httpx
import pytest

from bot.platform.stack import Stack
from tests.e2e.chat_driver import ChatResident, reference_in

pytestmark = pytest.mark.rasa


@pytest.fixture
def resident(live_gateway_url: str) -> Iterator[ChatResident]:
    with httpx.Client(base_url=live_gateway_url, timeout=30) as http:
        yield ChatResident(http)


def test_no_log_line_holds_the_residents_words_or_details(
    resident: ChatResident, live_stack: Stack
) -> None:
    marker = secrets.token_hex(4)
    personal = {
        "incident_description": f"Zorblax{marker} keeps throwing eggs at my windows",
        "incident_time": "yesterday at teatime",
        "incident_location": "Quillfeather Lane NN1 1DE",
        "people_involved": f"Mr Vantablack{marker} from the end house",
        "impact": "I'm frightened to open the curtains",
        "targeted_identity": "No",
        "vulnerability": "I live alone",
        "previous_incidents": "yes",
        "landlord": "No, I own my home or rent privately",
        "contact_method": "Text message",
        "contact_name": f"Ottoline{marker}",
        "contact_phone": "07400 123987",
        "consent_share": "Yes",
        "report_confirmed": "Yes, send it",
    }
    final = resident.complete(personal, "I want to report anti-social behaviour")
    assert reference_in(final), resident.dump()
    time.sleep(2)  # let the workers log what they do with the new case
    needles = [
        *(f"{word}{marker}" for word in ("Zorblax", "Vantablack", "Ottoline")),
        "Quillfeather", "NN1 1DE", "07400 123987", "+447400123987", "frightened to open",
    ]  # fmt: skip
    assert live_stack.log_dir is not None
    for log_file in sorted(live_stack.log_dir.glob("*.log")):
        content = log_file.read_text(errors="replace")
        for needle in needles:
            assert needle not in content, f"{needle!r} found in {log_file.name}"
