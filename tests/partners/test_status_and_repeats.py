"""A resident's status question, the PIN, repeat victims and the satisfaction answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.cases.model import ContactDetails
from bot.cases.pin import case_pin, find_pin
from bot.cases.repeat_victims import RepeatVictims
from bot.cases.status import CaseStatus
from bot.partners.relay import SatisfactionSurvey
from bot.privacy.contact import pseudonymous_key
from tests.partners.conftest import DeliveryRig

SECRET = b"status-test"
PHONE = "+447700900123"


def status(rig: DeliveryRig) -> CaseStatus:
    return CaseStatus(rig.redis, rig.keys, rig.cases, rig.partnerships, SECRET)


async def test_status_only_to_the_reporter_or_with_the_pin(rig: DeliveryRig) -> None:
    case = await rig.new_case()
    ref = case.reference
    s = status(rig)
    same_number = pseudonymous_key(SECRET, "sms", PHONE)
    assert "is open" in await s.answer(ref, conversation_key="x", same_conversation=True)
    assert "is open" in await s.answer(ref, conversation_key=same_number)
    refused = await s.answer(ref, conversation_key="someone-else")
    assert "PIN" in refused and "is open" not in refused
    unknown = await s.answer("ASB-2222-2222", conversation_key="someone-else")
    assert unknown == refused.replace(ref, "ASB-2222-2222")  # no probing
    pin = case_pin(SECRET, ref)
    assert "is open" in await s.answer(ref, conversation_key="other", pin=pin)
    wrong = "000000" if pin != "000000" else "111111"
    for _ in range(5):
        assert "is open" not in await s.answer(ref, conversation_key="other", pin=wrong)
    assert "Too many" in await s.answer(ref, conversation_key="other", pin=pin)
    assert find_pin(f"what's happening with {ref} pin 12 34 56") == "123456"


async def test_three_reports_in_six_months_make_a_repeat_victim(rig: DeliveryRig) -> None:
    repeats = RepeatVictims(rig.redis, rig.keys, SECRET)
    coventry = rig.partnerships.get("coventry")
    contact = ContactDetails(method="sms", phone="+447700900555")
    now = datetime.now(UTC)
    old = await repeats.record_and_check(coventry, contact, "ASB-OLD", now - timedelta(days=300))
    assert not old.repeat_victim
    first = await repeats.record_and_check(coventry, contact, "ASB-1", now - timedelta(days=90))
    second = await repeats.record_and_check(coventry, contact, "ASB-2", now - timedelta(days=10))
    third = await repeats.record_and_check(coventry, contact, "ASB-3", now)
    assert (first.reports, second.reports, third.reports) == (1, 2, 3)  # the old one expired
    assert third.repeat_victim and not second.repeat_victim
    by_address = ContactDetails(method="letter", address="1 High St, CV1 5FB")
    for n in range(2):
        await repeats.record_and_check(coventry, by_address, f"ASB-A{n}", now)
    again = ContactDetails(method="letter", address="1 HIGH ST CV1 5FB")
    assert (await repeats.record_and_check(coventry, again, "ASB-A3", now)).repeat_victim


async def test_a_satisfaction_reply_is_recorded(rig: DeliveryRig) -> None:
    case = await rig.new_case()
    survey = SatisfactionSurvey(rig.redis, rig.keys, rig.cases, rig.partnerships)
    key = pseudonymous_key(SECRET, "sms", PHONE)

    async def pending() -> bytes | None:  # what the next turn reads
        return await rig.redis.get(survey.pending_key(key))

    assert await pending() is None  # nothing asked
    await rig.redis.set(rig.keys.satisfaction_pending(key), case.reference)
    assert await pending() == case.reference.encode()
    assert await survey.answer(key, case.reference, "what about my other report") is None
    assert await pending() == case.reference.encode()  # still waiting for a score
    reply = await survey.answer(key, case.reference, "1 - nobody came")
    assert reply is not None and "complain" in reply.lower()
    stored = await rig.cases.get(case.reference)
    personal = await rig.cases.get_personal(case.reference)
    assert stored is not None and stored.satisfaction == 1
    assert personal is not None and personal.satisfaction_comment == "nobody came"
    assert await pending() is None  # answered once
