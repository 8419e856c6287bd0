"""Nothing a resident sent is kept in Redis in the clear: after full reports over web chat
and SMS, a scripted report taken while the dialogue engine was down, a call and the
partner deliveries of those cases, every key and every value of the live Valkey (strings,
hashes, lists, sets, sorted sets, streams, queued job payloads) is read and searched for
the resident's phone number, email, name, street, postcode and words.
Rasa's trackers included: rasa_plugins/session_tracker_store.py stores them encrypted."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator

import httpx
import phonenumbers
import pytest
import redis

from bot.platform.stack import Stack
from tests.e2e.chat_driver import REFERENCE, ChatResident, reference_in
from tests.telephony.drivers import Caller, SmsResident, a_mobile_number, settle

pytestmark = pytest.mark.rasa

MARK = secrets.token_hex(3)
PHONE = a_mobile_number()
NATIONAL = phonenumbers.format_number(
    phonenumbers.parse(PHONE, None), phonenumbers.PhoneNumberFormat.NATIONAL
)  # "07400 123456"
NAME = f"Perpetua Zandvoort{MARK}"
EMAIL = f"perpetua.{MARK}@example.org"
STREET = f"{MARK} Quillon Terrace"
POSTCODE = "CV3 6PL"
WORDS = f"hurling turnips{MARK} at my greenhouse"


def report(**contact: str) -> dict[str, str]:
    return {
        "incident_description": f"The neighbour keeps {WORDS} every evening",
        "incident_time": "every evening this week",
        "incident_location": f"{STREET}, {POSTCODE}",
        "people_involved": "the man next door",
        "impact": "I am anxious all the time",
        "targeted_identity": "No",
        "vulnerability": "no",
        "previous_incidents": "no",
        "landlord": "No, I own my home or rent privately",
        "consent_share": "Yes",
        "report_confirmed": "Yes, send it",
        **contact,
    }


def value_of(client: redis.Redis, key: bytes) -> bytes:
    """Everything a key holds, whatever its type, as one byte string."""
    kind = client.type(key)
    if kind == b"string":
        return client.get(key) or b""
    if kind == b"hash":
        return b" ".join(k + b"=" + v for k, v in client.hgetall(key).items())
    if kind == b"list":
        return b" ".join(client.lrange(key, 0, -1))
    if kind == b"set":
        return b" ".join(client.smembers(key))
    if kind == b"zset":
        return b" ".join(client.zrange(key, 0, -1))
    if kind == b"stream":
        return b" ".join(
            k + b"=" + v for _id, fields in client.xrange(key) for k, v in fields.items()
        )
    return b""


def in_the_clear(client: redis.Redis, needles: list[str]) -> list[tuple[str, str]]:
    found = []
    trackers = 0
    for key in client.scan_iter(count=1000):
        trackers += key.startswith(b"asb:tracker:")
        text = (key + b" " + value_of(client, key)).decode("utf-8", "replace").lower()
        found += [(key.decode(), n) for n in needles if n.lower() in text]
    assert trackers, "no Rasa tracker was read: the scan missed the conversations"
    return found


def delivered(client: redis.Redis, reference: str, timeout: float = 60) -> bool:
    """Whether a partner delivery of the case arrived (its delivery log says so)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = client.xrange(f"asb:case:{reference}:deliveries")
        if any(fields.get(b"outcome") == b"delivered" for _id, fields in log):
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def http(live_gateway_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_gateway_url, timeout=60) as client:
        yield client


def test_redis_holds_no_personal_data_in_the_clear(
    http: httpx.Client,
    gateway_without_rasa: str,
    live_stack: Stack,
    live_redis: redis.Redis,
) -> None:
    references = []
    # Web chat, to be answered by letter (name, street address, postcode).
    chat = ChatResident(http)
    final = chat.complete(
        report(contact_method="Letter", contact_name=NAME,
               contact_address=f"{STREET}, Coventry {POSTCODE}"),
        "I want to report anti-social behaviour",
    )  # fmt: skip
    references.append(reference_in(final))
    assert references[-1], chat.dump()
    # By text, to be answered by text on the number it came from (typed nationally).
    sms = SmsResident(http, number=PHONE)
    texts = sms.complete(
        report(contact_method="Text message", contact_name=NAME, contact_phone=NATIONAL),
        "I want to report anti-social behaviour",
    )
    references.append(reference_in([{"text": t} for t in texts]))
    assert references[-1], sms.dump()
    # The scripted report while the dialogue engine is down, answered by email.
    with httpx.Client(base_url=gateway_without_rasa, timeout=60) as no_rasa:
        scripted = ChatResident(no_rasa)
        scripted.say("hello")
        scripted.say(f"The neighbour keeps {WORDS}")
        scripted.say(f"{STREET}, {POSTCODE}")
        match = REFERENCE.search(" ".join(m["text"] for m in scripted.say(EMAIL)))
        references.append(match.group(0) if match else None)
    # A call from the same number: a few turns, the description among them.
    caller = Caller(http, number=PHONE)
    root = caller.post("/twilio/voice")
    root = settle(caller, caller.post("/twilio/voice/menu", Digits="1"))
    gather = root.find("Gather")
    assert gather is not None, caller.dump()
    settle(caller, caller.post(gather.attrib["action"], SpeechResult=WORDS.lower()))
    assert all(references), (references, chat.dump(), sms.dump(), scripted.dump())

    # Each case is delivered to its partner agencies, and its acknowledgement sent.
    for reference in references:
        assert delivered(live_redis, str(reference)), reference
    time.sleep(2)  # the acknowledgements' jobs too

    needles = [PHONE, PHONE[3:], NATIONAL, NATIONAL.replace(" ", ""), EMAIL, NAME,
               "Quillon Terrace", POSTCODE, POSTCODE.replace(" ", ""), WORDS]  # fmt: skip
    assert live_redis.exists(*(f"asb:case:{r}:personal" for r in references)) == 3
    assert not in_the_clear(live_redis, needles)
