from __future__ import annotations

import re

from bot.cases.reference import ALPHABET, find_reference, new_reference, normalise_reference, spoken

CONTRACT_SHAPE = re.compile(r"^ASB-[0-9A-Z-]+$")


def test_references_follow_the_contract_and_avoid_confusable_characters() -> None:
    references = {new_reference() for _ in range(2000)}
    assert len(references) == 2000
    for reference in references:
        assert CONTRACT_SHAPE.match(reference)
        assert not set(reference[4:].replace("-", "")) & set("0O1IL")


def test_any_single_mistyped_character_is_caught() -> None:
    reference = new_reference()
    chars = reference[4:].replace("-", "")
    for position in range(len(chars)):
        for replacement in ALPHABET:
            if replacement == chars[position]:
                continue
            typo = chars[:position] + replacement + chars[position + 1 :]
            assert normalise_reference(typo) is None, typo


def test_adjacent_swaps_are_mostly_caught() -> None:
    caught = total = 0
    for _ in range(300):
        chars = new_reference()[4:].replace("-", "")
        for i in range(len(chars) - 1):
            if chars[i] == chars[i + 1]:
                continue
            swapped = chars[:i] + chars[i + 1] + chars[i] + chars[i + 2 :]
            total += 1
            caught += normalise_reference(swapped) is None
    assert caught / total > 0.9


def test_residents_can_type_it_loosely() -> None:
    reference = new_reference()
    loose = reference.lower().replace("-", " ")
    assert normalise_reference(loose) == reference
    assert normalise_reference(reference[4:]) == reference
    assert find_reference(f"whats happening with {loose} please") == reference


def test_spoken_form_reads_one_character_at_a_time() -> None:
    assert spoken("ASB-K7MP-4QXW") == "A S B, K 7 M P, 4 Q X W"
