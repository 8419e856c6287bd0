"""The learned reading of how the trouble affects people, inside a whole report."""

from __future__ import annotations

import pytest

from bot.conversation.impact import tells_impact
from bot.conversation.understanding import find_impact


@pytest.mark.parametrize(
    ("text", "impact"),
    [
        ("Music blasting since 8 and folk fighting in the car park. Cannae get the wean to "
         "sleep.", "Cannae get the wean to sleep"),
        ("men drinking cans in the play area every afternoon, smashed bottles under the "
         "swings. i cant take my kids there anymore", "i cant take my kids there anymore"),
        ("Someone keyed my car outside the house again. My insurance has gone through the "
         "roof", "My insurance has gone through the roof"),
    ],
)  # fmt: skip
def test_an_effect_said_without_feeling_words_is_read(text: str, impact: str) -> None:
    assert find_impact(text) == impact


def test_what_happened_alone_is_not_read_as_an_effect() -> None:
    said = [
        "The lads at 14 Spon Street play music till 3am",
        "a white transit parks across the dropped kerb every morning",
        "I rang 101 twice last month",
    ]
    assert tells_impact(said) == [False, False, False]
    assert all(find_impact(text) is None for text in said)
