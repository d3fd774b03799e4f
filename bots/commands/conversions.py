"""Option text to typed values, with a readable refusal for each kind of mistake."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from campaigns.core.errors import BadValue
from campaigns.core.integers import LARGEST, typed_number
from settings import DURATION_FORMS, parse_duration


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
    span = duration(value, field)
    if span < timedelta(days=1):
        raise BadValue(field=field, value=value, expected="at least one day, such as 30d")
    return span.days + (1 if span % timedelta(days=1) else 0)


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
    return when
