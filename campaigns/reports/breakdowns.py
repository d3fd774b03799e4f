"""Team breakdowns that give away no small group, even to a reader who does arithmetic.

`suppress_breakdown` hides the cells from 1 to k−1 and one more, so a single
hidden cell cannot be had as "total minus the rest". A reader still knows
that every listed team has at least one supporter and what the hidden cells
add up to (the published total minus the visible cells). So, in addition:

- the hidden cells together must not be a small group themselves (their sum
  is at least k), and must not be all ones (a sum equal to their number);
- while that does not hold, the smallest visible cell is hidden as well;
- when the total itself is hidden, or nothing is left to hide, the
  breakdown is withheld: listing which teams have supporters would already
  say too much.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

from campaigns.core.suppression import Shown, suppress_breakdown

K = TypeVar("K", bound=Hashable)


def _safe(cells: Mapping[K, int], hidden: set[K], k: int) -> bool:
    if not hidden:
        return True
    hidden_sum = sum(cells[name] for name in hidden)
    return len(hidden) > 1 and hidden_sum >= k and hidden_sum > len(hidden)


def protected_breakdown(cells: Mapping[K, int], k: int) -> dict[K, Shown] | None:
    """Each team's count as it may be shown, or None when no breakdown can be shown safely."""
    counted = {name: count for name, count in cells.items() if count > 0}
    total = sum(counted.values())
    if total < k:
        return None
    shown = suppress_breakdown(counted, k)
    hidden = {name for name, value in shown.items() if value.suppressed}
    while not _safe(counted, hidden, k):
        visible = sorted((count, str(name), name) for name, count in counted.items()
                         if name not in hidden)
        if not visible:
            return None
        hidden.add(visible[0][2])
    return {name: Shown(None if name in hidden else count, k) for name, count in counted.items()}
