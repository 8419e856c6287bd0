"""The questions after closure by text, through the service's own conversation turn (real
Valkey; a real HTTP server standing in for the dialogue engine): the score, then the
perception question its thank-you asks, answered by a letter or its words; any other
text carries on as a normal conversation and the question lapses."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator

import pytest

from bot.cases.model import Case, ContactDetails
from bot.conversation.services import Services
from bot.partners.survey import read_perception
from bot.privacy.contact import pseudonymous_key
from telephony.sms_format import MAX_CHARS, gsm_length, sms_bodies
from tests.composed_services import composed_services
from tests.partners.survey_rig import closed_case
from tests.telephony.drivers import a_mobile_number
from tests.telephony.slow_rasa import SlowRasa

ENGINE_REPLY = "What happened? Tell me in your own words."
PREFIXES = itertools.count()


@pytest.fixture(scope="module")
def engine() -> Iterator[SlowRasa]:
    server = SlowRasa(0.0, ENGINE_REPLY)
    yield server
    server.stop()


@pytest.fixture
async def svc(
    valkey_url: str, engine: SlowRasa, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Services]:
    engine.calls.clear()
    async with composed_services(
        valkey_url, monkeypatch, RASA_URL=engine.url, ASB_KEY_PREFIX=f"surveysms{next(PREFIXES)}"
    ) as services:
        yield services


class Texter:
    """A resident texting the service after their case was closed by text."""

    def __init__(self, svc: Services, case: Case, phone: str):
        self.svc = svc
        self.case = case
        self.phone = phone
        self.key = pseudonymous_key(svc.settings.secret_key(), "sms", phone)

    @classmethod
    async def closed(cls, svc: Services, partnership: str = "coventry") -> Texter:
        phone = a_mobile_number()
        contact = ContactDetails(method="sms", name="Sam", phone=phone)
        case = await closed_case(svc.cases, contact, partnership=partnership)
        texter = cls(svc, case, phone)
        # What the closing notice leaves behind (bot/partners/relay.py).
        await svc.redis.set(svc.keys.satisfaction_pending(texter.key), case.reference)
        return texter

    async def text(self, body: str) -> list[str]:
        turn = await self.svc.conversations.turn(self.key, "sms", body, contact=self.phone)
        return [m.text for m in turn.messages]

    async def stored(self) -> Case:
        case = await self.svc.cases.get(self.case.reference)
        assert case is not None
        return case


async def test_a_score_then_a_letter_are_both_stored(svc: Services, engine: SlowRasa) -> None:
    resident = await Texter.closed(svc)
    thanks = await resident.text("4 they sorted it in the end")
    assert "recorded your answer" in thanks[0]
    assert "anti-social behaviour in your area?" in thanks[0]
    assert "Reply A, B, C or D, or SKIP" in thanks[0]
    case = await resident.stored()
    assert case.satisfaction == 4 and case.surveyed_at is not None and case.perception is None
    last = await resident.text("b")
    assert last == ["Thank you for your answers."]
    assert (await resident.stored()).perception == "fairly_big"
    assert engine.calls == []  # neither answer reached the dialogue engine
    # Asked once: a later "a" is an ordinary message, and the answer stays as given.
    assert await resident.text("a") == [ENGINE_REPLY]
    assert (await resident.stored()).perception == "fairly_big"


async def test_the_answers_own_words_and_skip(svc: Services) -> None:
    resident = await Texter.closed(svc)
    await resident.text("5")
    assert await resident.text("Not a problem at all.") == ["Thank you for your answers."]
    assert (await resident.stored()).perception == "not_a_problem"
    skipper = await Texter.closed(svc)
    await skipper.text("3")
    assert await skipper.text("SKIP") == ["Thank you for your answers."]
    case = await skipper.stored()
    assert case.satisfaction == 3 and case.perception is None


async def test_any_other_text_lapses_the_question_and_carries_on(
    svc: Services, engine: SlowRasa
) -> None:
    resident = await Texter.closed(svc)
    await resident.text("2")
    reply = await resident.text("the music has started again next door")
    assert reply == [ENGINE_REPLY]  # the conversation goes on as normal
    assert len(engine.calls) == 1
    assert await resident.text("C") == [ENGINE_REPLY]  # no longer taken as an answer
    case = await resident.stored()
    assert case.satisfaction == 2 and case.perception is None


async def test_an_emergency_is_never_taken_as_an_answer(svc: Services) -> None:
    resident = await Texter.closed(svc)
    await resident.text("1")
    reply = await resident.text("a man is outside with a knife right now")
    assert any("999" in text for text in reply)
    assert "Thank you for your answers." not in reply
    # The question has lapsed: "a" is not taken as an answer to it, and goes on to the
    # dialogue as any message does.
    assert await resident.text("a") == [ENGINE_REPLY]
    assert (await resident.stored()).perception is None


@pytest.mark.parametrize(
    "partnership", ["bolsover", "cherwell", "chesterfield", "coventry", "northamptonshire"]
)
async def test_each_text_stays_within_two_segments(svc: Services, partnership: str) -> None:
    """The longest thank-you (a score of 1, with the complaint route) still goes as texts
    of at most two segments each, the question kept whole in one of them."""
    resident = await Texter.closed(svc, partnership)
    turn = await svc.conversations.turn(resident.key, "sms", "1", contact=resident.phone)
    bodies = sms_bodies(turn.messages)
    assert all(gsm_length(body) <= MAX_CHARS for body in bodies), bodies
    assert any("complaints policy" in body for body in bodies)
    assert any("Reply A, B, C or D, or SKIP." in body for body in bodies)


def test_replies_read_as_perception_answers() -> None:
    assert read_perception("A") == "very_big"
    assert read_perception(" b. ") == "fairly_big"
    assert read_perception("a very big problem") == "very_big"
    assert read_perception("Fairly big") == "fairly_big"
    assert read_perception("not very big") == "not_very_big"
    assert read_perception("it's not a problem") == "not_a_problem"
    assert read_perception("d)") == "not_a_problem"
    assert read_perception("Skip") == "skip"
    for other in ("no", "a big dog is barking", "abc", "it is a very big problem on my road"):
        assert read_perception(other) is None, other
