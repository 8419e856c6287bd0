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


def same_said(a: str, b: str, place: str) -> bool:
    """Two answers about one place, the first with its postcode district."""
    return same_perpetrator(Sighting(a, f"{place}, Ledbury", "HR8 1AB"), Sighting(b, place))


# What links people nobody named, or named in passing.


def test_a_group_at_one_shop_with_overlapping_ages_links() -> None:
    assert same_said(
        "teenage boys on bikes outside the Spar on Mill Street, throwing eggs at cars",
        "lads about 15 hanging round the Spar on Mill St, egging passing cars",
        "Mill Street",
    )


def test_one_person_known_by_what_they_carry_and_wear_links() -> None:
    assert same_said(
        "woman with a neck brace and a shopping trolley screaming at people at the bus stop",
        "lady in a neck collar pushing a trolley, shouts at everyone waiting for the bus",
        "bus stop, Homend Street",
    )


def test_a_dog_breed_said_two_ways_is_one_dog() -> None:
    assert same_said(
        "man with an alsatian that is never on a lead, went for my daughter",
        "German Shepherd off the lead again, the owner just laughs",
        "Oak Walk",
    )


def test_a_registration_seen_in_part_links_with_the_whole_one() -> None:
    assert same_said(
        "white Sprinter van, reg KT17 something, fly tipping builders rubble",
        "white Mercedes Sprinter KT17 HWD tipping rubble again",
        "Mill Lane",
    )


def test_one_business_links_however_its_name_is_written() -> None:
    assert same_said(
        "Lucky Star takeaway, their delivery bikes are all over the pavement",
        "the chinese on park rd (lucky star?) - delivery drivers blocking the path",
        "Park Road",
    )


def test_the_caretaker_of_one_block_is_one_person() -> None:
    assert same_said(
        "the caretaker at Linden House lets strangers sleep in the bin store",
        "Linden House's caretaker is drunk and rude to residents",
        "Linden House",
    )


# What keeps people apart.


def test_the_named_person_as_victim_does_not_link() -> None:
    assert not same_said(
        "Karen Hill keeps shouting at the kids from her garden",
        "someone keeps throwing stones at Karen Hill's windows",
        "Lime Walk",
    )


def test_the_resident_writing_is_not_the_one_they_name() -> None:
    assert not same_said(
        "Dean at 7 Fir Close lets his dog bark all night",
        "I'm Dean from 7 Fir Close, the lads next door kick footballs at my car",
        "Fir Close",
    )


def test_a_named_person_is_not_their_brother_or_sister() -> None:
    assert not same_said(
        "Shane Wood, 17, racing his moped up and down",
        "Shane Wood's sister Kerry shouting at the neighbours",
        "Ash Road",
    )


def test_the_dad_and_the_son_of_one_house_are_two_people() -> None:
    assert not same_said(
        "the dad at 9 Elm Close drinks in the garden and shouts at people",
        "the son at 9 Elm Close revs his motorbike at midnight",
        "Elm Close",
    )


def test_the_senior_and_the_young_one_of_one_name_are_two_people() -> None:
    assert not same(
        ("Mr Keith Hale senior - bonfires of garden waste", "Hasland, Chesterfield S41 0JY"),
        ("Keith Hale (young one), revving his quad bike on the field", "Hasland, Chesterfield"),
    )


def test_someone_not_from_round_here_is_not_the_household_at_a_number() -> None:
    assert not same(
        ("XL bully at number 10 attacking the postman", "Bellinge, Northampton"),
        ("a man walking an XL bully, not from round here, drives in every day", "Bellinge"),
    )
    assert not same(
        ("Deliveroo riders on mopeds outside McDonalds, revving", "Chesterfield Road, Bolsover"),
        ("lad at 2 Chesterfield Rd on his moped revving it at midnight", "Chesterfield Road"),
    )


def test_next_door_links_with_a_number_either_side_doing_the_same() -> None:
    assert same(
        ("The Smiths next door. Dogs left on their own all day barking", "14 Montagu Street"),
        ("number 12 - dogs barking all day and rubbish left out", "Montagu Street, Kettering"),
    )
    # Next door, but doing something else: one side or the other is only a guess.
    assert not same(
        ("my neighbour plays music till 4am", "14 Montagu Street"),
        ("number 12 - dogs barking all day", "Montagu Street, Kettering"),
    )


def test_part_of_a_registration_that_does_not_fit_rules_it_out() -> None:
    assert not same_said(
        "silver Astra, reg ends PXL, parked on the zig zags",
        "silver Vauxhall Astra KD15 RTY on the zig zags every morning",
        "school, Bye Street",
    )


def test_the_man_living_above_a_shop_is_not_the_man_running_it() -> None:
    assert not same_said(
        "Mo who lives in the flat above the chip shop shouts at people in the street",
        "Mo who runs the chip shop shouts at people in the street",
        "Queen Street",
    )


def test_the_same_breed_in_another_colour_is_another_dog() -> None:
    assert not same_said(
        "black staffy loose on the green, chased my cat",
        "white staffy off the lead on the green, chased my cat",
        "Oak Walk",
    )


def test_two_groups_at_one_spot_told_apart_by_age_do_not_link() -> None:
    assert not same_said(
        "little kids about 8 on scooters at the skate park",
        "men in their 30s drinking at the skate park",
        "skate park, Bye Street",
    )


def test_development_pairs_keep_false_links_rare() -> None:
    """Precision first: a false link shares one person's report as another's, so every
    development set must keep it; recall on a set scored unseen has always been far
    lower than after developing on it, so it is held to less."""
    sets = [
        evaluate(SETS / name / "perpetrator_pairs.jsonl")
        for name in ("dev", "dev2", "dev3", "dev4")
    ]
    same = sum(s.true_positives + s.false_negatives for s in sets)
    assert sum(s.pairs for s in sets) >= 700
    assert all(s.precision >= 0.95 for s in sets)
    assert sum(s.true_positives for s in sets) / same >= 0.85


def test_the_later_sets_of_hard_near_misses_keep_their_false_links_down() -> None:
    """dev5 to dev9 were written for the near misses a matcher links wrongly (dev7 was
    linked a third of the time unseen); developed on for their false links, each must
    keep them down."""
    for name in ("dev5", "dev6", "dev7", "dev8", "dev9"):
        assert evaluate(SETS / name / "perpetrator_pairs.jsonl").precision >= 0.88, name
    # dev10, worked on for six of its 25 false links so far: held where it reached.
    assert evaluate(SETS / "dev10" / "perpetrator_pairs.jsonl").precision >= 0.80


def test_a_car_model_that_is_an_everyday_word_names_a_car_only_after_its_make() -> None:
    # "a puma tracksuit" and "a polo shirt" are clothes, not a Ford and a Volkswagen that
    # would tell the lad apart from the same lad on a Yamaha.
    assert same_said(
        "lad about 16 in a black puma tracksuit doing wheelies on a red moped",
        "teenager in a black tracksuit on a red yamaha moped pulling wheelies",
        "Lythalls Lane rec",
    )
    assert not same_said("a grey ford puma revving", "a grey ford fiesta revving", "Spon Street")


def test_an_elderly_father_and_a_son_in_his_twenties_of_one_house_are_two_people() -> None:
    assert not same(
        ("old Mr Bains at 12, elderly, leaves his car on the pavement", "12 Elm Road CV2 4AB"),
        ("the young Mr Bains at 12 Elm Road, early 20s, loud exhaust at night", "Elm Road"),
    )


def test_someone_who_stays_over_is_not_the_tenant() -> None:
    assert not same(
        ("the woman renting 8 Mill Lane, 40s, lets her dogs bark all day", "8 Mill Lane"),
        ("her boyfriend, who stays over at 8 Mill Lane at weekends, fights in the street",
         "Mill Lane"),
    )  # fmt: skip


def test_the_flat_above_a_named_shop_is_not_the_shop() -> None:
    assert not same_said(
        "the Turkish barbers at 4 High Street, music from 7am and staff smoking outside",
        "lads in the flat above the Turkish barbers at 4 High Street fighting at night",
        "High Street",
    )


def test_two_named_parks_of_one_district_are_two_places() -> None:
    assert not same(
        ("man with a black akita off the lead in Caldecott Park", "Caldecott Park CV21 1AA"),
        ("man with a black akita off the lead in Whitehall Park", "Whitehall Park CV21 3BB"),
    )


def test_a_name_that_runs_a_taxi_from_home_is_that_home() -> None:
    assert same(
        ("Imran Malik who runs the minicab from 61 Cross Road, engine idling at 5am",
         "Cross Road CV6 5GR"),
        ("Imraan Malik at 61, his cab left running under my window every morning",
         "Cross Rd CV6 5GR"),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("the man in room 5 of the HMO at 44, older guy with a moustache",
         "the man in room 2 of the HMO at 44 plays music all night"),
        ("girl at no. 14's older sister who lives in Mansfield and comes round, parks on the "
         "pavement", "girl at no. 14, teenager, sits on the wall smoking"),
        ("Gemma from the Miners Arms darts team - not staff, a customer - picks fights",
         "Gemma who works behind the bar at the Miners Arms, serves people already drunk"),
        ("the lads waiting for haircuts at Fade Lab sit on my garden wall",
         "the barber who owns Fade Lab plays music through a speaker outside"),
        ("bloke with the orange Nissan Skyline at the car meet doing donuts",
         "lad with the lime green Nissan Skyline at the car meet doing burnouts"),
    ],
)  # fmt: skip
def test_people_of_one_place_told_apart_by_room_visit_role_or_colour(
    first: str, second: str
) -> None:
    """Two rooms of one house, a visiting relative and the household, a pub's customer
    and its staff, a shop's customers and its owner, two colours of one car."""
    assert not same_said(first, second, "Church Street")


def test_the_landlord_who_lives_elsewhere_is_still_the_landlord() -> None:
    assert same_said(
        "the landlord of 31 Foleshill Rd, lets the back yard fill with rubbish",
        "the owner of number 31 Foleshill Road, rents out the rooms, doesn't live there, "
        "dumping old mattresses in the back alley",
        "Foleshill Road",
    )


def test_two_vans_whose_plates_tell_different_years_are_two() -> None:
    assert not same_said(
        "white Transit, no writing on it, 08 plate, left on the corner untaxed",
        "White Transit YN15 OCA, DM Roofing, blocking my drive",
        "Elm Road",
    )
    assert same_said(
        "white Transit, 15 plate, DM Roofing on the side", "White Transit YN65 OCA", "Elm Road"
    )  # March's and September's plates of one year


def test_a_retired_man_and_the_teenager_of_one_house_are_two_people() -> None:
    assert not same(
        ("Mr Quinn of 12 Cherry Close, retired, throws hedge cuttings over", "Cherry Close"),
        ("The Quinn boy (teenager) from 12 Cherry Close on his scooter", "Cherry Close"),
    )
    assert not same(
        ("teenage son at 46 drumming till midnight", "46 Elm Road"),
        ("Mr Sohal at 46 - the father - parks his lorry on the verge", "46 Elm Road"),
    )


def test_the_house_across_the_road_is_not_the_one_reported() -> None:
    assert not same(
        ("88 Ruscote Ave (across the road from 87) - washes his car at midnight", "Ruscote Ave"),
        ("no 87 Ruscote Ave, staffies barking", "Ruscote Ave"),
    )


def test_forty_odd_is_an_age_and_twenty_odd_kids_a_count() -> None:
    assert not same_perpetrator(
        Sighting("Jonno from the flats above the launderette, 40-odd, drunk and begging",
                 "Danesholme precinct, Corby", "NN18 9EU"),
        Sighting("Jonno, the ginger 16 year old on the e-scooter in the precinct",
                 "Danesholme shops, Corby", "NN18 9EU"),
    )  # fmt: skip
    assert same_said(
        "Kayleigh Ward (pink hair) started a big fight among the teenagers at the disco",
        "20-odd kids at the disco fighting - the main one a girl with bright pink hair",
        "the church hall",
    )
