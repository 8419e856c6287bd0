"""Behaviour a call handler would notice: now vs then, idioms, fire vs smoke, slur vs mention.

The sentences here are not in the labelled sets; each pair differs in the one thing that
must change the verdict.
"""

from __future__ import annotations

import dataclasses

import pytest

from bot.triage import Evidence, Verdict, triage


@pytest.mark.parametrize(
    ("now", "then"),
    [
        ("they're smashing my window", "they smashed my window last week"),
        ("a lad has got a knife outside the shop", "a lad had a knife outside the shop last month"),
        (
            "someone is trying to get in my back door",
            "someone tried to get in my back door on sunday",
        ),
        (
            "there's a fight outside my house right now",
            "there was a fight outside my house on saturday",
        ),
        ("he's outside saying he's going to stab me", "he said last year he was going to stab me"),
        (
            "they've set fire to the bins by the flats",
            "they set fire to the bins by the flats last night",
        ),
        ("my brother has been stabbed", "my brother was stabbed two years ago"),
    ],
)
def test_now_is_an_emergency_and_then_is_not(now: str, then: str) -> None:
    assert triage(now).emergency, now
    assert not triage(then).emergency, then
    # both are still reports about a person or place, never "none"
    assert triage(then).category != "none"


@pytest.mark.parametrize(
    "idiom",
    [
        "the noise is killing me",
        "I could kill him for parking there",
        "my back is killing me after carrying the bins",
        "I'm going to murder my neighbour if he mows at 6am again",
        "my mum will kill me if she finds out I reported them lol",
        "that music is murder",
        "I'm dying for some sleep",
    ],
)
def test_idioms_are_not_emergencies(idiom: str) -> None:
    assert not triage(idiom).emergency


@pytest.mark.parametrize(
    "text",
    [
        "what should I do if they come back with a knife?",
        "if someone breaks in do I ring 999 or you?",
        "we watched a film where a man gets stabbed",
        "my son plays games with guns all night and it's loud",
    ],
)
def test_hypotheticals_and_fiction_are_not_emergencies(text: str) -> None:
    assert not triage(text).emergency


def test_fire_being_set_is_an_emergency_but_bonfire_smoke_is_environmental() -> None:
    fire = triage("someone's trying to burn my door")
    assert fire.emergency and fire.subtype == "fire" and fire.category == "personal"
    smoke = triage("next door's bonfire is on fire again and the smoke is in my kitchen")
    assert not smoke.emergency
    assert smoke.category == "environmental"


@pytest.mark.parametrize(
    ("text", "strand"),
    [
        ("they called me a p*** and laughed", "race"),
        ("they shouted go back to your own country at my mum", "race"),
        ("he pulled my sister's hijab off in the street", "religion"),
        ("someone left bacon on the mosque steps", "religion"),
        ("they shouted f****t at my son", "sexual_orientation"),
        ("they copy the way my son walks and laugh at his wheelchair", "disability"),
        ("my neighbour calls me by my deadname on purpose", "transgender"),
        ("someone sprayed a swastika on the bus stop", "race"),
    ],
)
def test_hate_is_recognised_with_its_strand(text: str, strand: str) -> None:
    v = triage(text)
    assert v.hate_crime, text
    assert strand in v.hate_strands


@pytest.mark.parametrize(
    "text",
    [
        "my neighbour is Polish and lovely but the other side play music all night",
        "my muslim neighbour's car was vandalised last night",
        "the gay couple next door have a dog that barks all day",
        "my neighbour accused me of being racist for complaining about his dog",
        "what is a hate crime?",
        "the f***ing music is still going",
        "I'm having a fag in the garden and can smell their weed",
    ],
)
def test_neutral_mentions_and_swearing_are_not_hate(text: str) -> None:
    assert not triage(text).hate_crime, text


def test_evidence_shows_the_cue_and_the_words() -> None:
    v = triage("THERES LADS OUTSIDE WIV A BLADE RN")
    assert v.emergency
    emergency = [e for e in v.evidence if e.flag == "emergency"]
    assert emergency
    assert any("blade" in e.words for e in emergency)
    assert emergency[0].cue == "weapon_present"

    v = triage("they keep calling my son a r****d because of his wheelchair")
    hate = [e for e in v.evidence if e.flag == "hate_crime"]
    assert any("retard" in e.words for e in hate)
    assert v.hate_strands == ["disability"]


def test_no_evidence_for_flags_that_are_not_raised() -> None:
    v = triage("dog mess all over the path again")
    assert not v.emergency and not v.hate_crime
    assert all(e.flag == "category" for e in v.evidence)
    assert (v.category, v.subtype) == ("environmental", "dog_fouling")


@pytest.mark.parametrize(
    ("text", "category", "subtype"),
    [
        ("loud music from upstairs every night till 3", "nuisance", "noise"),
        ("someone's dumped an old mattress in the lane", "environmental", "fly_tipping"),
        ("lads selling weed by the bus station", "nuisance", "drugs"),
        ("hello", "none", "none"),
        ("what's happening with ASB-2026-0042?", "none", "none"),
        ("is this the council?", "none", "none"),
        ("I want to make a complaint about how my report was handled", "none", "none"),
    ],
)
def test_category_and_subtype(text: str, category: str, subtype: str) -> None:
    v = triage(text)
    assert (v.category, v.subtype) == (category, subtype)


def test_verdict_shapes_for_the_contract_and_case_records() -> None:
    v = triage("they r beating my dad and calling him a p*** help", channel="sms")
    assert v.contract_dict() == {
        "emergency": True,
        "hate_crime": True,
        "hate_strands": ["race"],
        "category": "personal",
        "subtype": "violence",
    }
    full = v.as_dict()
    assert set(full) == {*v.contract_dict(), "evidence"}
    assert {"flag", "cue", "words"} == set(full["evidence"][0])
    assert isinstance(v, Verdict) and isinstance(v.evidence[0], Evidence)
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.emergency = False  # type: ignore[misc]


def test_same_verdict_on_every_channel() -> None:
    text = "um there's a man er in my garden trying the back door"
    verdicts = {repr(triage(text, ch).contract_dict()) for ch in ("sms", "chat", "voice", None)}
    assert len(verdicts) == 1
    assert triage(text, "voice").emergency
