"""What published counts say about the way to the threshold: pure rules, no database.

A number derived from counts (a share, a difference, a pace) can reveal a
count that is suppressed, so each rule here hides its result whenever one of
the counts it would be computed from is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from campaigns.core.suppression import Shown

WEEK = timedelta(days=7)
# A date further away than this is not a plan; it is "not at the current pace".
HORIZON = timedelta(days=3653)


@dataclass(frozen=True)
class Share:
    """Supporters as a percentage of the headcount, or only an upper bound while they are hidden."""

    percent: float | None
    under: float | None


@dataclass(frozen=True)
class Needed:
    """How many more supporters the target needs: exact, or a range while supporters are hidden."""

    exact: int | None
    at_least: int | None = None
    at_most: int | None = None


@dataclass(frozen=True)
class Trend:
    """The change since the newest count at least a week older; `change` None when hidden."""

    since: datetime
    change: int | None


class Pace(StrEnum):
    REACHED = "reached"
    ON_PACE = "on_pace"
    NOT_AT_PACE = "not_at_pace"
    TOO_EARLY = "too_early"
    HIDDEN = "hidden"
    NO_TARGET = "no_target"


@dataclass(frozen=True)
class Projection:
    """The day the target is reached at the current pace, or why that cannot be said."""

    pace: Pace
    when: date | None = None


def share_of(supporters: Shown, headcount: int | None) -> Share | None:
    """The published share; while supporters are hidden, only "under k/headcount"."""
    if not headcount:
        return None
    if supporters.suppressed:
        return Share(None, supporters.k * 100 / headcount)
    return Share(supporters.value * 100 / headcount, None)


def more_needed(supporters: Shown, target: int | None) -> Needed | None:
    """Target minus supporters; a hidden count of 1..k−1 allows only a range, never the number."""
    if target is None:
        return None
    if not supporters.suppressed:
        return Needed(max(target - supporters.value, 0))
    low, high = max(target - (supporters.k - 1), 0), max(target - 1, 0)
    if high == 0:
        return Needed(0)
    return Needed(None, low, high)


def weekly_trend(latest: tuple[datetime, Shown], baseline: tuple[datetime, Shown] | None
                 ) -> Trend | None:
    """Change against a count at least a week older; hidden if either end is hidden."""
    if baseline is None:
        return None
    (_, now_count), (since, then_count) = latest, baseline
    if now_count.suppressed or then_count.suppressed:
        return Trend(since, None)
    return Trend(since, now_count.value - then_count.value)


def project(latest: tuple[datetime, Shown], baseline: tuple[datetime, Shown] | None,
            target: int | None) -> Projection:
    """When `target` is reached if supporters keep growing as they did since `baseline`."""
    if not target:
        return Projection(Pace.NO_TARGET)
    (now, count), base = latest, baseline
    if not count.suppressed and count.value >= target:
        return Projection(Pace.REACHED)
    if base is None:
        return Projection(Pace.TOO_EARLY)
    since, before = base
    # An exact date from a hidden count could be solved back to that count.
    if count.suppressed or before.suppressed:
        return Projection(Pace.HIDDEN)
    gained = count.value - before.value
    if gained <= 0 or now <= since:
        return Projection(Pace.NOT_AT_PACE)
    wait = (now - since) * ((target - count.value) / gained)
    if wait > HORIZON:
        return Projection(Pace.NOT_AT_PACE)
    return Projection(Pace.ON_PACE, (now + wait).date())
