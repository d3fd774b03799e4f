"""Team breakdowns: no hidden cell can be worked out from the published total and the rest."""


from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns.reports.breakdowns import protected_breakdown

K = 5


def possible_values(shown, total, cell):
    """Every value `cell` could have, to a reader who knows the total, the visible cells,
    that every listed team has at least one supporter and that hidden cells are not shown."""
    hidden = [name for name, value in shown.items() if value.suppressed]
    rest = total - sum(value.value for value in shown.values() if not value.suppressed)
    others = [name for name in hidden if name != cell]
    found = set()
    for guess in range(1, rest + 1):
        remaining = rest - guess
        # The other hidden cells each hold at least one supporter.
        if remaining == 0 if not others else remaining >= len(others):
            found.add(guess)
    return found


def test_a_small_cell_and_all_the_others_with_the_total_do_not_reveal_it():
    cells = {"payments": 20, "risk": 3, "platform": 10}
    shown = protected_breakdown(cells, K)
    total = sum(cells.values())
    assert shown["risk"].suppressed
    visible = [name for name, value in shown.items() if not value.suppressed]
    assert len(visible) == len(cells) - 2, "all but one visible would give the last one away"
    for name, value in shown.items():
        if value.suppressed:
            assert len(possible_values(shown, total, name)) > 1


def test_hidden_cells_that_add_up_to_a_small_group_take_another_cell_with_them():
    # 1 + 1 hidden would make "2 between these two teams" a small cell, and each exactly 1.
    shown = protected_breakdown({"a": 1, "b": 1, "c": 9, "d": 30}, K)
    assert {name for name, value in shown.items() if value.suppressed} == {"a", "b", "c"}


def test_no_breakdown_is_shown_while_the_total_itself_is_below_k():
    assert protected_breakdown({"a": 1, "b": 1, "c": 1, "d": 1}, K) is None
    assert protected_breakdown({"a": 3}, K) is None


def test_many_teams_of_one_are_withheld_since_the_total_would_reveal_each():
    assert protected_breakdown({f"t{i}": 1 for i in range(7)}, K) is None


def test_large_cells_are_all_shown_when_nothing_is_small():
    shown = protected_breakdown({"a": 12, "b": 7, None: 5}, K)
    assert {name: value.value for name, value in shown.items()} == {"a": 12, "b": 7, None: 5}


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 14), min_size=1))
def test_whatever_the_cells_no_hidden_cell_has_only_one_possible_value(cells):
    shown = protected_breakdown(cells, K)
    total = sum(cells.values())
    if shown is None:
        return
    assert total >= K
    for name, value in shown.items():
        if value.suppressed:
            assert len(possible_values(shown, total, name)) > 1
        else:
            assert value.value == cells[name] and (value.value >= K or value.value == 0)
    hidden_sum = sum(cells[n] for n, v in shown.items() if v.suppressed)
    assert hidden_sum == 0 or hidden_sum >= K
