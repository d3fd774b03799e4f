"""Team breakdowns that give away no small group, even to a reader who does arithmetic.

The published rule, which anyone may know:

1. While the total is below k, no breakdown is shown at all.
2. Teams with fewer than k supporters go into one unnamed group, "other
   teams together", shown only as its sum; the other teams are shown by name.
3. That group must always exist and hold at least two teams, at least k
   people, and two different team sizes. While it does not, every team of
   the smallest size still shown joins it (all of that size at once: there
   is no tie-break, and names are never looked at).
4. If no named team would be left, no breakdown is shown.

Why no hidden team can be worked out: the rule looks only at sizes, so
exchanging the counts of two teams in the group publishes the same
breakdown. A reader can give any hidden team any size that occurs in the
group, and rule 3 makes sure there are at least two. Between two snapshots
that differ by one person in a team hidden in both, every other team has the
same count in both, and in each a team is hidden exactly when its count is
below that snapshot's smallest named count. So one snapshot's group, that
team aside, lies inside the other's; as each group holds two teams or more,
some other team is hidden in both, and exchanging the two teams' counts in
both snapshots publishes the same two breakdowns with the change on the
other team. (A withheld breakdown hides every team, which only helps.)
tests/privacy/test_breakdown_arithmetic.py checks both exhaustively on small
tables (up to six teams, totals up to 40, k from 2 to 6).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Breakdown(Generic[K]):
    """The named teams as shown, and the sum of the unnamed rest (0 when there is none)."""

    shown: dict[K, int]
    others: int


def shown_from(sizes: list[int], k: int) -> int | None:
    """The smallest size shown by name under the rule, or None when nothing may be shown."""
    if sum(sizes) < k:
        return None
    cut = k
    while True:
        shown = [size for size in sizes if size >= cut]
        pooled = [size for size in sizes if 0 < size < cut]
        if not shown:
            return None
        if _safe_group(pooled, k):
            return cut
        cut = min(shown) + 1


def _safe_group(pooled: list[int], k: int) -> bool:
    return len(pooled) >= 2 and sum(pooled) >= k and len(set(pooled)) >= 2


def protected_breakdown(cells: Mapping[K, int], k: int) -> Breakdown[K] | None:
    """Each team's count as it may be shown, or None when no breakdown can be shown safely."""
    counted = {name: count for name, count in cells.items() if count > 0}
    cut = shown_from(list(counted.values()), k)
    if cut is None:
        return None
    shown = {name: count for name, count in counted.items() if count >= cut}
    return Breakdown(shown, sum(counted.values()) - sum(shown.values()))
