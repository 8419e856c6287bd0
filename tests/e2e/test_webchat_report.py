"""A resident reports ASB over web chat, against the real Rasa server, action server and
Valkey: the reference they are told is a case in Redis with their answers."""

from __future__ import annotations

import json

import pytest
import redis

from bot.cases.reference import normalise_reference
from tests.e2e.chat_driver import ChatResident, reference_in
from tests.records import plain

pytestmark = pytest.mark.rasa

ANSWERS = {
    "incident_description": "A group of teenagers were shouting and throwing bottles at my windows",
    "incident_time": "last night about 11pm",
    "incident_location": "cv15fb",
    "people_involved": "about five teenagers, I don't know them",
    "impact": "I couldn't sleep and I'm scared to go out",
    "targeted_identity": "No",
    "vulnerability": "no",
    "previous_incidents": "yes, every weekend",
    "landlord": "No, I own my home or rent privately",
    "contact_method": "Email",
    "contact_name": "Sam Taylor",
    "contact_email": "Sam.Taylor@Example.org",
    "consent_share": "Yes",
    "report_confirmed": "Yes, send it",
}


def stored_case(live_redis: redis.Redis, reference: str) -> tuple[dict, dict]:  # type: ignore[type-arg]
    case = live_redis.get(f"asb:case:{reference}")
    personal = plain(live_redis.get(f"asb:case:{reference}:personal"))
    assert case is not None and personal is not None, f"{reference} is not in Redis"
    return json.loads(case), json.loads(personal)


def test_full_report_is_stored_under_the_reference_told(
    resident: ChatResident, live_redis: redis.Redis
) -> None:
    final = resident.complete(ANSWERS, "I want to report anti-social behaviour")
    reference = reference_in(final)
    assert reference, resident.dump()
    assert normalise_reference(reference) == reference  # a valid check character
    case, personal = stored_case(live_redis, reference)
    assert case["channel"] == "chat"
    assert case["contact_method"] == "email"
    assert case["anonymous"] is False
    assert case["consent_to_share"] is True
    assert case["postcode_district"] == "CV1"
    assert case["contact_key"].startswith("email-")
    assert personal["answers"]["incident_description"] == ANSWERS["incident_description"]
    assert personal["answers"]["incident_location"] == "CV1 5FB"
    assert personal["contact"] == {
        "method": "email", "name": "Sam Taylor", "phone": None,
        "email": "Sam.Taylor@example.org", "address": None,
    }  # fmt: skip
    # The non-personal record holds nothing the resident wrote.
    assert "teenagers" not in json.dumps(case) and "Sam" not in json.dumps(case)


def test_resident_corrects_an_answer_at_the_read_back(
    resident: ChatResident, live_redis: redis.Redis
) -> None:
    answers = dict(ANSWERS, report_confirmed="No, change something")
    messages = resident.complete(answers, "I want to report anti-social behaviour", max_turns=17)
    assert any("which answer" in m["text"].lower() for m in messages), resident.dump()
    messages = resident.say("change the location")
    assert resident.last_question(messages) == "incident_location", resident.dump()
    messages = resident.say("Outside the Co-op on Far Gosford Street CV1 5DZ")
    assert "CV1 5DZ" in messages[-1]["text"], resident.dump()  # read back again
    final = resident.say("Yes, send it")
    reference = reference_in(final)
    assert reference, resident.dump()
    _, personal = stored_case(live_redis, reference)
    assert personal["answers"]["incident_location"].endswith("CV1 5DZ")


def test_resident_changes_an_answer_mid_report(resident: ChatResident) -> None:
    resident.say("I want to report anti-social behaviour")
    resident.say("Someone keeps dumping rubbish in the alley behind my house")
    resident.say("every night this week")
    messages = resident.say("actually can i change when it happened")
    assert resident.last_question(messages) == "incident_time", resident.dump()


def test_stopping_half_way_stores_nothing(resident: ChatResident, live_redis: redis.Redis) -> None:
    before = live_redis.zcard("asb:cases")
    resident.say("I want to report anti-social behaviour")
    resident.say("My neighbour plays loud music until 3am")
    messages = resident.say("stop")
    assert "not been sent" in messages[-1]["text"], resident.dump()
    assert live_redis.zcard("asb:cases") == before


def test_anonymous_report_is_told_nobody_can_reply(
    resident: ChatResident, live_redis: redis.Redis
) -> None:
    answers = dict(ANSWERS, contact_method="No contact (anonymous)")
    final = resident.complete(answers, "I want to report anti-social behaviour")
    said = resident.dump().lower()
    assert "nobody can reply" in said
    reference = reference_in(final)
    assert reference, resident.dump()
    case, personal = stored_case(live_redis, reference)
    assert case["anonymous"] is True and case["contact_key"] is None
    assert personal["contact"]["method"] == "none"


def test_why_and_skip_and_a_person(resident: ChatResident) -> None:
    resident.say("I want to report anti-social behaviour")
    resident.say("Someone is riding motorbikes on the playing field")
    resident.say("this afternoon")
    messages = resident.say("the playing field on Acacia Avenue")
    assert resident.last_question(messages) == "council_area"  # no postcode to tell by
    resident.say("Coventry City Council")
    messages = resident.say("why do you need to know that?")
    assert "description helps" in " ".join(m["text"] for m in messages), resident.dump()
    assert resident.last_question(messages) == "people_involved", resident.dump()
    messages = resident.say("skip")
    assert resident.last_question(messages) == "impact", resident.dump()
    messages = resident.say("can I speak to a person")
    said = " ".join(m["text"] for m in messages)
    assert "101" in said and "999" in said, resident.dump()
    assert resident.last_question(messages) == "impact", resident.dump()


def test_opening_with_what_happened_is_not_asked_again(resident: ChatResident) -> None:
    messages = resident.not_in_danger(resident.say("there are kids throwing stones at my windows"))
    assert resident.last_question(messages) == "incident_time", resident.dump()


RICH_OPENING = (
    "The lads at 14 Spon Street CV1 5FB have been playing music till 3am every night "
    "this week, I can't sleep and I've got work"
)
GIVEN_IN_THE_OPENING = {
    "incident_description", "incident_time", "incident_location", "people_involved",
    "impact", "previous_incidents",
}  # fmt: skip


def test_a_rich_first_message_reaches_a_reference_in_five_messages(
    resident: ChatResident, live_redis: redis.Redis
) -> None:
    answers = dict(ANSWERS, contact_method="Text me on 07911 123456, I'm Sam")
    final = resident.complete(answers, RICH_OPENING)
    reference = reference_in(final)
    assert reference, resident.dump()
    said = [text for who, text in resident.transcript if who == "resident"]
    assert len(said) <= 5, resident.dump()  # the target is 6
    bot_said = [{"text": text} for who, text in resident.transcript if who == "bot"]
    asked = {resident.last_question([message]) for message in bot_said}
    assert not asked & GIVEN_IN_THE_OPENING, resident.dump()
    _, personal = stored_case(live_redis, reference)
    assert personal["answers"] | {"incident_description": None} == personal["answers"] | {
        "incident_description": None,
        "incident_time": "till 3am, every night this week",
        "incident_location": "14 Spon Street, CV1 5FB",
        "people_involved": "The lads at 14 Spon Street",
        "impact": "I can't sleep and I've got work",
        "previous_incidents": "yes (every night)",
    }
    assert personal["contact"]["name"] == "Sam" and personal["contact"]["phone"] == "+447911123456"


def test_a_border_postcode_asks_which_council_area(
    resident: ChatResident, live_redis: redis.Redis
) -> None:
    answers = dict(ANSWERS, incident_location="CV7 9EA")  # Coventry's edge, shared
    answers["council_area"] = "Coventry City Council"
    final = resident.complete(answers, "I want to report anti-social behaviour")
    assert "which council area" in resident.dump().lower()
    reference = reference_in(final)
    assert reference, resident.dump()
    case, _ = stored_case(live_redis, reference)
    assert case["partnership"] == "coventry" and case["area_resolution"] == "asked"


def test_a_town_named_instead_of_a_postcode_chooses_the_council_area(
    resident: ChatResident, live_redis: redis.Redis
) -> None:
    answers = dict(ANSWERS, incident_location="the play park on Bucknell Road, Bicester")
    final = resident.complete(answers, "I want to report anti-social behaviour")
    assert "which council area" not in resident.dump().lower()
    reference = reference_in(final)
    assert reference, resident.dump()
    case, _ = stored_case(live_redis, reference)
    assert case["partnership"] == "cherwell" and case["area_resolution"] == "matched"


def test_an_account_of_what_happened_is_never_turned_away(resident: ChatResident) -> None:
    messages = resident.not_in_danger(
        resident.say(
            "Hello, somebody is flying drone over my garden in Bicester and I think filming "
            "my daughter when she is in paddling pool."
        )
    )
    assert "only take reports" not in " ".join(m["text"] for m in messages), resident.dump()
    assert resident.last_question(messages) == "incident_time", resident.dump()


def test_a_question_for_another_service_is_pointed_elsewhere(resident: ChatResident) -> None:
    messages = resident.say("how do I pay my council tax")
    assert "only take reports" in " ".join(m["text"] for m in messages), resident.dump()


def test_an_answer_mistaken_for_a_command_is_kept_as_the_answer(resident: ChatResident) -> None:
    resident.say("I want to report anti-social behaviour")
    resident.not_in_danger(resident.say("Someone is throwing stones at cars"))
    resident.say("it started again last night")
    messages = resident.say("CV1 5FB")
    assert resident.last_question(messages) == "people_involved", resident.dump()
    messages = resident.say("the kids from the estate")
    assert resident.last_question(messages) == "impact", resident.dump()
    assert "start again" not in resident.dump().lower().split("bot:")[-1]


def test_asking_to_report_with_the_account_in_it_is_not_asked_what_happened(
    resident: ChatResident,
) -> None:
    messages = resident.not_in_danger(
        resident.say("I want to report the motorbikes racing round the field behind my house")
    )
    assert resident.last_question(messages) == "incident_time", resident.dump()


@pytest.mark.parametrize(
    "opening", ["Hello. Me deaf. Chat only, phone no.", "zxq lorem fnord", "ok so yeah"]
)
def test_a_message_nothing_can_place_gets_the_choices_once(
    resident: ChatResident, opening: str
) -> None:
    said = [m["text"] for m in resident.say(opening)]
    assert said.count(said[0]) == 1, said  # once, never the same reply over and over
    # and the resident can go on to report
    answer = resident.say("the lads next door play music till 3am every night")
    assert any("?" in m["text"] for m in answer)
