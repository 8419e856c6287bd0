"""Privacy against the real stack: a web chat report's personal data is encrypted in
Redis, a partner's read is audited, and `asb-intake erase` removes the resident's
conversation, personal data and outbox entries, leaving an audit entry."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from bot.platform.settings import Settings
from bot.platform.stack import Stack
from bot.privacy.contact import pseudonymous_key
from tests.e2e.chat_driver import ChatResident, conversation_key, reference_in
from tests.partners.test_live import issue_key
from tests.records import tracker_events
from tests.telephony.drivers import Caller, a_mobile_number, settle
from tests.telephony.drivers import said as spoken

pytestmark = pytest.mark.rasa

PHONE = a_mobile_number()  # E.164, fresh for each run
ANSWERS = {
    "incident_description": "Somebody keeps kicking my door at 3am and calling me names",
    "incident_time": "every night this week",
    "incident_location": "CV1 5FB",
    "people_involved": "about five teenagers, I don't know them",
    "impact": "I can't sleep and I'm frightened",
    "targeted_identity": "No",
    "vulnerability": "no",
    "previous_incidents": "no",
    "landlord": "No, I own my home or rent privately",
    "contact_method": "Text message",
    "contact_name": "Robin Quill",
    "contact_phone": "0" + PHONE[3:],  # typed the national way
    "consent_share": "Yes",
    "report_confirmed": "Yes, send it",
}
SECRETS = ["kicking my door", "calling me names", "every night this week", "Robin Quill", PHONE[3:]]


@pytest.fixture
def http(live_gateway_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_gateway_url, timeout=30) as client:
        yield client


def values_of_case(live_redis: redis.Redis, reference: str) -> bytes:
    """Every string stored under the case's keys, concatenated."""
    out = b""
    for key in live_redis.scan_iter(f"asb:case:{reference}*"):
        if live_redis.type(key) == b"string":
            out += live_redis.get(key) or b""
    return out


def cli(stack: Stack, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env=stack.settings_env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


def test_report_is_encrypted_audited_and_erased(
    http: httpx.Client, live_stack: Stack, live_redis: redis.Redis
) -> None:
    resident = ChatResident(http)
    final = resident.complete(ANSWERS, "I want to report anti-social behaviour")
    reference = reference_in(final)
    assert reference, resident.dump()
    assert resident.conversation_id is not None
    key = conversation_key(live_stack, resident.conversation_id)

    # At rest: the case knows its conversation; nothing the resident said is in the clear.
    case = json.loads(live_redis.get(f"asb:case:{reference}") or b"{}")
    assert case["conversation_key"] == key
    stored = values_of_case(live_redis, reference)
    assert stored and not [s for s in SECRETS if s.encode() in stored]
    assert live_redis.exists(f"asb:tracker:{key}")

    # A partner's read of the case is audited (agency and reference, nothing personal).
    council = {"Authorization": f"Bearer {issue_key(live_stack, 'council_asb')}"}
    assert http.get(f"/partners/v1/cases/{reference}", headers=council).status_code == 200
    audit = [f for _id, f in live_redis.xrange("asb:audit")]
    assert {b"actor": b"agency:council_asb", b"action": b"case.read"}.items() <= next(
        f for f in reversed(audit) if f[b"subject"] == reference.encode()
    ).items()

    # Erase by phone number: the conversation, personal data and outbox lines go.
    outbox = Path(live_stack.settings_env["ASB_DATA_DIR"]) / "outbox" / "sms.jsonl"
    printed = cli(live_stack, "erase", "--phone", PHONE, "--by", "dpo-test")
    assert reference in printed, printed
    assert not live_redis.exists(f"asb:case:{reference}:personal")
    assert not live_redis.exists(f"asb:tracker:{key}")
    assert not list(live_redis.scan_iter(f"asb:conv:{key}*"))
    assert live_redis.exists(f"asb:case:{reference}")  # the non-personal record stays
    if outbox.exists():
        text = outbox.read_text()
        assert reference not in text and PHONE not in text
    entry = live_redis.xrevrange("asb:audit", count=1)[0][1]
    assert entry[b"action"] == b"erase.phone" and entry[b"actor"] == b"dpo-test"
    assert reference.encode() in entry[b"references"]
    assert PHONE[3:].encode() not in b" ".join(entry.values())


def test_erase_by_phone_finds_a_call_that_never_became_a_case(
    http: httpx.Client, live_stack: Stack, live_redis: redis.Redis
) -> None:
    number = a_mobile_number()
    caller = Caller(http, number=number)
    root = caller.post("/twilio/voice")
    root = settle(caller, caller.post("/twilio/voice/menu", Digits="1"))
    gather = root.find("Gather")
    assert gather is not None, caller.dump()
    said_words = "someone keeps scratching my car outside the flats"
    root = settle(caller, caller.post(gather.attrib["action"], SpeechResult=said_words))
    if "anyone in danger" in " ".join(spoken(root)):  # asked when the safety model is unsure
        settle(caller, caller.follow(root, Digits="2"))
    # The caller hangs up half way: no case, but a conversation keyed by number and CallSid.
    call = live_redis.hgetall(f"asb:call:{caller.sid}")
    key = call[b"conversation_key"].decode()
    assert live_redis.exists(f"asb:tracker:{key}") and live_redis.exists(f"asb:conv:{key}")
    said = [e.get("text") for e in tracker_events(live_redis.get(f"asb:tracker:{key}"))]
    assert said_words in said

    printed = cli(live_stack, "erase", "--phone", "0" + number[3:], "--by", "dpo-test")
    assert "cases none" in printed, printed
    assert not live_redis.exists(f"asb:tracker:{key}")
    assert not list(live_redis.scan_iter(f"asb:conv:{key}*"))
    assert not list(live_redis.scan_iter(f"asb:call:{caller.sid}*"))
    secret = Settings(ASB_DATA_DIR=live_stack.settings_env["ASB_DATA_DIR"]).secret_key()
    assert not live_redis.exists(f"asb:contact:{pseudonymous_key(secret, 'phone', number)}:calls")
    entry = live_redis.xrevrange("asb:audit", count=1)[0][1]
    assert entry[b"action"] == b"erase.phone" and entry[b"actor"] == b"dpo-test"
    assert int(entry[b"conversations"]) == 2  # the number's text conversation and the call
    assert number[3:].encode() not in b" ".join(entry.values())
