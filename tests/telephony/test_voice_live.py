"""The phone line against the real stack: keypad digits and speech results, each turn
through the same triage and Rasa conversation as the other channels."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import httpx
import pytest
import redis

from telephony import voice_flow, voice_routes
from tests.records import plain, tracker_events
from tests.telephony.drivers import Caller, asked, reference_said, said, settle
from tests.telephony.fake_twilio import FakeTwilio
from tests.telephony.signing import post_signed

pytestmark = pytest.mark.rasa

# What a caller says (speech transcripts: lower case, no punctuation) or keys in.
HEARD: dict[str, dict[str, str]] = {
    "incident_description": {"SpeechResult": "people keep dealing drugs outside the flats"},
    "incident_time": {"SpeechResult": "yesterday evening about eight"},
    "incident_location": {"SpeechResult": "cv1 5fb"},
    "people_involved": {"SpeechResult": "two men in their twenties i don't know them"},
    "impact": {"SpeechResult": "i feel unsafe going out"},
    "targeted_identity": {"Digits": "1"},
    "vulnerability": {"SpeechResult": "no"},
    "previous_incidents": {"Digits": "2"},
    "landlord": {"Digits": "2"},  # No, I own my home or rent privately
    "contact_method": {"Digits": "1"},  # Phone call
    "contact_name": {"SpeechResult": "jo bloggs"},
    "contact_phone": {"Digits": "07911123456"},  # keyed in, finished with #
    "consent_share": {"Digits": "1"},
    "report_confirmed": {"Digits": "1"},
}


@pytest.fixture
def caller(live_gateway_url: str) -> Iterator[Caller]:
    with httpx.Client(base_url=live_gateway_url, timeout=60) as http:
        yield Caller(http)


ANSWER = "/twilio/voice/answer"


def user_texts(live_redis: redis.Redis, key: str) -> list[str]:
    """What the conversation's Rasa tracker holds as said by the caller."""
    events = tracker_events(live_redis.get(f"asb:tracker:{key}"))
    return [e.get("text") for e in events if e["event"] == "user"]


def settled_texts(fake_twilio: FakeTwilio, number: str, quiet: float = 2.0) -> list[str]:
    """The texts sent to `number`, once none has come for `quiet` seconds (at most 15 s)."""
    deadline = time.monotonic() + 15
    seen, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        count = len(fake_twilio.sent_to(number))
        if count != seen:
            seen, since = count, time.monotonic()
        elif count and time.monotonic() - since >= quiet:
            break
        time.sleep(0.1)
    return [t.form["Body"] for t in fake_twilio.sent_to(number)]


def gather_of(root: ET.Element) -> ET.Element:
    gather = root.find("Gather")
    assert gather is not None, ET.tostring(root).decode()
    return gather


def test_greeting_speaks_en_gb_and_gathers_keypad_or_speech(caller: Caller) -> None:
    root = caller.post("/twilio/voice")
    words = " ".join(said(root))
    assert "hang up and call 999" in words
    for say in root.iter("Say"):
        assert say.attrib["language"] == "en-GB" and say.attrib["voice"] == voice_flow.VOICE
    gather = gather_of(root)
    assert gather.attrib["input"] == "dtmf speech"
    assert gather.attrib["language"] == "en-GB"
    assert gather.attrib["speechTimeout"].isdigit()
    assert "hate incident" in gather.attrib["hints"]
    assert "press 4" in words
    assert root[-1].tag == "Redirect"  # no answer is never silence


def test_full_report_by_phone(
    caller: Caller, live_redis: redis.Redis, fake_twilio: FakeTwilio
) -> None:
    root = caller.post("/twilio/voice")
    root = settle(caller, caller.post(gather_of(root).attrib["action"], Digits="1"))
    for _ in range(30):
        key = asked(root)
        if key is None:
            break
        assert key in HEARD, f"unexpected question {key}:\n{caller.dump()}"
        root = settle(caller, caller.post(gather_of(root).attrib["action"], **HEARD[key]))
    words = " ".join(said(root))
    assert "I'll say that again" in words, caller.dump()
    slow = [s for s in said(root) if s.startswith("A, S, B.")]
    assert len(slow) == 2 and slow[0] == slow[1], caller.dump()  # read back twice
    reference = reference_said(root)
    case = json.loads(live_redis.get(f"asb:case:{reference}") or b"null")
    assert case is not None, (reference, caller.dump())
    assert case["channel"] == "voice"
    personal = json.loads(plain(live_redis.get(f"asb:case:{reference}:personal")) or b"{}")
    # Never asked for the number they ring from: it is the one a call back goes to.
    assert personal["contact"]["phone"] == caller.number
    assert "what phone number" not in caller.dump().lower()
    assert root[-1].tag == "Hangup"
    # The caller rang from a mobile: the reference and what happens next go by text at
    # once, and the written acknowledgement to the same number (their contact number).
    texts = settled_texts(fake_twilio, caller.number)
    assert reference in texts[0] and "will deal with it" in " ".join(texts), texts
    sent = len(texts)
    # The last answer replayed (the same signed request): the same words, no second case
    # and no second text.
    key = (live_redis.hget(f"asb:call:{caller.sid}", "conversation_key") or b"").decode()
    turns = len(user_texts(live_redis, key))
    last = max(i for i, (path, _p) in enumerate(caller.sent) if path.startswith(ANSWER))
    assert said(settle(caller, caller.replay(last))) == said(root)
    assert len(settled_texts(fake_twilio, caller.number)) == sent
    assert len(user_texts(live_redis, key)) == turns


def test_no_answer_reprompts_then_offers_keypad_then_ends_politely(caller: Caller) -> None:
    root = caller.post("/twilio/voice")
    menu = gather_of(root).attrib["action"]
    first = caller.post(menu)  # Twilio's redirect after a Gather with no input
    assert "didn't catch that" in " ".join(said(first))
    second = caller.post(menu)
    assert "keypad" in " ".join(said(second)) and "4" in " ".join(said(second))
    last = caller.post(menu)
    words = " ".join(said(last))
    assert "0, 2, 4" in words or "024" in words.replace(" ", "").replace(",", "")
    assert last[-1].tag == "Hangup"
    for step in (first, second):
        assert step[-1].tag == "Redirect"


def test_emergency_heard_at_the_menu_leads_with_999(
    caller: Caller, live_redis: redis.Redis
) -> None:
    root = caller.post("/twilio/voice")
    root = settle(
        caller,
        caller.post(
            gather_of(root).attrib["action"],
            SpeechResult="theres a man outside with a knife trying to get in right now",
        ),
    )
    first = said(root)[0]
    assert "hang up now and dial 999" in first, caller.dump()
    # The same signed request again (a replay): the same answer, no second turn or event.
    assert said(settle(caller, caller.replay(1))) == said(root)
    # The police event carries the caller's number.
    raised = [
        json.loads(plain(live_redis.get(k)) or b"{}")
        for k in live_redis.scan_iter("asb:emergency:EM-*")
    ]
    mine = [e for e in raised if e.get("channel") == "voice" and e.get("contact") == caller.number]
    assert len(mine) == 1, mine
    assert len(user_texts(live_redis, mine[0]["conversation_key"])) == 1


def test_replayed_requests_of_a_call_start_no_second_turn(
    caller: Caller, live_redis: redis.Redis
) -> None:
    root = caller.post("/twilio/voice")
    menu = gather_of(root).attrib["action"]
    assert menu == "/twilio/voice/menu?step=1"  # the step a choice there starts
    chosen = settle(caller, caller.post(menu, Digits="1"))
    answered_at = len(caller.sent)
    description = HEARD["incident_description"]["SpeechResult"]
    answered = settle(
        caller, caller.post(gather_of(chosen).attrib["action"], SpeechResult=description)
    )
    state = live_redis.hgetall(f"asb:call:{caller.sid}")
    # Each request again, byte for byte, in order: the incoming call, the menu choice and
    # the answer. Each gets the answer it got the first time; nothing runs again.
    assert said(caller.replay(0)) == said(root)
    assert said(settle(caller, caller.replay(1))) == said(chosen)
    assert said(settle(caller, caller.replay(answered_at))) == said(answered)
    after = live_redis.hgetall(f"asb:call:{caller.sid}")
    assert after[b"next_step"] == state[b"next_step"] == b"3"  # the call has not gone back
    texts = user_texts(live_redis, state[b"conversation_key"].decode())
    assert texts == [voice_routes.MENU_TEXT["1"], description], texts


def test_speak_to_someone_transfers_or_offers_a_callback(
    caller: Caller, live_redis: redis.Redis
) -> None:
    root = caller.post("/twilio/voice")
    root = caller.post(gather_of(root).attrib["action"], Digits="4")
    dial = root.find("Dial")
    if dial is not None:  # the team is open now
        assert dial.text == "+442476831999"
        return
    gather = gather_of(root)
    assert gather.attrib["action"] == "/twilio/voice/callback"
    done = caller.post(gather.attrib["action"], Digits="1")
    assert "call you back" in " ".join(said(done))
    assert live_redis.zcard("asb:callbacks") >= 1


def test_voice_routes_refuse_unsigned_requests(caller: Caller) -> None:
    for path in ("/twilio/voice", "/twilio/voice/menu", "/twilio/voice/answer?step=2"):
        response = caller.http.post(path, data=caller.params())
        assert response.status_code == 403
    # Signed with the query string included, as Twilio signs the action URLs.
    assert post_signed(caller.http, "/twilio/voice", caller.params()).status_code == 200
    good = post_signed(caller.http, "/twilio/voice/answer?step=2", caller.params(Digits="1"))
    assert good.status_code == 200


def test_a_description_at_the_menu_is_a_report_not_a_menu_choice(
    caller: Caller, live_redis: redis.Redis
) -> None:
    """ "someone" in a description is not "speak to someone": it goes to the conversation."""
    root = caller.post("/twilio/voice")
    words = "someone keeps parking across my drive every night"
    root = settle(caller, caller.post(gather_of(root).attrib["action"], SpeechResult=words))
    spoken = " ".join(said(root)).lower()
    assert "call you back" not in spoken and "putting you through" not in spoken, caller.dump()
    key = live_redis.hget(f"asb:call:{caller.sid}", "conversation_key")
    assert key is not None
    assert words in user_texts(live_redis, key.decode())


# A caller who says what, where and when at once; the recogniser writes the postcode as
# letters and number words, and is unsure of one answer.
RICH_CALL = (
    "its the lads at 14 spon street c v one five f b theyve been playing loud music every "
    "night this week till 3 in the morning i cant sleep"
)
HEARD_IN_A_RICH_CALL: dict[str, dict[str, str]] = {
    "targeted_identity": {"Digits": "1"},
    "vulnerability": {"SpeechResult": "no", "Confidence": "0.31"},
    "landlord": {"Digits": "2"},
    "contact_method": {"Digits": "1"},  # Phone call: the number they ring from
    "contact_name": {"SpeechResult": "jo bloggs"},
    "report_confirmed": {"Digits": "1"},
}


def test_a_rich_spoken_report_with_a_spoken_postcode(
    caller: Caller, live_redis: redis.Redis
) -> None:
    root = caller.post("/twilio/voice")
    root = settle(caller, caller.post(gather_of(root).attrib["action"], Digits="1"))
    root = settle(caller, caller.post(gather_of(root).attrib["action"], SpeechResult=RICH_CALL))
    checked = False
    asked_keys: list[str] = []
    for _ in range(20):
        if any("I think you said: no" in s for s in said(root)):
            checked = True  # an unsure answer is read back for a yes or no
            root = settle(caller, caller.post(gather_of(root).attrib["action"], Digits="1"))
            continue
        key = asked(root)
        if key is None:
            break
        asked_keys.append(key)
        assert key in HEARD_IN_A_RICH_CALL, f"unexpected question {key}:\n{caller.dump()}"
        heard = HEARD_IN_A_RICH_CALL[key]
        root = settle(caller, caller.post(gather_of(root).attrib["action"], **heard))
    assert checked, caller.dump()
    # Within 60 words of the caller confirming, the reference is said.
    words = " ".join(said(root)).split()
    first = next(i for i, w in enumerate(words) if w == "A," and words[i + 1] == "S,")
    assert first <= 60, caller.dump()
    reference = reference_said(root)
    case = json.loads(live_redis.get(f"asb:case:{reference}") or b"null")
    assert case is not None, caller.dump()
    assert case["postcode_district"] == "CV1"  # the spoken postcode reached the case
    personal = json.loads(plain(live_redis.get(f"asb:case:{reference}:personal")) or b"{}")
    assert personal["answers"]["incident_location"] == "14 spon street, CV1 5FB"
    assert personal["answers"]["vulnerability"] == "no"
    assert personal["contact"]["phone"] == caller.number
    assert len(asked_keys) == len(set(asked_keys)), asked_keys  # nothing asked twice
