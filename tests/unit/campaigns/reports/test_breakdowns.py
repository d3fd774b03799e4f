"""Team breakdowns: small teams are only ever counted together, in a group of two sizes or more."""

from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns.reports.breakdowns import protected_breakdown

K = 5


def test_a_small_team_is_counted_with_the_next_smallest_and_neither_is_named():
    shown = protected_breakdown({"payments": 20, "risk": 3, "platform": 10}, K)
    assert shown.shown == {"payments": 20}
    assert shown.others == 13


def test_small_teams_of_one_size_take_the_next_size_with_them():
    # 4 + 4 alone would be "two teams of four": the smallest shown size joins them.
    shown = protected_breakdown({"a": 4, "b": 4, "c": 9, "d": 30}, K)
    assert shown.shown == {"d": 30}
    assert shown.others == 17


def test_no_breakdown_is_shown_while_the_total_itself_is_below_k():
    assert protected_breakdown({"a": 1, "b": 1, "c": 1, "d": 1}, K) is None
    assert protected_breakdown({"a": 3}, K) is None


def test_many_teams_of_one_are_withheld_since_each_would_be_one():
    assert protected_breakdown({f"t{i}": 1 for i in range(7)}, K) is None


def test_even_when_every_team_is_large_the_two_smallest_are_counted_together():
    shown = protected_breakdown({"a": 12, "b": 7, None: 5}, K)
    assert shown.shown == {"a": 12}
    assert shown.others == 12


def test_teams_of_equal_size_are_shown_or_hidden_together_with_no_tie_break():
    shown = protected_breakdown({"a": 9, "b": 9, "c": 3, "d": 6}, K)
    assert set(shown.shown) in ({"a", "b"}, set())


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 14), min_size=1))
def test_whatever_the_cells_the_unnamed_group_holds_two_sizes_and_at_least_k(cells):
    shown = protected_breakdown(cells, K)
    total = sum(cells.values())
    if shown is None:
        return
    assert total >= K and shown.shown
    pooled = [v for name, v in cells.items() if v > 0 and name not in shown.shown]
    assert len(pooled) >= 2 and len(set(pooled)) >= 2 and sum(pooled) == shown.others >= K
    assert all(v >= K and v == cells[name] for name, v in shown.shown.items())
