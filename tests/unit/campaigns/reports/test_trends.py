"""The way to the threshold, from published counts only: nothing derived reveals a hidden count."""

from datetime import UTC, date, datetime, timedelta

from campaigns.core.suppression import suppress
from campaigns.reports.trends import Pace, more_needed, project, share_of, weekly_trend

K = 5
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_with_49_of_a_50_person_target_one_more_person_is_needed():
    assert more_needed(suppress(49, K), 50).exact == 1


def test_a_reached_target_needs_nobody_more_even_when_supporters_exceed_it():
    assert more_needed(suppress(75, K), 50).exact == 0


def test_a_hidden_count_gives_only_a_range_of_people_still_needed_never_the_number():
    needed = more_needed(suppress(3, K), 50)
    assert needed.exact is None
    assert (needed.at_least, needed.at_most) == (46, 49)  # true for any count from 1 to 4


def test_the_share_of_a_hidden_count_is_only_an_upper_bound():
    assert share_of(suppress(3, K), 1000).percent is None
    assert share_of(suppress(3, K), 1000).under == 0.5
    assert share_of(suppress(49, K), 1000).percent == 4.9


def test_the_trend_is_the_change_since_the_count_a_week_earlier():
    trend = weekly_trend((MONDAY + timedelta(days=7), suppress(30, K)), (MONDAY, suppress(20, K)))
    assert (trend.since, trend.change) == (MONDAY, 10)


def test_the_trend_is_hidden_when_either_count_is_below_k():
    assert weekly_trend((MONDAY + timedelta(days=7), suppress(12, K)),
                        (MONDAY, suppress(3, K))).change is None
    assert weekly_trend((MONDAY + timedelta(days=7), suppress(4, K)),
                        (MONDAY, suppress(0, K))).change is None


def test_the_projection_extends_the_last_weeks_pace_to_the_target():
    # 10 more in a week, 20 still needed: two more weeks.
    projection = project((MONDAY + timedelta(days=7), suppress(30, K)),
                         (MONDAY, suppress(20, K)), 50)
    assert projection.pace == Pace.ON_PACE
    assert projection.when == date(2026, 11, 23)


def test_a_flat_or_falling_count_is_not_at_the_current_pace():
    later = MONDAY + timedelta(days=7)
    assert project((later, suppress(20, K)), (MONDAY, suppress(20, K)), 50).pace == Pace.NOT_AT_PACE
    assert project((later, suppress(18, K)), (MONDAY, suppress(20, K)), 50).pace == Pace.NOT_AT_PACE


def test_a_pace_that_takes_more_than_ten_years_is_not_at_the_current_pace():
    later = MONDAY + timedelta(days=7)
    assert project((later, suppress(21, K)), (MONDAY, suppress(20, K)), 50_000).pace == \
        Pace.NOT_AT_PACE


def test_no_projection_is_made_from_a_hidden_count_or_without_a_week_of_history():
    later = MONDAY + timedelta(days=7)
    assert project((later, suppress(12, K)), (MONDAY, suppress(2, K)), 50).pace == Pace.HIDDEN
    assert project((later, suppress(12, K)), None, 50).pace == Pace.TOO_EARLY
    assert project((later, suppress(60, K)), None, 50).pace == Pace.REACHED
