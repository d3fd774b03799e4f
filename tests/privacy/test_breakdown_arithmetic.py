"""Attack: recover a hidden team count from a published breakdown by arithmetic.

The attacker is a lead who reads team breakdowns. They know the published
total (itself "fewer than k" below k), the teams shown by name, the rule
(it is public), how many teams have supporters (we grant them that, though
hidden teams are never named), and, across two snapshots, that one person
signed or withdrew in between. They solve for every table that would
publish exactly what they see. The breakdown leaks if some hidden cell has
a single possible value that the total alone would not already give away.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

import pytest

from campaigns.reports.breakdowns import protected_breakdown
from tests.support import add_supporters, people

MAX_CELLS = 6
MAX_TOTAL = 40
KS = range(2, 7)
FEWER = -1


def _tables(cells: int, total: int, largest: int):
    """Every multiset of `cells` positive counts adding up to `total`, largest first."""
    if cells == 0:
        if total == 0:
            yield ()
        return
    for first in range(min(largest, total - cells + 1), 0, -1):
        for rest in _tables(cells - 1, total - first, first):
            yield (first, *rest)


def every_table():
    for cells in range(1, MAX_CELLS + 1):
        for total in range(cells, MAX_TOTAL + 1):
            yield from _tables(cells, total, total)


@cache
def _labels(n: int) -> tuple[str, ...]:
    return tuple(f"team-{i}" for i in range(n))


def hidden_positions(table: tuple[int, ...], k: int) -> frozenset[int] | None:
    """Positions not shown by name; None when no breakdown is published at all."""
    labels = _labels(len(table))
    result = protected_breakdown(dict(zip(labels, table, strict=True)), k)
    if result is None:
        return None
    if isinstance(result, dict):  # the rule before pooling: hidden teams listed as "not shown"
        return frozenset(i for i, name in enumerate(labels)
                         if name not in result or result[name].suppressed)
    return frozenset(i for i, name in enumerate(labels) if name not in result.shown)


def published(table, hidden, k):
    total = sum(table)
    total_shown = total if total >= k else FEWER
    if hidden is None:
        return (len(table), total_shown, None)
    return (len(table), total_shown,
            tuple(sorted(v for i, v in enumerate(table) if i not in hidden)))


def forced_cells(k: int) -> list[tuple[tuple[int, ...], int]]:
    """Every (table, hidden value) the attacker pins down beyond what the total gives away."""
    seen: dict[tuple, set[int]] = defaultdict(set)
    baseline: dict[tuple, set[int]] = defaultdict(set)
    rows = []
    for table in every_table():
        hidden = hidden_positions(table, k)
        key = published(table, hidden, k)
        values = set(table) if hidden is None else {table[i] for i in hidden}
        # Exchanging two hidden teams' counts publishes the same thing (checked below),
        # so any hidden team may hold any value of any table with the same publication.
        seen[key] |= values
        baseline[key[:2]] |= set(table)
        rows.append((table, key, values))
    forced = []
    for table, key, values in rows:
        if values and len(seen[key]) == 1 and len(baseline[key[:2]]) > 1:
            forced.append((table, next(iter(values))))
    return forced


@pytest.mark.parametrize("k", KS)
def test_no_hidden_team_count_can_be_worked_out_from_one_breakdown(k):
    forced = forced_cells(k)
    assert forced == [], f"{len(forced)} forced cells, e.g. {forced[:3]}"


def _labelled(cells, k):
    result = protected_breakdown(cells, k)
    if result is None:
        return None
    if isinstance(result, dict):
        return {name: v.value for name, v in result.items() if not v.suppressed}
    return dict(result.shown)


def test_the_teams_five_four_and_four_do_not_give_away_the_two_fours():
    k = 5
    seen = _labelled({"alpha": 5, "beta": 4, "gamma": 4}, k)
    alternatives = [
        (beta, 8 - beta) for beta in range(1, 8)
        if _labelled({"alpha": 5, "beta": beta, "gamma": 8 - beta}, k) == seen
    ]
    assert alternatives != [(4, 4)], "beta and gamma must then be 4 and 4"
    assert len({beta for beta, _ in alternatives}) > 1


def test_the_rule_never_looks_at_team_names():
    # Exchanging two teams' counts exchanges their places in the breakdown, nothing else.
    for table in every_table():
        if len(table) > 4 or sum(table) > 16:
            continue
        for k in KS:
            hidden = hidden_positions(table, k)
            flipped = hidden_positions(table[::-1], k)
            n = len(table)
            assert (hidden is None) == (flipped is None)
            if hidden is not None:
                assert flipped == frozenset(n - 1 - i for i in hidden), (table, k)


def _changes(table):
    """Every table one person away: one more or one fewer in a team, or a new team of one."""
    n = len(table)
    for i in range(n):
        yield i, table[:i] + (table[i] + 1,) + table[i + 1:]
        yield i, table[:i] + (table[i] - 1,) + table[i + 1:]
    if n < MAX_CELLS:
        yield n, (*table, 1)


def _hidden_with_zeros(table, k):
    positive = {i for i, v in enumerate(table) if v > 0}
    labels = sorted(positive)
    hidden = hidden_positions(tuple(table[i] for i in labels), k)
    if hidden is None:
        return frozenset(range(len(table)))
    return frozenset(range(len(table))) - {labels[i] for i in range(len(labels)) if i not in hidden}


@pytest.mark.parametrize("k", KS)
def test_one_person_more_or_less_between_two_snapshots_is_never_pinned_on_a_hidden_team(k):
    pinned = []
    for before in every_table():
        if sum(before) >= MAX_TOTAL:
            continue
        for where, after in _changes(before):
            width = max(len(before), len(after))
            old = before + (0,) * (width - len(before))
            hidden_before = _hidden_with_zeros(old, k)
            hidden_after = _hidden_with_zeros(after, k)
            both = hidden_before & hidden_after
            # Another team hidden in both snapshots could have had the change instead:
            # exchanging the two teams' counts in both publishes the same two breakdowns.
            if where in both and len(both) < 2 and width > 1:
                pinned.append((before, after))
    assert pinned == [], f"{len(pinned)} changes pinned, e.g. {pinned[:3]}"


def test_a_lead_reading_teams_of_five_four_and_four_in_the_console_cannot_name_a_count(
        app, console):
    console.run("alice: /campaign create ethics --headcount 1000")
    teams = {"alpha": 5, "beta": 4, "gamma": 4}
    for team, count in teams.items():
        add_supporters(app, "ethics", people(team, count), team=team)
    out = console.run(":advance 1h\nalice: /threshold ethics")
    total = int(re.search(r"Supporters: (\d+) of", out).group(1))
    section = out.split("Teams", 1)[1]
    named = {name: int(value) for name, value in re.findall(r"• (\w+): (\d+)", section)
             if name in teams}
    # The attacker knows the three teams and the rule, and tries every split of the total.
    possible = defaultdict(set)
    for a in range(1, total):
        for b in range(1, total - a):
            guess = {"alpha": a, "beta": b, "gamma": total - a - b}
            if (_labelled(guess, 5) or {}) == named:
                for name, value in guess.items():
                    possible[name].add(value)
    hidden = [name for name in teams if name not in named]
    assert hidden, "some team is always counted with others"
    for name in hidden:
        assert len(possible[name]) > 1, f"{name} can only be {possible[name]}"
