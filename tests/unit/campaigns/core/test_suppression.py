"""Published counts never point at a small group of people (DESIGN §4)."""

import pytest

from campaigns.core.suppression import suppress, suppress_breakdown, threshold_target


@pytest.mark.parametrize(("count", "shown"), [(0, "0"), (1, "fewer than 5"), (3, "fewer than 5"),
                                              (4, "fewer than 5"), (5, "5"), (1234, "1,234")])
def test_counts_from_one_to_k_minus_one_are_shown_only_as_fewer_than_k(count, shown):
    assert str(suppress(count, 5)) == shown


def test_a_single_small_team_cannot_be_worked_out_from_the_total_and_the_others():
    cells = {"payments": 12, "risk": 3, "platform": 9, "none": 6}
    shown = suppress_breakdown(cells, 5)
    hidden = {name for name, value in shown.items() if value.suppressed}
    assert "risk" in hidden
    assert len(hidden) >= 2, "with one hidden cell, total minus the rest would reveal it"
    assert hidden == {"risk", "none"}  # the smallest other non-zero cell is hidden with it


def test_all_but_one_cell_and_the_total_never_reveal_a_suppressed_cell():
    cells = {"a": 20, "b": 2, "c": 7}
    shown = suppress_breakdown(cells, 5)
    total = sum(cells.values())
    for name, value in shown.items():
        if value.suppressed:
            known = sum(v.value for n, v in shown.items() if n != name and not v.suppressed)
            unknown_others = [n for n, v in shown.items() if n != name and v.suppressed]
            assert unknown_others, f"{name} = {total - known} could be computed"


def test_zero_cells_are_shown_and_large_cells_stay_visible_when_nothing_is_small():
    shown = suppress_breakdown({"a": 0, "b": 10, "c": 6}, 5)
    assert [str(v) for v in shown.values()] == ["0", "10", "6"]


@pytest.mark.parametrize(("headcount", "percent", "target"),
                         [(1000, 5, 50), (40, 5, 2), (41, 5, 3), (500_000, 5, 25_000), (0, 5, 0),
                          (100, 12.5, 13)])
def test_the_target_is_the_percentage_of_the_headcount_rounded_up(headcount, percent, target):
    assert threshold_target(headcount, percent) == target
