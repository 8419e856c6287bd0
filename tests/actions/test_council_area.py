"""The town a resident names beside a street is kept with the place: partners need it,
and it tells the council area, which is then not asked."""

from __future__ import annotations

import pytest

from actions.council_area import choose_area, report_partnership, with_town
from bot.partnerships import load_partnerships
from bot.platform.settings import PROJECT_ROOT

SERVED = load_partnerships(PROJECT_ROOT / "partnerships", "coventry")


@pytest.mark.parametrize(
    ("place", "said", "kept", "partnership"),
    [
        ("Ashgate Road", "the green at the foot of Ashgate Road, Chesterfield. They drink",
         "Ashgate Road, Chesterfield", "chesterfield"),
        ("badby road", "its badby road", "badby road", "coventry"),  # no town: the default
        ("Launton Road, Bicester", "Launton Road, Bicester", "Launton Road, Bicester",
         "cherwell"),  # the place names it already
        ("Spon Street, CV1 5FB", "Spon Street CV1 5FB, I moved from Kettering",
         "Spon Street, CV1 5FB", "coventry"),  # the postcode tells
    ],
)  # fmt: skip
def test_the_town_said_beside_a_street_is_kept(
    place: str, said: str, kept: str, partnership: str
) -> None:
    assert with_town(SERVED, place, said) == kept
    assert report_partnership(SERVED, kept, None).id == partnership


def test_a_corrected_street_keeps_the_town_said_before() -> None:
    assert with_town(SERVED, "badby road", "ashby road, daventry") == "badby road, Daventry"


EVERY_AREA = [p.id for p in SERVED.all()]


@pytest.mark.parametrize(
    ("said", "chosen"),
    [
        ("chair well i think", "cherwell"),  # a recogniser's Cherwell
        ("in bister", "cherwell"),  # its Bicester, a town in the area
        ("chester field", "chesterfield"),
        ("council", None),  # a word of every council's name tells none apart
        ("the one in the west", None),
    ],
)
def test_an_area_misheard_or_half_named_is_chosen_only_when_one_fits(
    said: str, chosen: str | None
) -> None:
    assert choose_area(SERVED, said, EVERY_AREA) == chosen
