"""Weekly report times: a day and HH:MM in UTC, next occurrence strictly after now."""

from datetime import UTC, datetime

import pytest

from campaigns.core.errors import BadValue
from campaigns.reports.schedules import minute_of_day, next_weekly, weekday_number

MONDAY_9 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("word", "number"), [("monday", 0), ("Mon", 0), ("fri", 4),
                                              ("SUNDAY", 6), ("th", 3), ("tu", 1)])
def test_days_are_read_by_name_or_a_clear_beginning(word, number):
    assert weekday_number(word) == number


@pytest.mark.parametrize("word", ["t", "s", "someday", "", "8"])
def test_an_unclear_day_is_refused(word):
    with pytest.raises(BadValue):
        weekday_number(word)


@pytest.mark.parametrize(("text", "minutes"), [("09:00", 540), ("9:30", 570), ("23:59", 1439),
                                               ("00:00", 0)])
def test_times_are_hours_and_minutes(text, minutes):
    assert minute_of_day(text) == minutes


@pytest.mark.parametrize("text", ["24:00", "9", "9:60", "noon", None, "09:00:00"])
def test_an_impossible_time_is_refused(text):
    with pytest.raises(BadValue):
        minute_of_day(text)


def test_the_next_report_is_later_this_week_or_a_week_on_never_now():
    assert next_weekly(MONDAY_9, 4, 16 * 60) == datetime(2026, 11, 6, 16, 0, tzinfo=UTC)
    assert next_weekly(MONDAY_9, 0, 10 * 60) == datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    assert next_weekly(MONDAY_9, 0, 9 * 60) == datetime(2026, 11, 9, 9, 0, tzinfo=UTC)
    assert next_weekly(MONDAY_9, 0, 8 * 60) == datetime(2026, 11, 9, 8, 0, tzinfo=UTC)
