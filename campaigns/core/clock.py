"""Time comes from a clock object, so tests and the console can move it forward."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware in UTC."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """Real time plus an offset that only grows: `advance` moves it on (console, tests)."""

    def __init__(self, start: datetime | None = None, *, frozen: bool = False):
        self._start = start or datetime.now(UTC)
        self._real_start = datetime.now(UTC)
        self._offset = timedelta(0)
        self._frozen = frozen

    def now(self) -> datetime:
        elapsed = timedelta(0) if self._frozen else datetime.now(UTC) - self._real_start
        return self._start + elapsed + self._offset

    def advance(self, by: timedelta) -> datetime:
        self._offset += by
        return self.now()


def day_of(moment: datetime) -> datetime:
    """The start of the (UTC) day of `moment`: how precisely time is kept next to a person.

    A timestamp to the second beside a member row can be matched to an outside
    timeline (a DM, a badge log); a day cannot, and every feature that needs
    one only needs the day (retention) or keeps its deadline on the item.
    """
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)
