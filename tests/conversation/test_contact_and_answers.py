from __future__ import annotations

import pytest

from bot.conversation import report_answers as answers
from bot.conversation.understanding import (
    find_contact_method,
    find_name,
    find_phone,
    read_correction,
)
from bot.privacy.contact import (
    address_said,
    find_postcode,
    is_mobile,
    parse_email,
    parse_uk_phone,
    pseudonymous_key,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07911 123456", "+447911123456"),
        ("+44 7911 123456", "+447911123456"),
        ("(024) 7683 1999", "+442476831999"),
        ("oh seven nine one one one two three four five six", "+447911123456"),
        ("12345", None),
        ("call me maybe", None),
        # a mobile in a range the metadata does not list yet (here Ofcom's for fiction)
        ("07700 900123", "+447700900123"),
        ("0770 090012", None),  # a digit short
        # and a landline in one (Ofcom's for fiction again): refusing it looped a caller
        ("01632 960418", "+441632960418"),
        ("01632", None),
    ],
)
def test_phone_numbers_are_stored_as_e164(typed: str, stored: str | None) -> None:
    assert parse_uk_phone(typed) == stored


def test_a_mobile_in_a_new_range_is_found_in_a_sentence_and_can_take_texts() -> None:
    assert find_phone("text me on 07700 900123 please") == "+447700900123"
    assert is_mobile("+447700900123")
    assert not is_mobile("+442476831999")


def test_emails_are_validated_and_normalised() -> None:
    assert parse_email("it's Jo.Bloggs@Example.ORG.") == "Jo.Bloggs@example.org"
    assert parse_email("jo@") is None
    assert parse_email("no email") is None


def test_an_email_address_said_on_the_phone_is_understood() -> None:
    """As a speech recogniser writes an address said aloud."""
    assert parse_email("its jo dot bloggs at gmail dot com") == "jo.bloggs@gmail.com"
    assert (
        parse_email("sam underscore t 82 at btinternet dot co dot uk") == "sam_t82@btinternet.co.uk"
    )
    assert (
        parse_email("um it's jo bloggs all one word at outlook dot com") == "jobloggs@outlook.com"
    )
    assert (
        parse_email("sheila dot pryor that's p r y o r at example dot co dot uk")
        == "sheila.pryor@example.co.uk"
    )  # spelt after it is said
    assert (
        parse_email("t hussain eighty two at outlook dot com thats h u s s a i n")
        == "hussain82@outlook.com"
    )  # the spelling of a word before, said last
    assert parse_email("hannah oakes at example dot com no spaces") == "hannahoakes@example.com"
    # numbers said in words
    assert parse_email("t hussain eighty two at outlook dot com") == "hussain82@outlook.com"
    assert parse_email("riordan two thousand and four at gmail dot com") == "riordan2004@gmail.com"
    # "at" and "dot" in what is not an address
    assert parse_email("we were at the park") is None
    assert parse_email("dot from number 9 is at it again") is None


def test_postcodes_are_found_and_formatted() -> None:
    assert find_postcode("outside cv15fb by the shop") == "CV1 5FB"
    assert find_postcode("SW1A 1AA") == "SW1A 1AA"
    assert find_postcode("the park on station road") is None


def test_pseudonymous_keys_hide_the_number_and_depend_on_the_secret() -> None:
    first = pseudonymous_key(b"secret-one", "phone", "+447911123456")
    assert "7911" not in first
    assert first == pseudonymous_key(b"secret-one", "phone", "+447911123456")
    assert first != pseudonymous_key(b"secret-two", "phone", "+447911123456")


@pytest.mark.parametrize(
    ("said", "method"),
    [("Text message", "sms"), ("email me", "email"), ("Phone call", "phone"),
     ("write to me", "letter"), ("No contact (anonymous)", "none"), ("carrier pigeon", None),
     # The first way named and not ruled out.
     ("Letter please, email I don't check", "letter"), ("not email, text please", "sms"),
     ("phone, email I never read", "phone")],
)  # fmt: skip
def test_contact_method_is_understood(said: str, method: str | None) -> None:
    assert answers.parse_contact_method(said) == method


@pytest.mark.parametrize(
    ("said", "strand"),
    [("Race", "race"), ("because I wear a hijab", "religion"), ("I'm gay", "sexual_orientation"),
     ("my son's wheelchair", "disability"), ("Gender identity", "transgender"), ("No", "no"),
     ("not sure", "not_sure"), ("yes because we are Pakistani family", "race"),
     ("cos of my accent", "race")],
)  # fmt: skip
def test_targeted_identity_maps_to_hate_strands(said: str, strand: str) -> None:
    assert answers.parse_targeted_identity(said) == strand


def test_happening_now_is_told_apart_from_past_times() -> None:
    assert answers.parse_time("It's happening now") == answers.HAPPENING_NOW
    assert answers.parse_time("right now outside") == answers.HAPPENING_NOW
    assert answers.parse_time("last night about 11pm") == "last night about 11pm"
    assert answers.parse_time("an hour ago, but they're still around now") != answers.HAPPENING_NOW


def test_yes_no_and_skip() -> None:
    assert answers.parse_yes_no("Yes, send it") is True
    assert answers.parse_yes_no("No, change something") is False
    assert answers.parse_yes_no("maybe later") is None
    # As people say them: formally, in dialect.
    for yes in ("That is correct.", "ar", "Aye", "Certainly", "it's all correct", "Confirmed."):
        assert answers.parse_yes_no(yes) is True, yes
    for no in ("Certainly not.", "not at all", "naw", "divvent think so", "dinnae think so",
               "I don't think, they throw at other houses also."):  # fmt: skip
        assert answers.parse_yes_no(no) is False, no
    # Not a plain no: what they go on to say is the answer.
    assert answers.parse_yes_no("I don't think it was random, they pick on us") is None
    assert answers.parse_yes_no("area") is None
    assert answers.parse_yes_no("don't want to say") is None  # a refusal, not a no
    assert answers.parse_yes_no("1) Yes. 2) Thank you.") is True  # a numbered answer


@pytest.mark.parametrize("busy", ["hang on, phones going", "one sec", "hold on"])
def test_a_resident_busy_for_a_moment_has_not_answered(busy: str) -> None:
    assert answers.non_answer(busy) == "unreadable"  # asked again, nothing kept
    assert answers.non_answer("hold on the lads are back") is None


def test_happening_now_keeps_the_date_said_with_it() -> None:
    said = "It is still happening now. He installed it on 3 March at 10:40 in the morning."
    assert answers.parse_time(said) == said
    assert answers.parse_time("its happening now") == answers.HAPPENING_NOW
    assert answers.is_skip("skip") and answers.is_skip("I'd rather not say")
    assert not answers.is_skip("they skipped off down the road")


def test_this_number_is_understood_and_nothing_else_is() -> None:
    from bot.conversation.report_answers import means_this_number

    for said in ("this number", "This number please", "use this number", "same number",
                 "the number I'm texting from", "this one"):  # fmt: skip
        assert means_this_number(said), said
    for said in ("07911 123456", "my number is 07911 123456", "this number is wrong", "no"):
        assert not means_this_number(said), said


@pytest.mark.parametrize(
    "said",
    ["sorry, do you need an exact time? I'm not sure", "why do you need that? what for?",
     "what do you mean? like their names?"],
)  # fmt: skip
def test_a_question_back_is_not_an_answer(said: str) -> None:
    assert answers.non_answer(said) == "query"


@pytest.mark.parametrize(
    "said",
    ["Why on earth do you require the precise time? It happens overnight.",
     "do you need the postcode? its CV2 4AB", "what do they want from me? I can't sleep"],
)  # fmt: skip
def test_an_answer_beside_a_question_is_an_answer(said: str) -> None:
    assert answers.non_answer(said) is None


@pytest.mark.parametrize(
    "said", ["couldnae tell ye", "dinnae ken", "not a scooby mate", "a divvent knaa", "cannae say"]
)
def test_not_knowing_in_the_dialects_is_unknown_never_the_words(said: str) -> None:
    assert answers.non_answer(said) == "unknown"


def test_a_change_of_mind_about_contact_takes_the_later_way() -> None:
    assert answers.parse_contact_method("ring me, actually no, text") == "sms"
    assert answers.parse_contact_method("email me, on second thoughts a letter") == "letter"
    assert answers.parse_contact_method("text me actually") == "sms"


def test_call_me_please_names_no_one_and_hmm_i_dont_know_is_unknown() -> None:
    from bot.conversation.understanding import find_name

    assert find_name("Call me please, I am driving so I cannot text much.") is None
    assert find_name("you can call me Dave") == "Dave"
    assert answers.non_answer("Hmm I don't know o.") == "unknown"


def test_a_phone_number_said_aloud_is_found() -> None:
    """As a recogniser writes digits: words, "double", "hundred", among other words."""
    said = "can you use my mobile it's oh seven seven double oh nine hundred six one four"
    assert find_phone(said) == "+447700900614"
    assert find_phone("there were two hundred people, oh and a dog") is None


def test_a_caller_asking_to_hear_the_question_again_is_asked_it_again() -> None:
    for said in ("sorry can you say that again", "say that again please", "come again",
                 "sorry can you say that again dear", "i didnt catch that love",
                 "say again i've got tinnitus you'll have to speak up", "sorry didn't catch that",
                 "couldnt hear you love the lines bad"):  # fmt: skip
        assert answers.non_answer(said) == "repeat", said
    assert answers.non_answer("i cant hear myself think with the music") is None


def test_the_way_they_say_suits_them_is_the_way_chosen() -> None:
    said = "text or email, email is fine kayleigh.dunmore@example.com"
    assert answers.parse_contact_method(said) == "email"


def test_yes_at_the_read_back_after_a_word_in_another_language() -> None:
    assert answers.read_back_yes_no("haan yes yes correct") is True
    assert answers.read_back_yes_no("not correct") is None


def test_a_way_of_contact_is_not_ruled_out_by_what_else_they_lack() -> None:
    said = "could you write to me i dont have a computer and im a bit deaf on the phone"
    assert answers.parse_contact_method(said) == "letter"
    assert answers.parse_contact_method("email i dont have") is None


@pytest.mark.parametrize(
    ("said", "method"),
    [
        ("phone or text. text better", "sms"),  # the one said to be better
        ("email or phone, phone preferred", "phone"),
        ("actually dont contact me... well email is ok i suppose, not phone", "email"),
        ("please don't phone me, I'm on calls all day at work. Email only.", "email"),
    ],
)
def test_the_way_of_contact_preferred_or_settled_on_last(said: str, method: str) -> None:
    assert answers.parse_contact_method(said) == method


def test_a_new_way_of_contact_at_the_read_back_changes_it() -> None:
    said = "One change: please don't phone me, I'm on calls all day at work. Email only."
    assert read_correction(said, "Spon Street", "Aisha") == {"contact_method": "email"}


def test_a_name_said_with_words_about_the_number_is_only_the_name() -> None:
    assert answers.parse_name("hodan abdi, yes this number") == "hodan abdi"
    assert answers.parse_name("Mrs Gloria Okoye - text is fine") == "Mrs Gloria Okoye"
    assert answers.parse_name("Smith, John") == "Smith, John"  # no contact words: all kept


def test_a_way_ruled_out_is_not_the_way_chosen() -> None:
    opening = "Hello. I am Deaf and can only use text, please do not call me. I want to report"
    assert find_contact_method(opening) == "sms"
    assert find_contact_method("never call me, email only") == "email"
    said = "Could you write to us please? We don't use email and my husband can't hear the phone"
    assert answers.parse_contact_method(said) == "letter"


def test_now_after_a_length_of_time_is_not_happening_now() -> None:
    assert answers.parse_time("tonight about 6, most nights, few weeks now") != "happening now"
    assert answers.parse_time("for months now") == "for months now"
    assert answers.parse_time("theyre outside now") == "happening now"


def test_someone_elses_name_is_not_the_residents() -> None:
    said = "the young man from number 15 opposite I think his name's Craig"
    assert find_name(said) is None
    assert find_name("hiya, name's Jo, it's about next door") == "Jo"


def test_an_address_said_on_the_phone_is_written_as_a_letter_needs_it() -> None:
    assert (
        address_said("nine cuttholme road loundsley green chesterfield s forty four d x")
        == "9 cuttholme road loundsley green chesterfield, S40 4DX"
    )
    assert address_said("flat two forty four abington avenue n n one four p b") == (
        "flat 2 44 abington avenue, NN1 4PB"
    )
    assert address_said("the house on the corner by the shop") is None  # no postcode
