from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.report_form import ValidateReportForm
from actions.report_summary import ActionAskReportConfirmed
from tests.actions.conftest import load_tracker


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


async def validate(domain: dict[str, Any], requested: str, text: str, **slots: Any):  # type: ignore[no-untyped-def]
    tracker = load_tracker(
        "report_form_in_progress",
        slots={requested: text, "requested_slot": requested, **slots},
        text=text,
        extracted=[requested],
    )
    dispatcher = CollectingDispatcher()
    events = await ValidateReportForm().run(dispatcher, tracker, domain)
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    return slot_events(events), said, dispatcher


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
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == [
        "Yes, send it",
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


async def test_keyboard_mash_and_a_lone_emoji_are_not_answers(domain: dict[str, Any]) -> None:
    for text in ("asdfgh", "🙂", "...", "jjjjjj"):
        slots, said, _ = await validate(domain, "impact", text)
        assert slots["impact"] is None and "didn't catch" in said, text
    slots, said, _ = await validate(domain, "incident_description", "qwerty")
    assert slots["incident_description"] is None and "didn't catch" in said
    slots, _, _ = await validate(domain, "impact", "I can't sleep and I'm scared to go out")
    assert slots["impact"] == "I can't sleep and I'm scared to go out"


async def test_a_rich_first_message_fills_when_and_where_too(domain: dict[str, Any]) -> None:
    text = (
        "The lads at 14 Spon Street CV1 5FB have been playing music till 3am every night "
        "this week, I can't sleep and I've got work"
    )
    slots, said, _ = await validate(domain, "incident_description", text, incident_time=None)
    assert slots["incident_description"] == text
    assert slots["incident_location"] == "14 Spon Street, CV1 5FB"
    assert slots["incident_time"] == "till 3am, every night this week"
    assert said == ""
    # Nothing to find: nothing else is filled, and the form asks as before.
    slots, _, _ = await validate(
        domain, "incident_description", "Kids throwing stones at cars", incident_time=None
    )
    assert set(slots) - {"requested_slot"} == {"incident_description"}
