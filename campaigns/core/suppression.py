"""Small-cell suppression for every published count (DESIGN §4)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Shown:
    """A count as it may be published: the number, or only that it is below k."""

    value: int | None
    k: int

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return f"fewer than {self.k}" if self.value is None else f"{self.value:,}"


def suppress(count: int, k: int) -> Shown:
    """Counts from 1 to k−1 are shown only as "fewer than k"; 0 and k or more are shown."""
    return Shown(None if 0 < count < k else count, k)


def suppress_breakdown(cells: Mapping[str, int], k: int) -> dict[str, Shown]:
    """Suppress small cells, then enough others that no hidden cell can be worked out.

    The cells are assumed to add up to a published total, so one hidden cell
    alone could be recovered by subtraction. While exactly one non-zero cell is
    hidden, the smallest remaining non-zero cell is hidden with it; hiding a
    zero would not help, since a reader who knows the rest knows the sum.
    """
    hidden = {name for name, count in cells.items() if 0 < count < k}
    visible_nonzero = sorted(
        (count, name) for name, count in cells.items() if count > 0 and name not in hidden
    )
    if len(hidden) == 1 and visible_nonzero:
        hidden.add(visible_nonzero[0][1])
    return {name: Shown(None if name in hidden else count, k) for name, count in cells.items()}


def threshold_target(headcount: int, percent: float) -> int:
    """How many people make `percent` of `headcount`, rounded up (5% of 40 is 2)."""
    if headcount <= 0:
        return 0
    exact = headcount * percent / 100
    whole = int(exact)
    return whole if whole == exact else whole + 1
