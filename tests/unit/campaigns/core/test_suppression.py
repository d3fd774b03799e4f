"""Published counts never point at a small group of people (docs/PRIVACY.md)."""

import pytest

from campaigns.core.suppression import suppress, threshold_target


@pytest.mark.parametrize(("count", "shown"), [(0, "0"), (1, "fewer than 5"), (3, "fewer than 5"),
                                              (4, "fewer than 5"), (5, "5"), (1234, "1,234")])
def test_counts_from_one_to_k_minus_one_are_shown_only_as_fewer_than_k(count, shown):
    assert str(suppress(count, 5)) == shown


@pytest.mark.parametrize(("headcount", "percent", "target"),
                         [(1000, 5, 50), (40, 5, 2), (41, 5, 3), (500_000, 5, 25_000), (0, 5, 0),
                          (100, 12.5, 13)])
def test_the_target_is_the_percentage_of_the_headcount_rounded_up(headcount, percent, target):
    assert threshold_target(headcount, percent) == target
