"""What the report form reads from a resident's own words (bot/conversation/understanding.py)."""

from __future__ import annotations

import pytest

from bot.conversation.understanding import (
    correction_in,
    read_correction,
    read_report,
    read_risk_answer,
    read_risk_answers,
)
from bot.privacy.contact import find_spoken_postcode


def test_a_rich_message_gives_every_field_it_says() -> None:
    heard = read_report(
        "The lads at 14 Spon Street CV1 5FB have been playing music till 3am every night "
        "this week, I can't sleep and I've got work"
    )
    assert heard == {
        "incident_time": "till 3am, every night this week",
        "incident_location": "14 Spon Street, CV1 5FB",
        "people_involved": "The lads at 14 Spon Street",
        "impact": "I can't sleep and I've got work",
        "previous_incidents": "yes (every night)",
    }


@pytest.mark.parametrize(
    "text", ["about 13 teenagers, I don't know them", "a man about 40", "about 8 of them"]
)
def test_a_count_or_an_age_is_not_a_time(text: str) -> None:
    assert "incident_time" not in read_report(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "last night about 11 outside the Co-op on Far Gosford Street",
            {"incident_time": "last night, about 11",
             "incident_location": "outside the Co-op on Far Gosford Street"},
        ),
        (
            "dealers outside the chippy on holbrook lane again every night m8",
            {"incident_location": "outside the chippy on holbrook lane"},
        ),
        (
            "Dear Sir, persistent noise from Flat 3, 22 Earlsdon Avenue North, CV5 6FZ for "
            "three weeks. My name is Margaret Hill, please write to me.",
            {"incident_location": "Flat 3, 22 Earlsdon Avenue North, CV5 6FZ",
             "incident_time": "for three weeks", "contact_method": "letter",
             "contact_name": "Margaret Hill"},
        ),
        (
            "they shout at us because we're Muslim, my kids are scared to go out. "
            "text me on 07911 123456, I'm Aisha",
            {"targeted_identity": "religion", "impact": "my kids are scared to go out",
             "contact_method": "sms", "contact_phone": "+447911123456",
             "contact_name": "Aisha"},
        ),
        (
            "my neighbour at number 12 keeps parking across my drive, I'm 82 and disabled",
            {"people_involved": "my neighbour at number 12",
             "vulnerability": "I'm 82 and disabled", "previous_incidents": "yes (keeps)"},
        ),
        (
            "theres 2 men in a white transit selling vapes to kids outside the school gates",
            {"people_involved": "2 men in a white transit"},
        ),
        (
            "I saw a white transit van with the back open about 10pm and two blokes chucking "
            "it all out",
            {"people_involved": "two blokes; white transit van"},
        ),
        (
            "men drinking cans in the childrens play area at west glebe park corby nn17 1ld",
            {"incident_location": "the childrens play area at west glebe park, NN17 1LD"},
        ),
        ("two men in the evening shouting", {"people_involved": "two men"}),  # when, not who
        ("I have observed two males, early twenties, staying there. Last seen Tuesday 2230 hrs",
         {"people_involved": "two males, early twenties", "incident_time": "Tuesday, 2230 hrs"}),
        ("Thursday dinner time, half twelve, and again this morning at 7.15",
         {"incident_time": "Thursday, half twelve, this morning, at 7.15"}),
        ("some radgie's keyed me car last neet, third time since the summer",
         {"incident_time": "last neet, since the summer"}),  # as the dialects write it
        ("about nine lads, every night about nine o'clock",
         {"incident_time": "every night, about nine o'clock"}),  # nine lads is no time
        ("I reported it to the council environmental health by email in July",
         {"vulnerability": None}),
        ("A group of teenagers keep knocking on his door",  # a group is counted
         {"people_involved": "A group of teenagers"}),
        ("a group of four or five adults have been drinking in the churchyard",
         {"people_involved": "four or five adults"}),
        (
            "the revving kept us up, my wife is recovering from a hip replacement",
            {"vulnerability": "my wife is recovering from a hip replacement"},
        ),
        (
            "Since about July the teenage lads from the house across the road shout at us "
            "whenever we walk past. We're not in danger, just really rattled.",
            {"incident_time": "Since about July",
             "people_involved": "the teenage lads from the house across the road",
             "impact": "We're not in danger, just really rattled",
             "previous_incidents": "yes (Since about July; whenever)"},
        ),
        (
            "We're a Black family and since June the couple next door throw rubbish over",
            {"people_involved": "the couple next door"},  # the family is theirs
        ),
    ],
)  # fmt: skip
def test_fields_are_read_in_many_voices(text: str, expected: dict[str, str]) -> None:
    heard = read_report(text)
    assert {k: heard.get(k) for k in expected} == expected


@pytest.mark.parametrize(
    ("text", "not_filled"),
    [
        ("Someone smashed the bus shelter", "people_involved"),  # "someone" is nobody yet
        ("the lads are at it again", "people_involved"),  # asked: a description helps
        ("theres dog poo on my drive every day", "incident_location"),  # a drive, no street
        ("is this the right place to report", "incident_location"),
        ("Hello, the dog next door barks all day", "impact"),  # "hello" is no "hell"
        ("my husband and I can hear it", "people_involved"),  # the household is no suspect
        ("it's Dave at number 4 and his mates", "contact_name"),  # a name, not theirs
        ("I'm not sure", "contact_name"),
        ("people keep dealing drugs outside the flats", "incident_location"),  # which flats?
        ("I'm scared", "contact_name"),
        ("someone keyed my black audi last night", "people_involved"),  # theirs, no suspect
        ("the kids play in the park", "incident_location"),  # which park?
        ("First time reporting. I've kept photos of the rubbish.", "previous_incidents"),
        ("outside the surgery by the bus terminal", "vulnerability"),
        ("Ms Jones next door has a new dog", "vulnerability"),
    ],
)
def test_what_is_not_said_is_not_filled(text: str, not_filled: str) -> None:
    assert not_filled not in read_report(text)


@pytest.mark.parametrize(
    ("text", "changes"),
    [
        ("no, it was Tuesday", {"incident_time": "Tuesday"}),
        ("it was last Friday not Tuesday", {"incident_time": "last Friday"}),
        ("Actually can you email me instead of texting", {"contact_method": "email"}),
        ("the postcode is CV2 4AB", {"incident_location": "14 Spon Street, CV2 4AB"}),
        ("no the address is 22 High Street", {"incident_location": "22 High Street"}),
        ("howay man its badby road not ashby road", {"incident_location": "badby road"}),
        (
            "Day's wrong mate, it was Wednesday not Tuesday. I'm on earlies Tuesdays.",
            {"incident_time": "Wednesday"},  # the reason after it says no new time
        ),
        ("take my name off it", {"contact_name": "skipped"}),
        ("my number is 07911 123456", {"contact_phone": "+447911123456"}),
        ("change my email to sam@example.org", {"contact_email": "sam@example.org"}),
        ("my name is Jo not Joe", {"contact_name": "Jo"}),
        ("No, change something", {}),
    ],
)
def test_corrections_in_plain_words(text: str, changes: dict[str, str]) -> None:
    assert read_correction(text, "14 Spon Street, CV1 5FB") == changes


def test_a_detail_of_their_vehicle_is_added_to_who_and_a_new_who_replaces_it() -> None:
    said = "2 men in a white transit"
    assert read_correction("sorry the van reg starts WK not WR", people=said) == {
        "people_involved": "2 men in a white transit; the van reg starts WK not WR"
    }
    assert read_correction(
        "One amendment: the Golf R was silver, not white. Otherwise accurate.", people="VW Golf"
    ) == {"people_involved": "VW Golf; the Golf R was silver, not white"}
    assert read_correction("the Golf was silver, not white", people="white VW") == {
        "people_involved": "silver VW"  # the word put right in place
    }
    assert read_correction("The cars a dark grey Audi not black", people="2 lads; black Audi") == {
        "people_involved": "2 lads; grey Audi"  # a colour for the colour
    }
    assert read_correction("no it was the lads at number 12", people=said) == {
        "people_involved": "the lads at number 12"
    }


@pytest.mark.parametrize(
    ("text", "changes"),
    [
        ("His name is Mr Denham, not Dennis - sorry, my fingers slipped.",
         {"people_involved": "Mr Denham at number 14"}),  # their name, not the resident's
        ("oh wait its number 12 not 14 he's at, sorry I typed it wrong",
         {"people_involved": "Mr Dennis at number 12"}),
        ("One thing - it wasn't Gold Street, it was Bridge Street. The pub's near the bottom.",
         {"incident_location": "Bridge Street, Northampton"}),
        ("Sorry, typo, it's number 12 Gold Street, not 14!",
         {"people_involved": "Mr Dennis at number 12"}),  # a number for the number
    ],
)  # fmt: skip
def test_a_word_put_right_changes_that_word_where_it_was_said(
    text: str, changes: dict[str, str]
) -> None:
    said = read_correction(text, "Gold Street, Northampton", "Siobhan", "Mr Dennis at number 14")
    assert said == changes


def test_a_message_typed_without_stops_gives_the_words_around_each_fact() -> None:
    heard = read_report(
        "my neighbour at 12 beanfield avenue corby is being cuckooed i think hes a vulnerable "
        "bloke on his own learning difficulties and for the last 2 weeks theres been lads "
        "from out of town staying there day and night cars coming and going every 10 minutes "
        "and a lad called jaydon is the one in charge im scared for him and i dont let my "
        "kids play out front now"
    )
    assert "im scared for him" in heard["impact"]
    assert "dont let my kids play out front" in heard["impact"]
    assert len(heard["impact"].split()) <= 16  # not the whole message
    assert "a lad called jaydon" in heard["people_involved"]
    assert len(heard["vulnerability"].split()) <= 16  # not the whole message
    fixed = read_correction("its jayden not jaydon sorry", people=heard["people_involved"])
    assert "a lad called jayden" in fixed["people_involved"]


def test_a_day_put_right_changes_that_day_of_the_time_given() -> None:
    said = "this evening, 6pm, 7.30pm, on Monday"
    fixed = read_correction(
        "1) Correction to the time: the earlier occasion was Tuesday, not Monday.", when=said
    )
    assert fixed == {"incident_time": "this evening, 6pm, 7.30pm, on Tuesday"}
    # The day for the day, never the word beside it ("night" for "Saturday").
    fixed = read_correction(
        "sorry, it was Friday night not Saturday", when="on Saturday night, about 11pm, gone 3"
    )
    assert fixed == {"incident_time": "on Friday night, about 11pm, gone 3"}
    assert "people_involved" not in read_report("He put it up on 3 March at 10 in the morning")


def test_a_name_corrected_in_plain_words_replaces_the_one_given() -> None:
    changes = read_correction("wait its ellie turner-hall not just turner", None, "Ellie Turner")
    assert changes == {"contact_name": "ellie turner-hall"}
    assert read_correction("the bins", None, "Ellie Turner") == {}


def test_no_to_a_yes_or_no_question_is_an_answer_not_a_correction() -> None:
    answer = "nah, but my nan lives with us, and it happened last month"
    assert correction_in(answer, None, asked_yes_or_no=True) == {}
    assert correction_in("no, the postcode is CV2 4AB", "CV1 5FB", asked_yes_or_no=True)


def test_a_correction_is_told_from_an_answer() -> None:
    assert correction_in("actually it was about 10pm")
    assert correction_in("sorry I meant CV3 1AA")
    assert not correction_in("The lads at 14 Spon Street play music every night")
    assert not correction_in("two men in their twenties")
    # An answer that starts "it's" is an answer: a correction so begun is short, or
    # sets the new against the old.
    impact = "its horrible looking at it every day and i feel frightened at night now"
    assert not correction_in(impact)
    assert correction_in("it was tuesday") == {"incident_time": "tuesday"}
    assert correction_in("it was the Tuesday night about 11 not the Monday like I said")


@pytest.mark.parametrize(
    "heard",
    [
        "c v one five f b", "c v 1 5 f b", "see vee one five eff bee", "cv 15 fb",
        "c for charlie v for victor 1 5 f b", "er it is c v one five f b thank you",
    ],
)  # fmt: skip
def test_a_spoken_postcode_in_any_recognisers_form(heard: str) -> None:
    assert find_spoken_postcode(heard) == "CV1 5FB"


@pytest.mark.parametrize(
    ("heard", "postcode"),
    [
        ("kings end in bicester o x twenty six six n b", "OX26 6NB"),
        ("n n seventeen one e h", "NN17 1EH"),
        ("s forty one seven p q", "S41 7PQ"),
        ("s forty four e x", "S40 4EX"),  # "forty" ends the district: not S4 4EX
    ],
)
def test_a_district_said_as_a_number(heard: str, postcode: str) -> None:
    assert find_spoken_postcode(heard) == postcode


def test_spoken_words_that_are_no_postcode() -> None:
    assert find_spoken_postcode("the one on the corner by the shop") is None
    assert find_spoken_postcode("i live at number 4 a b") is None
    assert (
        read_report("on spon street c v one five f b", spoken=True)["incident_location"]
        == "spon street, CV1 5FB"
    )


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("no", {"targeted_identity": "no", "vulnerability": "no"}),
        ("No, neither", {"targeted_identity": "no", "vulnerability": "no"}),
        ("no, but my mum has dementia",
         {"targeted_identity": "no", "vulnerability": "my mum has dementia"}),
        ("nah but dunno about that", {"targeted_identity": "no", "vulnerability": "unknown"}),
        ("I live alone, I am 81 and registered partially sighted",
         {"vulnerability": "I live alone; I am 81 and registered partially sighted"}),
        ("race", {"targeted_identity": "race"}),
        ("No, I don't think, but i have baby, 4 months",
         {"targeted_identity": "no", "vulnerability": "i have baby, 4 months"}),
        ("yes because we're Muslim", {"targeted_identity": "religion"}),
        ("Yes, because of his disability, they were mocking how he talks",
         {"targeted_identity": "disability"}),
        ("no but they called me a paki", {"targeted_identity": "they called me a paki"}),
        ("not sure", {"targeted_identity": "not_sure"}),
        ("yes", {}),
        ("I have two small children, 2 and 4",
         {"vulnerability": "I have two small children, 2 and 4"}),
        ("my grandson stays with us weekends",
         {"vulnerability": "my grandson stays with us weekends"}),
        ("they always pick on us", {"targeted_identity": "they always pick on us"}),
    ],
)  # fmt: skip
def test_one_reply_to_both_risk_questions_is_read_for_each(
    answer: str, expected: dict[str, str]
) -> None:
    assert read_risk_answer(answer) == expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("no", {"targeted_identity": "no", "vulnerability": "no", "previous_incidents": "no"}),
        ("No, no and yes it has happened before",
         {"targeted_identity": "no", "vulnerability": "no",
          "previous_incidents": "yes (yes it has happened before)"}),
        ("no, but my mum has dementia",
         {"targeted_identity": "no", "vulnerability": "my mum has dementia"}),
        ("I'm 82 and walk with a stick, never happened before",
         {"vulnerability": "I'm 82 and walk with a stick", "previous_incidents": "no"}),
        ("It's not the first time", {"previous_incidents": "yes (It's not the first time)"}),
        ("No, and I'm not sure if it happened before",
         {"targeted_identity": "no", "vulnerability": "no", "previous_incidents": "unknown"}),
        ("no, neither, but the same lads did it last month",
         {"targeted_identity": "no", "vulnerability": "no",
          "previous_incidents": "yes (the same lads did it last month)"}),
        ("yes because we're Muslim, and it happens every week",
         {"targeted_identity": "religion", "previous_incidents": "yes (it happens every week)"}),
        ("they always pick on us",
         {"targeted_identity": "they always pick on us",
          "previous_incidents": "yes (they always pick on us)"}),
        ("yes", {}),
        ("No, I do not think so. They do it also to our neighbour, she is English, but yes, my "
         "son Maksym is 6 and he has trauma from the war",
         {"targeted_identity": "no", "previous_incidents": "no",
          "vulnerability": "my son Maksym is 6 and he has trauma from the war"}),
        ("no its about the parking, but my eldest has ADHD, but it has happened before: since "
         "june, shouting and that, I rang 101 in august",
         {"targeted_identity": "no", "vulnerability": "my eldest has ADHD",
          "previous_incidents": "yes (it has happened before: since june, shouting, that, "
                                "I rang 101 in august)"}),
    ],
)  # fmt: skip
def test_one_reply_to_the_three_risk_questions_is_read_for_each(
    answer: str, expected: dict[str, str]
) -> None:
    assert read_risk_answers(answer) == expected


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("Someone threw a brick at the window. He's about 40, heavy build, drives a red van.",
         "He's about 40, heavy build, drives a red van"),
        ("lads on the wall throwing chips. 5 or 6 of them maybe 18-20.",
         "5 or 6 of them maybe 18-20"),
        ("Graffiti on the garage again. Didn't see who.", "unknown"),
        # The victim's age is not a description of who did it.
        ("They were calling my son names. He's 15.", None),
        # An age said beside the person, as a non-native speaker might.
        ("I was at the bus stop. A woman, maybe 60 years, with shopping trolley, she say "
         "bad words to me.", "A woman, maybe 60 years, with shopping trolley"),
    ],
)  # fmt: skip
def test_who_did_it_is_read_from_a_sentence_of_its_own(text: str, people: str | None) -> None:
    said = read_report(text).get("people_involved")
    assert said == people if people is None else people in (said or "")


@pytest.mark.parametrize(
    ("text", "people"),
    [
        # a full account says who as well as the resident can, in whatever words: the form
        # does not ask again
        ("theres lads dealing drugs out of a silver golf in the car park behind the shops on "
         "stoney stanton road every night this week 3 or 4 of them in tracksuits",
         ["lads dealing drugs", "3 or 4 of them in tracksuits"]),
        ("Oh brilliant. The flat below me at 17 Warwick Road, Banbury is smoking skunk every "
         "single night and it comes up through the vent.", ["The flat below me"]),
        ("I cannot sleep in the day because next door (52 Wyken Croft) keep having people "
         "round with a massive speaker in the garden.", ["next door (52 Wyken Croft)"]),
        ("hello yes im calling about the lads on the field behind my house every night on "
         "motorbikes im seventy three and i cant get to sleep with the noise they make",
         ["the lads on the field"]),
        ("Good morning. For two weeks, every evening around 8, some boys knock very hard on "
         "our door. I think they are maybe 12 or 13 years old, three or four of them.",
         ["some boys knock", "three or four of them"]),
        ("I am 84 and live alone. For the last few weeks some children, I would say about "
         "four of them, have been knocking on my door and windows after dark.",
         ["some children", "about four of them"]),
    ],
)  # fmt: skip
def test_who_is_read_from_a_full_account_in_its_own_words(text: str, people: list[str]) -> None:
    said = read_report(text).get("people_involved") or ""
    assert all(part in said for part in people), said


@pytest.mark.parametrize(
    "text",
    [
        # the ones it happened to, or the resident's own, are not who did it
        "there are needles in the alley every morning now and my neighbour's kids have to "
        "walk past it on the way to school",
        "Since last weekend there are tents behind the church and we found needles in the "
        "doorway where children come for homework club",
        "a big staffy keeps getting out through the fence and going for people on the street "
        "and the owner does nothing",
        "Last night someone threw eggs at my front window and I've got two small children at "
        "home who were terrified",
        "there are needles in the alley every morning now and people in the area are scared "
        "to walk past it on the way to school",
    ],
)
def test_the_people_it_happened_to_are_not_who_did_it(text: str) -> None:
    said = read_report(text).get("people_involved") or ""
    for victims in ("kids", "children", "people"):
        assert victims not in said, said


def test_headings_in_other_words_give_their_fields() -> None:
    heard = read_report(
        "(1) Nature: fireworks fired at houses. (2) Location: the green at Vespasian Way, "
        "Bicester OX26. (3) Date and time: Friday at approximately 21:15. (4) Persons: "
        "approximately eight youths, mid-teens. (5) Effect: my wife will not go out after dark."
    )
    assert heard["people_involved"] == "approximately eight youths, mid-teens"
    assert heard["impact"] == "my wife will not go out after dark"
    assert "Vespasian Way" in heard["incident_location"]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("HELLO THIS IS JOANNE I AM DEAF USING TEXT. SOMEONE SMEARED DOG MESS ON MY FRONT "
         "DOOR MONDAY NIGHT. 14 PORTLAND ROAD SHIREBROOK.", "14 PORTLAND ROAD"),
        ("next door (52 Wyken Croft) keep having people round", "52 Wyken Croft"),
        ("A fella I barred stands across the road from the Weavers Arms on Spon End every "
         "night", "Spon End"),
    ],
)  # fmt: skip
def test_streets_are_read_in_capitals_and_by_more_of_their_names(text: str, place: str) -> None:
    assert place in (read_report(text).get("incident_location") or "")


@pytest.mark.parametrize(
    "text",
    [
        "I was not hurt, but I have felt very shaken since",
        "we're both ok but im still shook tbh",
        "she doesnt want to go there now",
        "costs us every time to paint over",
    ],
)
def test_how_it_affects_them_is_read_in_many_voices(text: str) -> None:
    assert read_report(text).get("impact")


def test_the_impact_is_the_words_after_the_account() -> None:
    said = "hi want to report fighting outside the kebab shop every weekend, woke my kids up again"
    assert read_report(said)["impact"] == "woke my kids up again"


def test_a_named_landmark_keeps_its_name_and_its_street() -> None:
    said = "I'm writing about vandalism at the Stoke Aldermoor allotments off Allard Way."
    assert read_report(said)["incident_location"].endswith(
        "Stoke Aldermoor allotments off Allard Way"
    )


def test_a_condition_spelt_out_by_a_caller_answers_the_household_question() -> None:
    heard = read_risk_answers(
        "yes i've got p t s d and tinnitus from my service",
        frozenset({"targeted_identity", "vulnerability"}),
    )
    assert "ptsd" in heard["vulnerability"] and "targeted_identity" not in heard  # asked alone


def test_a_correction_with_its_reason_after_it() -> None:
    said = (
        "my car got egged and the wife's nervous now. oh wait, actually it's the other end, by "
        "the chip shop on Rockingham Road, not the church. sorry, the church was last time"
    )
    changed = correction_in(said, "outside St Andrew's church on Lower Street")
    assert changed == {"incident_location": "by the chip shop on Rockingham Road"}


def test_a_report_set_out_under_headings_gives_each_heading_whole() -> None:
    said = (
        "1) What: youths spraying graffiti on the vestry door. 2) When: Saturday night, after "
        "10pm. 3) Where: the churchyard, Elmton Road, Creswell S80 4JQ. 4) Who: about six "
        "teenagers, one calls himself Tyler. 5) Impact: our congregation is frightened."
    )
    heard = read_report(said)
    assert heard["people_involved"] == "about six teenagers, one calls himself Tyler"
    assert heard["impact"] == "our congregation is frightened"
    assert "Elmton Road" in heard["incident_location"]
    assert read_report("who knows when they will stop, where are the police") == {}


@pytest.mark.parametrize(
    "said",
    [
        "No, but me. I've got PTSD from Afghanistan. Under the veterans' mental health team.",
        "no, but me I suppose, agoraphobia and anxiety, I'm under the mental health team",
        "No, it is not about colour. They do it to all the drivers",
    ],
)
def test_no_to_being_targeted_stays_no_whatever_follows(said: str) -> None:
    heard = read_risk_answers(said, frozenset({"targeted_identity", "vulnerability"}))
    assert heard["targeted_identity"] == "no"
