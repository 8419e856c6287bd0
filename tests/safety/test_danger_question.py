"""The danger question end to end: asked before anything else when the safety model is
unsure, on web chat, SMS and the phone line, with Rasa up and with it down."""

from __future__ import annotations

import json

import httpx
import pytest
import redis

from bot.platform.stack import Stack
from bot.safety.danger_question import QUESTION_TEXT
from bot.safety.triage import triage
from tests.e2e.chat_driver import conversation_key
from tests.e2e.test_safety_on_chat import post
from tests.records import plain, tracker_events
from tests.telephony.drivers import Caller, SmsResident, said, settle

pytestmark = pytest.mark.rasa

# Messages that might be emergencies and might not: the model's verdict decides which of
# them it would ask about; the tests use the first it does.
UNSURE = [
    "theres someone in our back garden",
    "the lads are back outside and one of them has something in his hand",
    "can smell smoke coming from next door",
    "my neighbour is screaming again",
    "there's a man hanging round the school gates watching the kids",
    "someone keeps trying our front door",
    "the dog from number 4 went for my son",
    "he is outside again",
    "there are people on our roof",
    "someone is knocking on my window",
    "a car keeps driving past slowly",
    "the kids are throwing things at my house",
]


@pytest.fixture(scope="module")
def unsure_message() -> str:
    for text in UNSURE:
        verdict = triage(text, "chat")
        if verdict.danger_question and not verdict.hate_crime:
            return text
    raise AssertionError("the model asks the danger question of none of the unsure messages")


def flags_of(live_redis: redis.Redis, key: str) -> dict:  # type: ignore[type-arg]
    loaded: dict = json.loads(plain(live_redis.get(f"asb:conv:{key}:flags")) or b"{}")  # type: ignore[type-arg]
    return loaded


def emergency_of(live_redis: redis.Redis, key: str) -> dict | None:  # type: ignore[type-arg]
    emergency_id = live_redis.get(f"asb:conv:{key}:emergency")
    if emergency_id is None:
        return None
    loaded: dict = json.loads(plain(live_redis.get(f"asb:emergency:{emergency_id.decode()}")))  # type: ignore[type-arg]
    return loaded


def user_texts(live_redis: redis.Redis, key: str) -> list[str]:
    raw = live_redis.get(f"asb:tracker:{key}")
    events = tracker_events(raw) if raw else []
    return [e.get("text") for e in events if e["event"] == "user"]


def test_yes_on_chat_is_the_emergency_path_and_the_report_goes_on(
    live_stack: Stack, live_gateway_url: str, live_redis: redis.Redis, unsure_message: str
) -> None:
    body = post(live_gateway_url, unsure_message)
    key = conversation_key(live_stack, body["conversation_id"])
    (question,) = body["messages"]
    assert question["text"].endswith(QUESTION_TEXT)
    assert [b["title"] for b in question["buttons"]] == ["Yes", "No"]
    assert emergency_of(live_redis, key) is None  # asked, not yet flagged
    assert user_texts(live_redis, key) == []  # nothing reached Rasa before the answer

    answered = post(live_gateway_url, "yes", body["conversation_id"])
    first = answered["messages"][0]
    assert first.get("urgent") is True and "call 999 now" in first["text"]
    emergency = emergency_of(live_redis, key)
    assert emergency is not None and emergency["text"] == f"{unsure_message}\nyes"
    assert "answer" in emergency["cues"] and emergency["evidence"]
    flags = flags_of(live_redis, key)
    assert flags["emergency"] is True and flags["danger_question"] == "yes"
    # The report goes on from the resident's own words, not from "yes".
    assert user_texts(live_redis, key) == [unsure_message]
    assert len(answered["messages"]) > 1


def test_no_on_chat_goes_on_with_the_report_and_records_the_answer(
    live_stack: Stack, live_gateway_url: str, live_redis: redis.Redis, unsure_message: str
) -> None:
    body = post(live_gateway_url, unsure_message)
    key = conversation_key(live_stack, body["conversation_id"])
    answered = post(live_gateway_url, "no", body["conversation_id"])
    assert not any(m.get("urgent") for m in answered["messages"])
    assert answered["messages"], "the report should go on"
    assert emergency_of(live_redis, key) is None
    flags = flags_of(live_redis, key)
    assert flags["emergency"] is False and flags["danger_question"] == "no"
    assert flags["danger_unconfirmed"] is False
    assert user_texts(live_redis, key) == [unsure_message]


def test_no_usable_answer_asks_once_more_then_goes_on_unconfirmed(
    live_stack: Stack, live_gateway_url: str, live_redis: redis.Redis, unsure_message: str
) -> None:
    body = post(live_gateway_url, unsure_message)
    key = conversation_key(live_stack, body["conversation_id"])
    again = post(live_gateway_url, "what do you mean", body["conversation_id"])
    assert [m["text"] for m in again["messages"]][-1].startswith("Sorry, I need a yes or a no")
    went_on = post(live_gateway_url, "asdfgh", body["conversation_id"])
    assert went_on["messages"] and "yes or a no" not in went_on["messages"][-1]["text"]
    flags = flags_of(live_redis, key)
    assert flags["danger_question"] == "unanswered" and flags["danger_unconfirmed"] is True
    assert user_texts(live_redis, key) == [unsure_message]


def test_yes_with_rasa_down_is_answered_and_the_script_takes_the_report(
    live_stack: Stack, gateway_without_rasa: str, live_redis: redis.Redis, unsure_message: str
) -> None:
    body = post(gateway_without_rasa, unsure_message)
    assert body["messages"][-1]["text"].endswith(QUESTION_TEXT)
    answered = post(gateway_without_rasa, "Yes", body["conversation_id"])
    texts = [m["text"] for m in answered["messages"]]
    assert answered["messages"][0].get("urgent") is True and "call 999 now" in texts[0]
    key = conversation_key(live_stack, body["conversation_id"])
    assert emergency_of(live_redis, key) is not None
    assert len(texts) > 1  # then the scripted report (or its apology) goes on


GATEWAYS = pytest.mark.parametrize("gateway", ["live_gateway_url", "gateway_without_rasa"])


@GATEWAYS
def test_sms_question_takes_a_numbered_reply(
    gateway: str,
    request: pytest.FixtureRequest,
    live_redis: redis.Redis,
    live_stack: Stack,
    unsure_message: str,
) -> None:
    """With Rasa up and with it down (the question never waits on Rasa)."""
    from tests.telephony.test_sms_live import conversation_key as sms_key

    with httpx.Client(base_url=request.getfixturevalue(gateway), timeout=60) as http:
        resident = SmsResident(http)
        texts = resident.text(unsure_message)
        assert QUESTION_TEXT in texts[-1] and "1 for Yes" in texts[-1]
        texts = resident.text("1")
    assert "call 999 now" in texts[0]
    emergency = emergency_of(live_redis, sms_key(live_stack, resident.number))
    assert emergency is not None and emergency["contact"] == resident.number


@GATEWAYS
@pytest.mark.parametrize("yes", [{"Digits": "1"}, {"SpeechResult": "yes"}])
def test_phone_question_takes_the_keypad_or_speech(
    gateway: str,
    yes: dict[str, str],
    request: pytest.FixtureRequest,
    live_redis: redis.Redis,
    unsure_message: str,
) -> None:
    with httpx.Client(base_url=request.getfixturevalue(gateway), timeout=60) as http:
        caller = Caller(http)
        root = caller.post("/twilio/voice")
        gather = root.find("Gather")
        assert gather is not None
        root = settle(caller, caller.post(gather.attrib["action"], SpeechResult=unsure_message))
        spoken = " ".join(said(root))
        assert QUESTION_TEXT in spoken and "press 1" in spoken, caller.dump()
        root = settle(caller, caller.follow(root, **yes))
        assert "999" in said(root)[0], caller.dump()
    raised = [
        json.loads(plain(live_redis.get(k)) or b"{}")
        for k in live_redis.scan_iter("asb:emergency:EM-*")
    ]
    assert any(e.get("contact") == caller.number and e.get("channel") == "voice" for e in raised)


# Messages that might be hate incidents and might not: the model's verdict decides which
# of them it is unsure about; the test uses the first.
MAYBE_HATE = [
    "they only ever do it to our house and we're the only family like us on the street",
    "the kids keep shouting things at my son about the way he walks",
    "they keep calling my partner names in the street",
    "the neighbours shout at my wife because of what she wears",
    "they asked me when I'm going home, I was born here",
    "they make comments about my son",
    "the lads at the shop make noises when my daughter walks past",
    "they laugh at my brother because of how he talks",
    "my neighbour says people like us dont belong here",
    "somebody wrote something nasty on our door about us",
    "they keep staring at my mum when she goes to the mosque",
    "the woman upstairs keeps moaning about the smell of our cooking",
    "they took a photo of me and my girlfriend and laughed",
    "kids follow my uncle shouting because of his accent",
    "they called my son a weirdo again because he flaps his hands",
    "since we moved in the neighbours won't speak to us and leave rubbish in our garden",
    "my neighbour keeps asking where I'm really from",
    "they imitate my dad's voice when he walks past",
    "someone keeps leaving leaflets about immigration on our car",
    "they keep saying I'm not a real woman",
]


def test_a_possible_hate_incident_brings_the_identity_question_forward(
    live_gateway_url: str,
) -> None:
    text = next(
        (t for t in MAYBE_HATE if (v := triage(t, "chat")).hate_question and not v.emergency),
        None,
    )
    assert text is not None, "the model is unsure about none of the possible hate incidents"
    # The resident's first message says what happened (judged, like the candidates, with
    # no earlier messages).
    answered = post(live_gateway_url, text)
    if answered["messages"][-1]["text"].endswith(QUESTION_TEXT):
        answered = post(live_gateway_url, "no", answered["conversation_id"])
    assert "because of who you are" in answered["messages"][-1]["text"]


# Abuse that may or may not be about who the person is: the tests use the first the model
# flags as hate without being sure, and one it is sure of.
FLAGGED_UNSURE = [
    "the fella next door keeps shouting abuse at us over the fence and calling our lass names",
    "man outside the shops shouting at women and calling them names when they say no",
    "older lads at the skatepark spit at us and said theyd batter my mate",
    "they keep calling my partner names in the street",
    "the neighbours shout at my wife because of what she wears",
    "the lads at the shop make noises when my daughter walks past",
    "kids follow my uncle shouting because of his accent",
    "they laugh at my brother because of how he talks",
]
SURE = "the lads next door shout p*ki at my husband every time he parks the car"


def test_hate_the_model_is_unsure_of_is_asked_about_not_announced(live_gateway_url: str) -> None:
    text = next(
        (t for t in FLAGGED_UNSURE if (v := triage(t, "chat")).hate_crime and not v.hate_sure),
        None,
    )
    assert text is not None, "the model is sure of every flagged message, or flags none"
    answered = post(live_gateway_url, text)
    said = " ".join(m["text"] for m in answered["messages"])
    if said.endswith(QUESTION_TEXT):
        answered = post(live_gateway_url, "no", answered["conversation_id"])
        said = " ".join(m["text"] for m in answered["messages"])
    assert "treated as a hate incident" not in said
    assert "because of who you are" in answered["messages"][-1]["text"]  # asked at once
    # Their own answer decides what they are told.
    answered = post(live_gateway_url, "yes, because of my race", answered["conversation_id"])
    assert "treated as a hate incident" in " ".join(m["text"] for m in answered["messages"])


def test_hate_the_model_is_sure_of_is_told_at_once(live_gateway_url: str) -> None:
    verdict = triage(SURE, "chat")
    assert verdict.hate_crime and verdict.hate_sure
    answered = post(live_gateway_url, SURE)
    assert "treated as a hate incident" in " ".join(m["text"] for m in answered["messages"])
