"""Which housing provider a resident rents from, as they say it."""

from __future__ import annotations

import pytest

from actions.landlord import NO_LANDLORD, choose_landlord, landlord_said
from bot.partnerships import load_partnerships
from bot.platform.settings import PROJECT_ROOT

SERVED = load_partnerships(PROJECT_ROOT / "partnerships", "coventry")


@pytest.mark.parametrize(
    ("partnership", "said", "chosen"),
    [
        ("coventry", "Yes, I rent from Citizen housing", "citizen_housing"),
        ("coventry", "yes whitefriars", "citizen_housing"),  # its former name
        ("bolsover", "yes he rents from Bolsover council", "council_housing"),
        ("cherwell", "Yes, we rent from Sanctuary", "sanctuary_housing"),
        # Not a partner's tenant: owning, renting privately, or from a landlord not listed.
        ("northamptonshire", "We rent from private landlord, not council", NO_LANDLORD),
        ("northamptonshire", "yeah north northants council", NO_LANDLORD),
        ("cherwell", "We're tenants of the estate, it's a farm tenancy.", NO_LANDLORD),
        ("coventry", "It's a brewery tenancy, I live above the pub.", NO_LANDLORD),
        ("coventry", "No, we own the bungalow", NO_LANDLORD),
        ("cherwell", "yes. sovereign", NO_LANDLORD),
        ("chesterfield", "We have owned our house since 1968.", NO_LANDLORD),
        ("cherwell", "through a lettin agent in town", NO_LANDLORD),
        ("coventry", "yes I do", "citizen_housing"),  # the one listed
        ("northamptonshire", "Daventry housing. Karen knows.", "council_housing"),  # its town
        ("bolsover", "Tied cottage, belongs to the estate.", NO_LANDLORD),  # someone else's
        # The council, not named: the partnership's one council landlord.
        ("bolsover", "We rent from the council.", "council_housing"),
        ("bolsover", "we rent off the council", "council_housing"),  # as many say it
        ("chesterfield", "its a council flat", "council_housing"),
        ("chesterfield", "we used to rent from the council, we bought it in 2003", NO_LANDLORD),
        # Unclear: asked again.
        ("coventry", "what does that mean", None),
    ],
)
def test_the_landlord_is_read_from_the_answer(
    partnership: str, said: str, chosen: str | None
) -> None:
    assert choose_landlord(SERVED.get(partnership), said) == chosen


@pytest.mark.parametrize(
    ("partnership", "said", "landlord"),
    [
        ("coventry", "It's been every night since we bought our house in May", NO_LANDLORD),
        ("chesterfield", "no, we own our house outright, the lads are next door", NO_LANDLORD),
        ("coventry", "I'm a Citizen tenant and so are they", "citizen_housing"),
        ("cherwell", "we rent our flat from Sanctuary and the smell comes up", "sanctuary_housing"),
        ("bolsover", "we're council tenants, they're private", "council_housing"),
        # Said of someone else, or not said at all: asked as before.
        ("coventry", "they rent from Citizen and Citizen do nothing", None),
        ("coventry", "the lads at number 14 play music till 3am", None),
    ],
)
def test_a_landlord_said_unasked_is_taken(partnership: str, said: str, landlord: str) -> None:
    assert landlord_said(SERVED.get(partnership), said) == landlord
