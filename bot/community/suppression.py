"""Small counts on public pages: suppressed so that no figure can point at a household.

A count below the partnership's threshold is shown as "fewer than N"; secondary
suppression withholds more cells until no small count can be worked out from the others
and the total (`protect`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel


class Cell(BaseModel):
    """One published figure: a count, or why it is not shown."""

    count: int | None
    suppressed: bool
    display: str

    @classmethod
    def shown(cls, count: int) -> Cell:
        return cls(count=count, suppressed=False, display=f"{count:,}")

    @classmethod
    def fewer_than(cls, threshold: int) -> Cell:
        return cls(count=None, suppressed=True, display=f"fewer than {threshold}")

    @classmethod
    def withheld(cls) -> Cell:
        return cls(count=None, suppressed=True, display="not shown")


@dataclass(frozen=True)
class Protected:
    cells: list[Cell]
    margin_shown: bool


def protect(parts: Sequence[int], threshold: int, rest: int | None = None) -> Protected:
    """The cells to publish for `parts` of a total that is shown: the sum of the parts,
    plus `rest` when the parts are a selection whose remainder is never shown.

    Primary suppression: a count below `threshold` (zero too) is shown as "fewer than N".
    Secondary (complementary) suppression, the usual rule for tables published with
    their totals: one small cell alone would be the total minus the others, so the
    smallest shown cell is withheld as well ("not shown"), and again, until no small
    count can be worked out. "Worked out" is checked, not assumed: a reader who knows
    this rule knows a small cell is 0..N-1, a withheld one at least N and the hidden
    cells' sum; each non-zero small count must keep at least two possible values
    (4 + 4 = 8 would give both away however they are shown). A zero that can be worked
    out is no report and points at nobody. When even withholding every part is not
    enough (three small categories adding to 12: each must be 4), the total is not shown
    (`margin_shown` False). With a never-shown `rest` that cannot happen: the rest can
    take any value.
    """
    values = [*parts, *([rest] if rest is not None else [])]
    always_hidden = {len(parts)} if rest is not None else set()
    hidden = {i for i, v in enumerate(parts) if v < threshold} | always_hidden
    while not _unrecoverable(values, hidden, always_hidden, threshold):
        shown = [i for i in range(len(parts)) if i not in hidden]
        if not shown:
            return Protected([Cell.fewer_than(threshold) for _ in parts], margin_shown=False)
        hidden.add(min(shown, key=lambda i: (values[i], i)))
    cells = [
        Cell.shown(v)
        if i not in hidden
        else (Cell.fewer_than(threshold) if v < threshold else Cell.withheld())
        for i, v in enumerate(parts)
    ]
    return Protected(cells, margin_shown=True)


def _unrecoverable(
    values: list[int], hidden: set[int], always_hidden: set[int], threshold: int
) -> bool:
    """Whether every non-zero small hidden count keeps two or more possible values, for a
    reader who knows the bounds of each hidden cell and the sum of all of them."""
    margin = sum(values)
    bounds = {
        i: (0, margin)
        if i in always_hidden
        else ((0, threshold - 1) if values[i] < threshold else (threshold, margin))
        for i in hidden
    }
    hidden_sum = sum(values[i] for i in hidden)
    for i in hidden:
        if not 0 < values[i] < threshold:
            continue
        others_low = sum(low for j, (low, _) in bounds.items() if j != i)
        others_high = sum(high for j, (_, high) in bounds.items() if j != i)
        low = max(bounds[i][0], hidden_sum - others_high)
        high = min(bounds[i][1], hidden_sum - others_low)
        if high <= low:
            return False
    return True
