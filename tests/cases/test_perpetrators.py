"""The perpetrator matcher: what it must link, what it must keep apart, and its scores on
the development pairs (the held-out pairs are reported by `python -m
tests.cases.perpetrator_pairs`, never tuned on)."""

from __future__ import annotations

import pytest

from bot.cases.perpetrators import same_perpetrator
from bot.cases.sightings import Sighting
from tests.cases.perpetrator_pairs import SETS, evaluate


def same(a: tuple[str, str], b: tuple[str, str]) -> bool:
    return same_perpetrator(Sighting(*a), Sighting(*b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # A registration however it is written or read out.
        (("van KM14 RZV blocking the pavement", "Elm Road"),
         ("the white transit km14rzv again", "")),
        (("Silver Golf YK18 BST, dealing from it", "car park"),
         ("the reg is yankee kilo one eight bravo sierra tango", "")),
        # A home, with the number in words and the street abbreviated.
        (("Mark Tennant, 22 Elm Grove", "22 Elm Grove CV3 1AA"),
         ("its the fella at number twenty two he has got two big dogs", "elm grove")),
        # A misspelt name at the same home; a nickname.
        (("Kieran O'Donoghue, 7 Lime Tree Avenue", "Kettering NN16 0BL"),
         ("keiron odonahue no 7 music blasting", "lime tree ave")),
        (("Gary Pritchard, 50 Thanet Street", "Clay Cross"),
         ("Gaz from number 50 Thanet St, always drunk", "Clay Cross")),
    ],
)  # fmt: skip
def test_links_one_person_described_differently(a: tuple[str, str], b: tuple[str, str]) -> None:
    assert same(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Different homes on one street; different flats of one building.
        (("Kyle at number 4", "Elm Road CV2 1AA"), ("Kyle at number 40", "Elm Road CV2 1AA")),
        (("the tenant of Flat 1, 47 Station Road", ""), ("flat 3 at 47 station rd", "")),
        # One report names the household as the victim, or rules it out.
        (("Mrs Patel at 22 keeps throwing water at the kids", "Elm Road"),
         ("the kids keep throwing stones at Mrs Patel's windows at 22", "22 Elm Road")),
        (("The Campbells at 33 Marlborough Road", ""),
         ("its NOT number 33, the Campbells get blamed for everything", "Marlborough Road")),
        # Same first name, different sexes or ages; same car model, different registration.
        (("Sam at number 8, she screams at her kids", "Larch Close"),
         ("Sam at no 8, the man with the beard", "Larch Close")),
        (("grown men kicking a ball at the garage doors", "Newbold Avenue garages S41 7AX"),
         ("little lads about 8 playing football against the garages", "Newbold Avenue S41 7AX")),
        (("blue Fiesta AB12 CDE", "Sycamore Road"), ("blue fiesta AB12 CDF", "Sycamore Road")),
        # Nothing that identifies: "youths on bikes" in two places.
        (("youths on bikes", "the park, Banbury"), ("youths on bikes", "the rec, Bicester")),
    ],
)  # fmt: skip
def test_keeps_different_people_apart(a: tuple[str, str], b: tuple[str, str]) -> None:
    assert not same(a, b)


def test_development_pairs_keep_false_links_rare() -> None:
    """Precision first: a false link shares one person's report as another's. Recall on
    sets written after the rules (dev3, held-out) is far lower than on the first ones:
    docs/partnerships.md gives every set's figures."""
    sets = [evaluate(SETS / name / "perpetrator_pairs.jsonl") for name in ("dev", "dev2", "dev3")]
    found = sum(s.true_positives + s.false_positives for s in sets)
    same = sum(s.true_positives + s.false_negatives for s in sets)
    true_positives = sum(s.true_positives for s in sets)
    assert sum(s.pairs for s in sets) >= 500
    assert true_positives / found >= 0.95
    assert true_positives / same >= 0.70
