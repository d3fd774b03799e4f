"""Option text to typed values, with a readable refusal for each kind of mistake.

The aliases at the end (`Percent`, `Days`, `Deadline`, …) annotate the fields
of typed commands, so `bots/commands/binding.py` knows how to convert each one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from campaigns.core.errors import BadValue
from campaigns.core.integers import LARGEST, typed_number
from settings import DURATION_FORMS, parse_duration

# Where a person reads each kind of number, so a refusal can point there.
_NUMBERED_IN = {"item": "/liaison queue NAME", "talking point": "/campaign points NAME"}
# Longer than any campaign should keep grievance text, and than any pledge should stay open.
MAX_RETENTION_DAYS = 3650
MAX_DEADLINE = timedelta(days=731)  # two years, a leap day included


def item_number(value: object, field: str) -> int:
    """A queue item or point number, written `3` or `#3`."""
    found = typed_number(str(value or "").strip().lstrip("#"))
    if not found:
        raise BadValue(field=field, value=value, expected="a number such as 3",
                       shown_in=_NUMBERED_IN.get(field))
    return found


def whole_number(value: object, field: str, *, minimum: int = 1) -> int:
    number = typed_number(value)
    if number is None or number < minimum:
        raise BadValue(field=field, value=value,
                       expected=f"a whole number from {minimum} to {LARGEST:,}")
    return number


def percent(value: object, field: str) -> float:
    try:
        number = float(str(value).rstrip("%"))
    except ValueError:
        raise BadValue(field=field, value=value, expected="a percentage such as 5 or 12.5") from None
    if not 0 < number <= 100:
        raise BadValue(field=field, value=value, expected="a percentage above 0 and up to 100")
    return number


def duration(value: object, field: str) -> timedelta:
    try:
        return parse_duration(str(value))
    except (ValueError, OverflowError):  # `99999999999d` is longer than a timedelta holds
        raise BadValue(field=field, value=value, expected=DURATION_FORMS) from None


def whole_days(value: object, field: str) -> int:
    """A number of days: `30` means days, as does `30d`; `8w` or `36h` are counted up to days.

    Refusals quote what was typed, never the days it came to.
    """
    expected = (f"a number of days from 1 to {MAX_RETENTION_DAYS} (ten years), "
                "such as 30, or a duration such as 30d or 8w")
    number = typed_number(value)
    if number is not None:
        days = number
    else:
        try:
            span = parse_duration(str(value).strip())
        except (ValueError, OverflowError):  # `99999999999d` is longer than a timedelta holds
            raise BadValue(field=field, value=value, expected=expected) from None
        if span < timedelta(days=1):
            raise BadValue(field=field, value=value, expected="at least one day, such as 30 or 30d")
        days = span.days + (1 if span % timedelta(days=1) else 0)
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise BadValue(field=field, value=value, expected=expected)
    return days


def deadline(value: object, field: str, now: datetime) -> datetime:
    """A date (`2027-01-31`, the end of that day in UTC) or a duration from now (`14d`)."""
    text = str(value).strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        try:
            when = now + parse_duration(text)
        except (ValueError, OverflowError):  # or past the year 9999
            raise BadValue(field=field, value=value,
                           expected=f"a date such as 2027-01-31, or {DURATION_FORMS}") from None
    else:
        when = datetime.combine(day, time(23, 59, 59), tzinfo=UTC)
    if when <= now:
        raise BadValue(field=field, value=value, expected="a moment in the future")
    last_day = (now + MAX_DEADLINE).date()
    if when > datetime.combine(last_day, time(23, 59, 59), tzinfo=UTC):
        raise BadValue(field=field, value=value,
                       expected=f"a moment within the next two years, until {last_day.isoformat()} "
                                "at the latest, such as 30d or 90d")
    return when


@dataclass(frozen=True)
class As:
    """How a typed command's field is converted from text: `convert(text, field[, now])`.

    `field` names the value in a refusal (the field's own name when left out);
    `timed` converters also get the current time, for deadlines.
    """

    convert: Callable[..., object]
    field: str | None = None
    timed: bool = False


WholeNumber = Annotated[int, As(whole_number)]
Percent = Annotated[float, As(percent)]
Days = Annotated[int, As(whole_days)]
Deadline = Annotated[datetime, As(deadline, timed=True)]
Milestone = Annotated[float, As(percent, "milestone")]
ItemNumber = Annotated[int, As(item_number, "item")]
PointNumber = Annotated[int, As(item_number, "talking point")]
