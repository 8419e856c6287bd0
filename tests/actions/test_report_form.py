from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.report_form import ValidateReportForm
from actions.report_summary import ActionAskReportConfirmed
from actions.risk_question import (
    TOGETHER,
    WITH_PREVIOUS,
    ActionAskTargetedIdentity,
    ActionAskVulnerability,
)
from tests.actions.conftest import asked_both, load_tracker, slot_events


async def validate(  # type: ignore[no-untyped-def]
    domain: dict[str, Any],
    requested: str,
    text: str,
    metadata: dict[str, Any] | None = None,
    **slots: Any,
):
    tracker = load_tracker(
        "report_form_in_progress",
        slots={requested: text, "requested_slot": requested, **slots},
        text=text,
        extracted=[requested],
        metadata=metadata or {},
    )
    dispatcher = CollectingDispatcher()
    events = await ValidateReportForm().run(dispatcher, tracker, domain)
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    return slot_events(events), said, dispatcher


async def test_a_non_answer_read_from_another_answer_is_not_stored(
    domain: dict[str, Any],
) -> None:
    # Asked who is involved; the words about someone at risk say "I don't know": the
    # household's question is asked in its turn, not answered "unknown".
    slots, said, _ = await validate(
        domain, "people_involved", "The man at 63, I don't know his name, he's disabled"
    )
    assert slots.get("vulnerability") is None and "didn't catch" not in said


async def test_a_postcode_is_normalised(domain: dict[str, Any]) -> None:
    slots, said, _ = await validate(domain, "incident_location", "cv15fb")
    assert slots["incident_location"] == "CV1 5FB"
    assert said == ""


async def test_a_landmark_is_accepted_and_nonsense_is_explained(domain: dict[str, Any]) -> None:
    slots, _, _ = await validate(domain, "incident_location", "the park behind the Co-op")
    assert slots["incident_location"] == "the park behind the Co-op"
    slots, said, _ = await validate(domain, "incident_location", "42")
    assert slots["incident_location"] is None
    assert "postcode" in said


async def test_a_bad_phone_number_is_asked_again(domain: dict[str, Any]) -> None:
    slots, said, _ = await validate(domain, "contact_phone", "12345", contact_method="sms")
    assert slots["contact_phone"] is None
    assert "UK phone number" in said
    slots, _, _ = await validate(domain, "contact_phone", "07911 123456", contact_method="sms")
    assert slots["contact_phone"] == "+447911123456"


async def test_a_bad_email_is_asked_again(domain: dict[str, Any]) -> None:
    slots, said, _ = await validate(domain, "contact_email", "sam at home", contact_method="email")
    assert slots["contact_email"] is None and "email address" in said


async def test_optional_questions_can_be_skipped_required_ones_cannot(
    domain: dict[str, Any],
) -> None:
    slots, _, _ = await validate(domain, "impact", "skip")
    assert slots["impact"] == "skipped"
    slots, said, _ = await validate(domain, "incident_location", "skip")
    assert slots["incident_location"] is None and "need this one" in said


async def test_anonymous_reporting_is_explained(domain: dict[str, Any]) -> None:
    slots, said, _ = await validate(domain, "contact_method", "No contact (anonymous)")
    assert slots["contact_method"] == "none"
    assert "nobody can reply" in said


async def test_only_the_chosen_contact_details_are_asked_for(domain: dict[str, Any]) -> None:
    form = ValidateReportForm()
    dispatcher = CollectingDispatcher()
    tracker = load_tracker("report_form_in_progress", slots={"contact_method": "email"})
    required = await form.required_slots([], dispatcher, tracker, domain)
    assert "contact_email" in required and "contact_phone" not in required
    tracker = load_tracker("report_form_in_progress", slots={"contact_method": "none"})
    required = await form.required_slots([], dispatcher, tracker, domain)
    assert not {"contact_name", "contact_phone", "contact_email", "contact_address"} & set(required)
    # An email said in passing by one resident who wants texts is kept for them, and
    # another resident who wants texts is not then asked for an email.
    given = {"contact_method": "sms", "contact_email": "sam@example.com"}
    tracker = load_tracker("report_form_in_progress", slots=given)
    assert "contact_email" in await form.required_slots([], dispatcher, tracker, domain)
    tracker = load_tracker("report_form_in_progress", slots={"contact_method": "sms"})
    assert "contact_email" not in await form.required_slots([], dispatcher, tracker, domain)


async def test_a_possible_hate_incident_asks_about_identity_straight_after_what_happened(
    domain: dict[str, Any],
) -> None:
    form = ValidateReportForm()
    dispatcher = CollectingDispatcher()
    tracker = load_tracker("report_form_in_progress")
    usual = await form.required_slots([], dispatcher, tracker, domain)
    assert usual.index("targeted_identity") > usual.index("impact")
    tracker.events.append(
        {"event": "user", "text": "they only ever do it to us", "metadata": {"hate_question": True}}
    )
    unsure = await form.required_slots([], dispatcher, tracker, domain)
    assert unsure[unsure.index("incident_description") + 1] == "targeted_identity"
    assert sorted(unsure) == sorted(usual)


async def test_hate_answer_is_acknowledged(domain: dict[str, Any]) -> None:
    slots, said, _ = await validate(domain, "targeted_identity", "Religion")
    assert slots["targeted_identity"] == "religion"
    assert "hate incident" in said and "police" in said


async def test_saying_no_at_the_read_back_asks_what_to_change(domain: dict[str, Any]) -> None:
    slots, _, dispatcher = await validate(domain, "report_confirmed", "No, change something")
    assert slots["report_confirmed"] is None
    assert dispatcher.messages[0]["response"] == "utter_ask_which_field"
    slots, said, _ = await validate(domain, "report_confirmed", "Where")
    assert slots["incident_location"] is None and slots["report_confirmed"] is None
    assert "change that" in said


async def test_read_back_shows_every_answer(domain: dict[str, Any]) -> None:
    tracker = load_tracker("report_confirmed")
    dispatcher = CollectingDispatcher()
    await ActionAskReportConfirmed().run(dispatcher, tracker, domain)
    text = dispatcher.messages[0]["text"]
    for expected in ["racist graffiti", "CV2 4AB", "race or nationality", "by text message",
                     "+447911123456", "Is this right?"]:  # fmt: skip
        assert expected in text
    assert "Shared in confidence with the agencies" in text  # consent is asked here
    # A text message's read-back: each answer cut to a line, so it fits in three texts.
    assert len(text) < 900 and all(len(line) <= 70 for line in text.splitlines()[:-3])
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == [
        "Yes, send it",
        "Send, but don't share it",
        "No, change something",
    ]


async def test_the_residents_words_around_a_postcode_keep_their_case(
    domain: dict[str, Any],
) -> None:
    slots, _, _ = await validate(domain, "incident_location", "Outside the Co-op cv15fb")
    assert slots["incident_location"] == "Outside the Co-op, CV1 5FB"


async def test_the_landlord_is_one_of_the_partnerships_housing_agencies(
    domain: dict[str, Any],
) -> None:
    location = {"incident_location": "CV1 5FB"}  # Coventry
    slots, _, _ = await validate(domain, "landlord", "Citizen", **location)
    assert slots["landlord"] == "citizen_housing"
    slots, _, _ = await validate(
        domain, "landlord", "No, I own my home or rent privately", **location
    )
    assert slots["landlord"] == "none"
    slots, said, _ = await validate(domain, "landlord", "Acme Lettings", **location)
    assert slots["landlord"] is None and "from the list" in said


async def test_the_landlord_is_asked_about_trouble_at_home_not_in_a_park(
    domain: dict[str, Any],
) -> None:
    form = ValidateReportForm()

    async def asks_landlord(description: str, location: str) -> bool:
        slots = {"incident_description": description, "incident_location": location}
        tracker = load_tracker("report_form_in_progress", slots=slots)
        return "landlord" in await form.required_slots([], CollectingDispatcher(), tracker, domain)

    assert await asks_landlord("the lads at number 14 play music till 3am", "Spon St, CV1 5FB")
    assert not await asks_landlord("men drinking in the play area", "Edgwick Park, CV6 5HA")
    # By the park, but outside their home: asked.
    assert await asks_landlord("kids from the park kick a ball at our windows", "CV1 5FB")


async def test_moving_the_report_elsewhere_drops_a_landlord_of_the_old_area(
    domain: dict[str, Any],
) -> None:
    slots, _, _ = await validate(domain, "incident_location", "NN1 1DE", landlord="citizen_housing")
    assert slots["incident_location"] == "NN1 1DE" and slots["landlord"] is None


async def test_not_knowing_is_stored_as_unknown_never_as_the_words(
    domain: dict[str, Any],
) -> None:
    for text in ("dunno", "not sure tbh", "no idea", "idk"):
        slots, _, _ = await validate(domain, "people_involved", text)
        assert slots["people_involved"] == "unknown", text
    slots, _, _ = await validate(domain, "incident_time", "can't remember")
    assert slots["incident_time"] == "unknown"


async def test_a_needed_answer_is_asked_once_more_with_an_example_then_unknown(
    domain: dict[str, Any],
) -> None:
    slots, said, _ = await validate(domain, "incident_location", "dunno")
    assert slots["incident_location"] is None and "CV1 5FB" in said
    asked_twice = load_tracker(
        "report_form_in_progress",
        slots={"incident_location": "no idea", "requested_slot": "incident_location"},
        text="no idea",
        extracted=["incident_location"],
    )
    for _ in range(2):
        asked_twice.events.append(
            {"event": "slot", "name": "requested_slot", "value": "incident_location"}
        )
    events = await ValidateReportForm().run(CollectingDispatcher(), asked_twice, domain)
    assert slot_events(events)["incident_location"] == "unknown"


async def test_a_question_back_gets_the_reason_and_the_question_again(
    domain: dict[str, Any],
) -> None:
    slots, _, dispatcher = await validate(domain, "impact", "what do you mean?")
    assert slots["impact"] is None
    assert [m.get("response") for m in dispatcher.messages] == ["utter_why_impact"]


async def test_an_address_given_as_the_place_is_not_asked_for_again(
    domain: dict[str, Any],
) -> None:
    place = "outside my house 12 Hawthorn Grove Hasland Chesterfield"
    slots, said, _ = await validate(
        domain, "contact_address", "same as I gave you before where it's happening that's my house",
        incident_location=place, contact_method="letter",
    )  # fmt: skip
    assert slots["contact_address"] == place and said == ""
    # No place with a house number to point back to: asked for in full.
    slots, said, _ = await validate(
        domain, "contact_address", "same as before", incident_location="the park",
        contact_method="letter",
    )  # fmt: skip
    assert slots["contact_address"] is None and "postcode" in said


async def test_asked_to_say_it_again_the_form_asks_it_again(domain: dict[str, Any]) -> None:
    slots, said, _ = await validate(domain, "incident_time", "sorry can you say that again dear")
    assert slots["incident_time"] is None and said == ""
    assert slots["requested_slot"] == "incident_time"


async def test_keyboard_mash_and_a_lone_emoji_are_not_answers(domain: dict[str, Any]) -> None:
    for text in ("asdfgh", "🙂", "...", "jjjjjj"):
        slots, said, _ = await validate(domain, "impact", text)
        assert slots["impact"] is None and "didn't catch" in said, text
    slots, said, _ = await validate(domain, "incident_description", "qwerty")
    assert slots["incident_description"] is None and "didn't catch" in said
    slots, _, _ = await validate(domain, "impact", "I can't sleep and I'm scared to go out")
    assert slots["impact"] == "I can't sleep and I'm scared to go out"


async def test_a_rich_first_message_fills_every_field_it_gives(domain: dict[str, Any]) -> None:
    text = (
        "The lads at 14 Spon Street CV1 5FB have been playing music till 3am every night "
        "this week, I can't sleep and I've got work"
    )
    slots, said, _ = await validate(domain, "incident_description", text, incident_time=None)
    assert slots["incident_description"] == text
    assert slots["incident_location"] == "14 Spon Street, CV1 5FB"
    assert slots["incident_time"] == "till 3am, every night this week"
    assert slots["people_involved"] == "The lads at 14 Spon Street"
    assert slots["impact"] == "I can't sleep and I've got work"
    assert slots["previous_incidents"].startswith("yes")
    assert said == ""
    # Nothing to find: nothing else is filled, and the form asks as before.
    slots, _, _ = await validate(
        domain, "incident_description", "Someone smashed the bus shelter", incident_time=None
    )
    assert set(slots) - {"requested_slot"} == {"incident_description"}


async def test_a_name_and_number_in_the_first_message_are_kept_for_the_contact(
    domain: dict[str, Any],
) -> None:
    text = (
        "hi my name is daniel okafor 07911 152840. theres been a man begging outside the "
        "tesco express on far gosford street cv1 5dz every day this week"
    )
    slots, _, _ = await validate(domain, "incident_description", text, incident_time=None)
    assert slots["contact_name"] == "Daniel Okafor"
    assert slots["contact_phone"] == "+447911152840"
    # Then "call me on that number" chooses the way, and neither is asked for again.
    slots, _, _ = await validate(
        domain, "contact_method", "call me on that number",
        contact_name="Daniel Okafor", contact_phone="+447911152840",
    )  # fmt: skip
    assert slots["contact_method"] == "phone"
    assert slots["requested_slot"] not in ("contact_name", "contact_phone")
    # Anonymous after all: the name and number said earlier are not kept.
    slots, _, _ = await validate(
        domain, "contact_method", "No contact (anonymous)",
        contact_name="Daniel Okafor", contact_phone="+447911152840",
    )  # fmt: skip
    assert slots["contact_method"] == "none"
    assert slots["contact_name"] is None and slots["contact_phone"] is None


async def test_a_landlord_said_in_passing_is_not_asked_for(domain: dict[str, Any]) -> None:
    text = "Music till 3am from number 14 Spon Street CV1 5FB, we own our house next door"
    slots, _, _ = await validate(domain, "incident_description", text, landlord=None)
    assert slots["landlord"] == "none"
    slots, _, _ = await validate(
        domain, "impact", "I'm a Citizen tenant and I can't sleep", landlord=None,
        incident_location="14 Spon Street, CV1 5FB",
    )  # fmt: skip
    assert slots["landlord"] == "citizen_housing"


async def test_one_answer_fills_when_and_where(domain: dict[str, Any]) -> None:
    slots, _, _ = await validate(
        domain,
        "incident_time",
        "last night about 11 outside the Co-op on Far Gosford Street",
        incident_location=None,
    )
    assert slots["incident_time"] == "last night, about 11"
    assert slots["incident_location"] == "outside the Co-op on Far Gosford Street"


async def test_a_fact_already_given_is_not_overwritten_by_a_later_answer(
    domain: dict[str, Any],
) -> None:
    slots, _, _ = await validate(
        domain, "impact", "I'm scared, it happens every night", previous_incidents="no"
    )
    assert slots["impact"] == "I'm scared, it happens every night"
    assert "previous_incidents" not in slots


async def test_the_contact_answer_can_give_the_name_too(domain: dict[str, Any]) -> None:
    slots, _, _ = await validate(domain, "contact_method", "Text me on 07911 123456, I'm Sam")
    assert slots["contact_method"] == "sms"
    assert slots["contact_name"] == "Sam" and slots["contact_phone"] == "+447911123456"


async def test_someone_reporting_for_another_gives_their_own_name_with_who_they_are(
    domain: dict[str, Any],
) -> None:
    slots, _, _ = await validate(domain, "contact_method", "Phone me please, I'm his sister Debbie")
    assert slots["contact_method"] == "phone" and slots["contact_name"] == "Debbie"
    slots, _, _ = await validate(domain, "contact_method", "email, I'm his carer, Mark Jones")
    assert slots["contact_name"] == "Mark Jones"


async def test_a_letter_goes_to_the_home_they_gave_as_the_place(domain: dict[str, Any]) -> None:
    home = {"incident_location": "Outside my house, 27 Old Road, Chesterfield, S40 3QG"}
    slots, _, _ = await validate(domain, "contact_method", "A letter please", **home)
    assert slots["contact_address"] == "27 Old Road, Chesterfield, S40 3QG"
    park = {"incident_location": "the park on Old Road, S40 3QG"}
    slots, _, _ = await validate(domain, "contact_method", "A letter please", **park)
    assert "contact_address" not in slots  # not their home: asked


async def test_a_texter_is_not_asked_for_the_number_they_text_from(
    domain: dict[str, Any],
) -> None:
    sender = {"sender_phone": "+447911123457"}
    slots, _, _ = await validate(domain, "contact_method", "text me", metadata=sender)
    assert slots["contact_phone"] == "+447911123457"  # shown in the read-back
    slots, _, _ = await validate(domain, "contact_method", "email", metadata=sender)
    assert "contact_phone" not in slots
    # Another number is asked for, never assumed to be this one.
    for said in ("Ring me on my work mobile, not this one", "Phone call please, on my shop mobile",
                 "ring my mum but she needs someone who speaks urdu",
                 "Please phone her daughter, not Mrs Beale."):  # fmt: skip
        slots, _, _ = await validate(domain, "contact_method", said, metadata=sender)
        assert slots["contact_method"] == "phone" and "contact_phone" not in slots


async def test_asking_if_it_is_anonymous_is_answered_not_taken_for_a_name(
    domain: dict[str, Any],
) -> None:
    said = "is this anonymous? I don't want them to find out it was me"
    slots, reply, _ = await validate(domain, "contact_name", said, contact_method="email")
    assert slots["contact_name"] is None and "in confidence" in reply and "no name" in reply
    slots, reply, _ = await validate(domain, "contact_method", "will they know it was me?")
    assert slots["contact_method"] is None and "in confidence" in reply
    slots, _, _ = await validate(domain, "contact_method", "can I stay anonymous please")
    assert slots["contact_method"] == "none"  # asked for, not asked about


async def test_one_way_only_said_later_changes_the_way(domain: dict[str, Any]) -> None:
    slots, _, _ = await validate(
        domain, "contact_name", "Darren Cole, 07700 900518, text only", contact_method="phone"
    )
    assert slots["contact_method"] == "sms" and slots["contact_name"] == "Darren Cole"
    assert slots["contact_phone"] == "+447700900518"
    slots, _, _ = await validate(
        domain, "contact_method", "Phone no good. Me deaf. What other way?"
    )
    assert slots["contact_method"] is None


async def test_a_way_they_cannot_use_is_not_chosen_and_who_they_are_is_not_their_name(
    domain: dict[str, Any],
) -> None:
    said = "I am Deaf. Cannot phone. What other way?"
    slots, reply, _ = await validate(domain, "contact_method", said)
    assert slots["contact_method"] is None and "contact_name" not in slots
    assert "text message" in reply  # the other ways, offered again


async def test_a_correction_while_another_question_is_asked_changes_the_earlier_answer(
    domain: dict[str, Any],
) -> None:
    slots, said, _ = await validate(
        domain, "people_involved", "actually it was Tuesday not Monday", incident_time="Monday"
    )
    assert slots["incident_time"] == "Tuesday"
    assert slots["people_involved"] is None  # asked again, not stored as the answer
    assert "changed" in said


async def test_an_answer_then_a_correction_keeps_both(domain: dict[str, Any]) -> None:
    said = "About 6 of them, teenagers. Oh and sorry, it's Portland Road not Portland Street"
    slots, reply, _ = await validate(
        domain, "people_involved", said, incident_location="Portland Street, Coventry"
    )
    assert slots["people_involved"] == "About 6 of them, teenagers."
    assert "Portland Road" in slots["incident_location"].title()
    assert "changed" in reply


@pytest.mark.parametrize(
    "said",
    [
        "oh sorry i put portland st before, i meant portland road",
        "Sorry, I typed the street wrong, it is Portland Road",
    ],
)
async def test_a_correction_that_says_what_was_meant(domain: dict[str, Any], said: str) -> None:
    slots, reply, _ = await validate(
        domain, "impact", said, incident_location="Portland Street, Coventry"
    )
    assert "Portland Road" in slots["incident_location"].title()
    assert slots["impact"] is None and "changed" in reply


@pytest.mark.parametrize(
    ("said", "place"),
    [
        ("the school. do u need the proper address?", "the school"),
        ("by the park gates - do you want the postcode?", "by the park gates"),
        ("do you need the postcode? its cv2 4ab", "CV2 4AB"),
    ],
)
async def test_a_place_with_a_question_beside_it_is_the_place(
    domain: dict[str, Any], said: str, place: str
) -> None:
    slots, _, _ = await validate(domain, "incident_location", said)
    assert slots["incident_location"].rstrip(".") == place


async def test_an_answer_with_a_why_gets_the_reason_and_is_kept(domain: dict[str, Any]) -> None:
    said = "Why on earth do you require the precise time? It happens overnight."
    slots, _, dispatcher = await validate(domain, "incident_time", said)
    assert "overnight" in slots["incident_time"]
    said_back = [m.get("response") for m in dispatcher.messages]
    assert "utter_why_incident_time" in said_back  # the reason the time is asked for


async def test_like_i_said_is_no_part_of_the_place(domain: dict[str, Any]) -> None:
    said = "i said, outside the kebab shop on High Street Rushden"
    slots, _, _ = await validate(domain, "incident_location", said)
    assert slots["incident_location"].startswith("outside the kebab shop")


async def test_the_people_in_a_risk_answer_are_not_who_did_it(domain: dict[str, Any]) -> None:
    said = "yes all thirty two residents are over sixty five several have dementia"
    slots, _, _ = await validate(domain, "vulnerability", said)
    assert "dementia" in slots["vulnerability"] and "people_involved" not in slots


async def read_back_answer(domain: dict[str, Any], text: str) -> tuple[dict[str, Any], str]:
    tracker = load_tracker(
        "report_form_in_progress",
        slots={
            "report_confirmed": text, "requested_slot": "report_confirmed",
            "incident_time": "Monday", "incident_location": "14 Spon Street, CV1 5FB",
            "contact_method": "sms", "contact_name": "Sam", "contact_phone": "+447911123456",
        },
        text=text,
        extracted=["report_confirmed"],
    )  # fmt: skip
    dispatcher = CollectingDispatcher()
    events = await ValidateReportForm().run(dispatcher, tracker, domain)
    return slot_events(events), " ".join(m.get("text") or "" for m in dispatcher.messages)


async def test_the_read_back_takes_corrections_in_plain_words(domain: dict[str, Any]) -> None:
    slots, said = await read_back_answer(domain, "no, it was Tuesday")
    assert slots["incident_time"] == "Tuesday" and slots["report_confirmed"] is None
    assert "changed" in said
    slots, _ = await read_back_answer(domain, "the postcode is CV2 4AB")
    assert slots["incident_location"] == "14 Spon Street, CV2 4AB"
    slots, _ = await read_back_answer(domain, "take my name off it")
    assert slots["contact_name"] == "skipped"
    slots, _ = await read_back_answer(domain, "my number is 07911 123458")
    assert slots["contact_phone"] == "+447911123458"


async def test_a_yes_that_adds_a_detail_sends_the_report_with_it(
    domain: dict[str, Any],
) -> None:
    slots, _ = await read_back_answer(domain, "yes but the older one had a red cap on")
    assert slots["report_confirmed"] == "yes"
    assert "the older one had a red cap on" in slots["incident_description"]
    slots, _ = await read_back_answer(domain, "yes but quick please")  # nothing added
    assert slots["report_confirmed"] == "yes" and "incident_description" not in slots


async def test_yes_in_other_words_sends_the_report(domain: dict[str, Any]) -> None:
    for said in ("thats the one", "Tidy, that's it.", "everything there is right thanks"):
        slots, _ = await read_back_answer(domain, said)
        assert slots["report_confirmed"] == "yes", said
    slots, _ = await read_back_answer(domain, "that isn't it")
    assert slots["report_confirmed"] is None


async def test_more_said_at_the_read_back_is_added_to_what_happened(
    domain: dict[str, Any],
) -> None:
    said = "street drinkers shouting and swearing at customers, one threw a can at my stall"
    slots, reply = await read_back_answer(domain, said)
    assert slots["report_confirmed"] is None and "incident_location" not in slots
    assert said in slots["incident_description"] and "added" in reply


async def test_the_read_back_asks_consent_to_share(domain: dict[str, Any]) -> None:
    slots, _ = await read_back_answer(domain, "Yes, send it")
    assert slots["report_confirmed"] == "yes" and slots["consent_share"] == "yes"
    slots, _ = await read_back_answer(domain, "Send, but don't share it")
    assert slots["report_confirmed"] == "yes" and slots["consent_share"] == "no"
    slots, _ = await read_back_answer(domain, "No, change something")
    assert slots["report_confirmed"] is None and "consent_share" not in slots


async def answered_a_third_time(
    domain: dict[str, Any], slot: str, text: str, **slots: Any
) -> tuple[dict[str, Any], str]:
    """The form's slots and words after `text` answers `slot`, asked for the third time."""
    tracker = load_tracker(
        "report_form_in_progress",
        slots={**slots, slot: text, "requested_slot": slot},
        text=text,
        extracted=[slot],
    )
    asked = sum(
        1 for e in tracker.events if e.get("name") == "requested_slot" and e.get("value") == slot
    )
    for _ in range(3 - asked):
        tracker.events.append({"event": "slot", "name": "requested_slot", "value": slot})
    dispatcher = CollectingDispatcher()
    events = await ValidateReportForm().run(dispatcher, tracker, domain)
    return slot_events(events), " ".join(m.get("text") or "" for m in dispatcher.messages)


async def test_a_question_is_never_asked_more_than_three_times(domain: dict[str, Any]) -> None:
    slots, said = await answered_a_third_time(domain, "incident_location", "42")
    assert slots["incident_location"] == "unknown" and "move on" in said
    # A contact detail that cannot be used: the report goes on without contact.
    slots, said = await answered_a_third_time(
        domain, "contact_phone", "0123", contact_method="phone"
    )
    assert slots["contact_method"] == "none" and "change my contact details" in said


async def test_an_account_that_starts_like_a_correction_is_taken_as_the_account(
    domain: dict[str, Any],
) -> None:
    text = "My neighbours play loud music every night until 3am"
    slots, said, _ = await validate(domain, "incident_description", text, incident_time=None)
    assert slots["incident_description"] == text
    assert slots["incident_time"] == "every night, until 3am"
    assert "changed" not in said


async def test_the_name_and_the_detail_come_in_one_answer(domain: dict[str, Any]) -> None:
    slots, _, _ = await validate(
        domain, "contact_name", "Claire Whitmore, claire.whitmore@example.co.uk",
        contact_method="email",
    )  # fmt: skip
    assert slots["contact_name"] == "Claire Whitmore"
    assert slots["contact_email"] == "claire.whitmore@example.co.uk"
    slots, _, _ = await validate(
        domain, "contact_name", "my name is Sam and my number is 07911 123456",
        contact_method="phone",
    )  # fmt: skip
    assert slots["contact_name"] == "Sam" and slots["contact_phone"] == "+447911123456"
    slots, _, _ = await validate(domain, "contact_name", "Jo Bloggs", contact_method="email")
    assert slots["contact_name"] == "Jo Bloggs" and "contact_email" not in slots
    slots, _, _ = await validate(
        domain, "contact_name",
        "Harold Bentley, 07700 900561. It is a mobile telephone my grandson set up for me.",
        contact_method="phone",
    )  # fmt: skip
    assert slots["contact_name"] == "Harold Bentley" and slots["contact_phone"] == "+447700900561"
    slots, said, _ = await validate(
        domain, "contact_name", "my mobile is 07911 123456, it is the best one",
        contact_method="phone",
    )  # fmt: skip
    assert slots["contact_name"] is None and "name" in said  # no name in it: asked for one
    # Of several parts beside the number, the one written as a name.
    slots, _, _ = await validate(
        domain, "contact_name", "put nan, Pauline Hardy, but ring my mum, 07700 900913",
        contact_method="phone",
    )  # fmt: skip
    assert slots["contact_name"] == "Pauline Hardy"


async def test_a_caller_gives_the_name_spelt_and_the_details_said_aloud(
    domain: dict[str, Any],
) -> None:
    slots, _, _ = await validate(
        domain, "contact_name",
        "its me shelley doughty d o u g h t y im his neighbour, shelley dot doughty at hotmail "
        "dot co dot uk",
        contact_method="email",
    )  # fmt: skip
    assert slots["contact_name"] == "shelley doughty"
    assert slots["contact_email"] == "shelley.doughty@hotmail.co.uk"
    slots, _, _ = await validate(
        domain, "contact_name",
        "gurdev singh sandu, my son number is oh seven seven double oh nine hundred seven one five",
        contact_method="phone",
    )  # fmt: skip
    assert slots["contact_name"] == "gurdev singh sandu"
    assert slots["contact_phone"] == "+447700900715"


async def test_one_answer_gives_the_contact_method_name_and_detail(
    domain: dict[str, Any],
) -> None:
    slots, _, _ = await validate(domain, "contact_method", "Sam, 07911 123456")
    assert (slots["contact_method"], slots["contact_name"], slots["contact_phone"]) == (
        "sms", "Sam", "+447911123456",
    )  # fmt: skip
    slots, _, _ = await validate(domain, "contact_method", "jo.bloggs@example.com, Jo Bloggs")
    assert (slots["contact_method"], slots["contact_name"]) == ("email", "Jo Bloggs")
    slots, _, _ = await validate(domain, "contact_method", "text me on 07911 123456")
    assert slots["contact_method"] == "sms" and "contact_name" not in slots
    # A resident who is texting and gives a name: texts to the number they text from.
    sender = {"sender_phone": "+447911123457"}
    slots, _, _ = await validate(domain, "contact_method", "Dee", metadata=sender)
    assert slots["contact_method"] == "sms" and slots["contact_name"] == "Dee"


async def test_a_word_inside_a_council_name_is_not_a_choice_of_it(domain: dict[str, Any]) -> None:
    # "no" is inside "West Northamptonshire Council", but says no council at all.
    location = {"incident_location": "behind the shops on Holbrook Lane"}
    slots, said, _ = await validate(domain, "council_area", "no", **location)
    assert slots["council_area"] is None and "council areas" in said


async def test_a_town_in_the_answer_chooses_its_council_area(domain: dict[str, Any]) -> None:
    location = {"incident_location": "the play area by the shops"}
    slots, _, _ = await validate(domain, "council_area", "Northampton I think", **location)
    assert slots["council_area"] == "northamptonshire"
    slots, _, _ = await validate(domain, "council_area", "it's in Earlsdon", **location)
    assert slots["council_area"] == "coventry"


async def test_a_time_given_where_a_place_is_asked_is_kept_as_the_time(
    domain: dict[str, Any],
) -> None:
    slots, said, _ = await validate(
        domain, "incident_location", "last nite bout 9", incident_time=None
    )
    assert slots["incident_location"] is None and slots["incident_time"] == "last nite, bout 9"
    assert "where did it happen" in said.lower()


async def test_a_name_withheld_is_no_name(domain: dict[str, Any]) -> None:
    slots, _, _ = await validate(domain, "contact_name", "anonymous", contact_method="sms")
    assert slots["contact_name"] == "skipped"


async def _answer_both(
    domain: dict[str, Any], text: str, question: str = TOGETHER
) -> tuple[dict[str, Any], str]:
    dispatcher = CollectingDispatcher()
    tracker = asked_both(domain, text, question)
    events = await ValidateReportForm().run(dispatcher, tracker, domain)
    return slot_events(events), " ".join(m.get("text") or "" for m in dispatcher.messages)


async def test_the_two_risk_questions_are_asked_together_while_both_are_open(
    domain: dict[str, Any],
) -> None:
    async def asked(**slots: Any) -> str | None:
        dispatcher = CollectingDispatcher()
        tracker = load_tracker("report_form_in_progress", slots=slots)
        await ActionAskTargetedIdentity().run(dispatcher, tracker, domain)
        [message] = dispatcher.messages
        return message.get("response")

    assert await asked() == WITH_PREVIOUS  # and whether it happened before, still open
    assert await asked(previous_incidents="yes (every night)") == TOGETHER
    assert await asked(vulnerability="my mum has dementia") == "utter_ask_targeted_and_previous"
    assert (
        await asked(vulnerability="my mum has dementia", previous_incidents="yes (again)")
        == "utter_ask_targeted_identity"
    )
    # Asked once together and answered about the household only: now on its own.
    tracker = asked_both(domain, "my wife is 85")
    dispatcher = CollectingDispatcher()
    await ActionAskTargetedIdentity().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0].get("response") == "utter_ask_targeted_identity"


async def test_one_answer_answers_all_three_risk_questions_or_those_it_speaks_to(
    domain: dict[str, Any],
) -> None:
    slots, _ = await _answer_both(domain, "no", WITH_PREVIOUS)
    assert (slots["targeted_identity"], slots["vulnerability"]) == ("no", "no")
    assert slots["previous_incidents"] == "no"
    slots, _ = await _answer_both(domain, "no, but it's the third time this year", WITH_PREVIOUS)
    assert (slots["targeted_identity"], slots["vulnerability"]) == ("no", "no")
    assert (
        slots["previous_incidents"].startswith("yes (")
        and "third time" in slots["previous_incidents"]
    )
    # Only whether it happened before: the other two are asked after.
    slots, _ = await _answer_both(domain, "Yes, loads of times", WITH_PREVIOUS)
    assert slots["targeted_identity"] is None and slots.get("vulnerability") is None
    assert (
        slots["previous_incidents"].startswith("yes (") and "loads" in slots["previous_incidents"]
    )
    # Asked only the two: a "no" says nothing of whether it happened before.
    slots, _ = await _answer_both(domain, "no")
    assert "previous_incidents" not in slots


async def test_a_hate_report_is_asked_the_other_two_risk_questions_together(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = load_tracker("report_form_in_progress", slots={"targeted_identity": "race"})
    await ActionAskVulnerability().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    question = "utter_ask_vulnerability_and_previous"
    assert message.get("response") == question
    text = "No. Not by him, but I've had comments before."
    tracker = load_tracker(
        "report_form_in_progress",
        slots={
            "targeted_identity": "race",
            "vulnerability": text,
            "requested_slot": "vulnerability",
        },
        text=text,
        extracted=["vulnerability"],
    )
    latest = max(i for i, e in enumerate(tracker.events) if e["event"] == "user")
    [asking] = domain["responses"][question]
    tracker.events.insert(latest, {"event": "bot", "text": asking["text"]})
    events = await ValidateReportForm().run(CollectingDispatcher(), tracker, domain)
    slots = slot_events(events)
    assert slots["vulnerability"] == "no"
    assert slots["previous_incidents"].startswith("yes (")
    assert "targeted_identity" not in slots  # said before, kept


async def test_one_answer_answers_both_risk_questions_or_the_one_it_speaks_to(
    domain: dict[str, Any],
) -> None:
    slots, _ = await _answer_both(domain, "no")
    assert slots["targeted_identity"] == "no" and slots["vulnerability"] == "no"
    slots, _ = await _answer_both(domain, "no, but my daughter has asthma")
    assert slots["targeted_identity"] == "no"
    assert slots["vulnerability"] == "my daughter has asthma"
    # Only the household: whether they were targeted is still to be asked.
    slots, _ = await _answer_both(domain, "My wife Joan is 85 and has a bad heart")
    assert slots["targeted_identity"] is None
    assert slots["vulnerability"] == "My wife Joan is 85 and has a bad heart"
    # The "Disability" choice says why they were targeted, not who is at risk at home.
    slots, said = await _answer_both(domain, "Disability")
    assert slots["targeted_identity"] == "disability" and "hate incident" in said
    assert slots.get("vulnerability") is None
    # "yes" to two questions says too little: they are asked one at a time.
    slots, said = await _answer_both(domain, "yes")
    assert slots["targeted_identity"] is None and "one at a time" in said


async def test_the_safety_models_hate_strand_is_not_taken_for_the_residents_answer(
    domain: dict[str, Any],
) -> None:
    text = "someone keeps trying our front door"
    flags = {"hate_crime": True, "hate_strands": ["race"]}
    slots, _, _ = await validate(
        domain, "incident_location", text, metadata={"flags": flags}, targeted_identity=None
    )
    assert "targeted_identity" not in slots  # asked: theirs to say
    slots, _, _ = await validate(
        domain, "incident_location", "they shout at us because we're Muslim",
        metadata={"flags": flags}, targeted_identity=None,
    )  # fmt: skip
    assert slots["targeted_identity"] == "religion"  # their own words
