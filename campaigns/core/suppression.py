"""Small-cell suppression for every published count
(docs/PRIVACY.md, "Suppression that survives arithmetic")."""

from __future__ import annotations

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


def threshold_target(headcount: int, percent: float) -> int:
    """How many people make `percent` of `headcount`, rounded up (5% of 40 is 2)."""
    if headcount <= 0:
        return 0
    exact = headcount * percent / 100
    whole = int(exact)
    return whole if whole == exact else whole + 1
