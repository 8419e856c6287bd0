"""Normalisation: the many spellings of one report become one string."""

from __future__ import annotations

import pytest

from bot.triage.normalise import normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("theres lads outside wiv a blade rn", "there is lads outside with a blade right now"),
        ("THEY'RE KICKIN MY DOOR IN", "they are kicking my door in"),
        (
            "pls cum asap sum1 is in my house 2day",
            "please cum as soon as possible someone is in my house today",
        ),
        ("ur ppl r useless cos nobody came", "your people are useless because nobody came"),
        ("he's got a knife, she'll call", "he is got a knife , she will call"),
        ("i can't sleep, i won't go out", "i can not sleep , i will not go out"),
        ("HEEEELP", "help"),
    ],
)
def test_sms_speak_contractions_and_capitals(raw: str, expected: str) -> None:
    assert normalise(raw).text.strip() == expected


def test_voice_fillers_are_removed() -> None:
    text = normalise("um yeah there's er a man you know outside erm with a knife").text
    assert text.strip() == "yeah there is a man outside with a knife"


@pytest.mark.parametrize(
    ("masked", "word"),
    [
        ("p***", "paki"),
        ("f****t", "faggot"),
        ("n****r", "nigger"),
        ("f@g", "fag"),
        ("r*****", "retard"),
        ("t****y", "tranny"),
    ],
)
def test_masked_slurs_are_read(masked: str, word: str) -> None:
    assert f" {word} " in normalise(f"they called me a {masked} today").text


@pytest.mark.parametrize(
    ("masked", "word"),
    [
        ("f***", "fuck"),
        ("f***ing", "fucking"),
        ("s***", "shit"),
        ("c***", "cunt"),
        ("b******", "bastard"),
    ],
)
def test_masked_swear_words_are_not_read_as_slurs(masked: str, word: str) -> None:
    assert f" {word} " in normalise(f"the {masked} music again").text


def test_slur_placeholders_and_n_word() -> None:
    assert "slurrace" in normalise("they called him the n-word").text
    assert "slurrace" in normalise("they called me a [racial slur]").text
    assert "slurany" in normalise("they keep calling my son a [slur]").text


def test_case_reference_and_clause_marks() -> None:
    text = normalise("Any news on ASB-2026-0193? It's been weeks.").text
    assert "casereference" in text
    assert " . " in text
    assert "2026" not in text


def test_shouting_is_noticed() -> None:
    assert normalise("HELP THEY ARE OUTSIDE").shouting
    assert normalise("help!! now!!").shouting
    assert not normalise("can you help me with the noise").shouting


def test_innocent_words_are_not_mangled() -> None:
    # "shed" is not "she would", "were" is not "we are", a cabin is not "cabing"
    assert normalise("someone in my shed").text.strip() == "someone in my shed"
    assert normalise("they were here in the cabin").text.strip() == "they were here in the cabin"
