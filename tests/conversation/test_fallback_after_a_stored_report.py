"""Rasa can die after its action stored the report and before it answered: the resident
is told that case's reference, not asked to report again (a second case, a second
acknowledgement). Real Valkey, the service's own composition; a dialogue engine that
stores the case as the submit action would and then fails."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.cases.model import ContactDetails, ReportAnswers
from bot.conversation.dialogue import DialogueUnavailable
from bot.conversation.services import Services
from bot.conversation.turn import TurnResult
from bot.platform.messages import BotMessage
from bot.safety.flags import TriageFlags
from tests.composed_services import composed_services

ANSWERS = ReportAnswers(
    incident_description="teenagers throwing bottles",
    incident_time="last night",
    incident_location="CV1 5FB",
)
CONTACT = ContactDetails(method="sms", phone="+447911123456")


@pytest.fixture
async def services(valkey_url: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Services]:
    async with composed_services(valkey_url, monkeypatch) as svc:
        yield svc


class DiesAfterStoring:
    """Stores the case (the submit action's part) and then fails (Rasa killed)."""

    def __init__(self, svc: Services, store: bool = True) -> None:
        self.svc, self.store = svc, store

    async def send(
        self, sender: str, text: str, channel: str, metadata: dict[str, Any] | None = None
    ) -> list[BotMessage]:
        if self.store:
            await self.svc.intake.submit(
                answers=ANSWERS, contact=CONTACT, consent_to_share=True, channel="chat",
                flags=TriageFlags(), conversation_key=sender,
            )  # fmt: skip
        raise DialogueUnavailable("connection reset")


async def cases_of(svc: Services, key: str) -> list[str]:
    return await svc.cases.submissions(key)


async def test_the_reference_of_a_report_stored_before_the_engine_died_is_told(
    services: Services,
) -> None:
    services.conversations._dialogue = DiesAfterStoring(services)  # type: ignore[assignment]
    _, key = await services.conversations.start_web_chat()
    result = await services.conversations.turn(key, "chat", "Yes, send it")
    [stored] = await cases_of(services, key)
    text = " ".join(m.text for m in result.messages)
    assert stored in text and "your report was saved" in text, text
    assert not await services.redis.exists(services.keys.fallback_report(key))


async def test_a_report_stored_while_the_script_ran_is_not_taken_twice(
    services: Services,
) -> None:
    # The engine failed before its action finished; the action stores the case while the
    # resident is answering the script.
    services.conversations._dialogue = DiesAfterStoring(services, store=False)  # type: ignore[assignment]
    _, key = await services.conversations.start_web_chat()
    first = await services.conversations.turn(key, "chat", "Yes, send it")
    assert "What happened?" in first.messages[-1].text
    case = await services.intake.submit(
        answers=ANSWERS, contact=CONTACT, consent_to_share=True, channel="chat",
        flags=TriageFlags(), conversation_key=key,
    )  # fmt: skip
    for answer in ("teenagers throwing bottles", "CV1 5FB", "07911 123456"):
        last = await services.conversations.turn(key, "chat", answer)
    assert case.reference in last.messages[-1].text
    assert await cases_of(services, key) == [case.reference]


async def test_with_no_report_stored_the_script_takes_one(services: Services) -> None:
    services.conversations._dialogue = DiesAfterStoring(services, store=False)  # type: ignore[assignment]
    _, key = await services.conversations.start_web_chat()
    await services.conversations.turn(key, "chat", "hello")
    for answer in ("teenagers throwing bottles", "CV1 5FB", "07911 123456"):
        last = await services.conversations.turn(key, "chat", answer)
    [reference] = await cases_of(services, key)
    assert reference in last.messages[-1].text


async def test_a_second_report_after_a_scripted_one_is_taken_too(services: Services) -> None:
    # Only a case stored since the conversation was last answered is the report under way.
    services.conversations._dialogue = DiesAfterStoring(services, store=False)  # type: ignore[assignment]
    _, key = await services.conversations.start_web_chat()
    told = []
    for what in ("teenagers throwing bottles", "a car revving all night"):
        await services.conversations.turn(key, "chat", "hello")
        for answer in (what, "CV1 5FB", "07911 123456"):
            last = await services.conversations.turn(key, "chat", answer)
        told.append(last.messages[-1].text)
    references = await cases_of(services, key)
    assert len(set(references)) == 2
    assert all(any(r in t for t in told) for r in references), told


class Answers:
    """Rasa answering; `store` makes this turn store a new report first, and `quiet`
    leaves its reference out of the answer (Rasa finishing a message whose answer went
    nowhere while it answers the resent one)."""

    def __init__(self, svc: Services) -> None:
        self.svc, self.store, self.quiet, self.stored = svc, False, False, 0

    async def send(
        self, sender: str, text: str, channel: str, metadata: dict[str, Any] | None = None
    ) -> list[BotMessage]:
        if self.store:
            self.stored += 1
            report = ANSWERS.model_copy(update={"incident_description": f"report {self.stored}"})
            case = await self.svc.intake.submit(
                answers=report, contact=CONTACT, consent_to_share=True, channel="chat",
                flags=TriageFlags(), conversation_key=sender,
            )  # fmt: skip
            if not self.quiet:
                return [BotMessage(f"Thank you. Your reference is {case.reference}.")]
        return [BotMessage("Sorry, I didn't understand that.")]


def told(result: TurnResult, reference: str) -> bool:
    return any(reference in m.text for m in result.messages)


async def test_a_reference_whose_answer_never_reached_the_resident_is_told_next_time(
    services: Services,
) -> None:
    engine = Answers(services)
    services.conversations._dialogue = engine  # type: ignore[assignment]
    _, key = await services.conversations.start_web_chat()
    # Rasa's action stored the report, then the gateway serving that turn died before
    # passing the answer on: the turn never finished.
    case = await services.intake.submit(
        answers=ANSWERS, contact=CONTACT, consent_to_share=True, channel="chat",
        flags=TriageFlags(), conversation_key=key,
    )  # fmt: skip
    resent = await services.conversations.turn(key, "chat", "Yes, send it")
    texts = [m.text for m in resent.messages]
    assert any(case.reference in t and "your report was saved" in t for t in texts), texts
    # Told once: the next message is answered as usual.
    assert not told(await services.conversations.turn(key, "chat", "thanks"), case.reference)
    # A report whose answer went out with its reference is not told again.
    engine.store = True
    answered = await services.conversations.turn(key, "chat", "Yes, send it")
    [second] = [r for r in await cases_of(services, key) if r != case.reference]
    assert told(answered, second)
    engine.store = False
    assert not told(await services.conversations.turn(key, "chat", "ok"), second)
    # Stored during a turn whose answer does not tell it (the resent message answered
    # while Rasa finished the first): the next answer tells it.
    engine.store = engine.quiet = True
    quiet = await services.conversations.turn(key, "chat", "Yes, send it")
    [third] = [r for r in await cases_of(services, key) if r not in (case.reference, second)]
    assert not told(quiet, third)
    engine.store = engine.quiet = False
    assert told(await services.conversations.turn(key, "chat", "hello?"), third)
