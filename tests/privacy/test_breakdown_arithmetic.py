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


@cache
def every_table() -> tuple[tuple[int, ...], ...]:
    return tuple(table for cells in range(1, MAX_CELLS + 1)
                 for total in range(cells, MAX_TOTAL + 1)
                 for table in _tables(cells, total, total))


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


WITHHELD = float("inf")


@cache
def cuts(k: int) -> dict[tuple[int, ...], float]:
    """For every table, the smallest count shown by name (WITHHELD when none is shown).

    A team is hidden exactly when its count is below the cut: that the rule
    is such a cut, the same for equal counts whatever their names, is checked
    here for every table, and is what lets the searches below work on counts.
    """
    found = {}
    for table in every_table():
        hidden = hidden_positions(table, k)
        shown = [] if hidden is None else [v for i, v in enumerate(table) if i not in hidden]
        cut = min(shown) if shown else WITHHELD
        assert hidden is None or hidden == {i for i, v in enumerate(table) if v < cut}, (
            f"{table} (k={k}): the hidden teams are not simply the smaller ones")
        found[table] = cut
    return found


def forced_cells(k: int) -> list[tuple[tuple[int, ...], int]]:
    """Every (table, hidden value) the attacker pins down beyond what the total gives away."""
    seen: dict[tuple, set[int]] = defaultdict(set)
    baseline: dict[tuple, set[int]] = defaultdict(set)
    rows = []
    for table, cut in cuts(k).items():
        total = sum(table)
        head = (len(table), total if total >= k else FEWER)
        key = (*head, tuple(v for v in table if v >= cut))
        hidden = {v for v in table if v < cut}
        # Exchanging two hidden teams' counts publishes the same thing (the cut sees counts,
        # not names), so a hidden team may hold any count hidden under the same publication.
        seen[key] |= hidden
        baseline[head] |= set(table)
        rows.append((table, key, head, hidden))
    return [(table, next(iter(hidden))) for table, key, head, hidden in rows
            if hidden and len(seen[key]) == 1 and len(baseline[head]) > 1]


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


def _cut(table: tuple[int, ...], k: int) -> float:
    present = tuple(sorted((v for v in table if v > 0), reverse=True))
    return cuts(k)[present] if present else WITHHELD


@pytest.mark.parametrize("k", KS)
def test_one_person_more_or_less_between_two_snapshots_is_never_pinned_on_a_hidden_team(k):
    pinned = []
    for before, cut in cuts(k).items():
        if sum(before) >= MAX_TOTAL:
            continue
        # Every team that has supporters in either snapshot is known to the attacker, so a
        # new team of one is a seventh label at most; teams of equal counts are alike.
        labels = before + ((0,) if len(before) < MAX_CELLS else ())
        for where in {labels.index(v) for v in set(labels)}:
            if labels[where] >= cut:
                continue  # shown before: not a hidden team
            for step in (1, -1):
                after = labels[:where] + (labels[where] + step,) + labels[where + 1:]
                if after[where] < 0 or (step == -1 and labels[where] == 0):
                    continue
                cut_after = _cut(after, k)
                if after[where] >= cut_after:
                    continue
                # Another team hidden in both snapshots could have had the change instead:
                # exchanging the two teams' counts in both publishes the same two breakdowns.
                known = [i for i in range(len(labels)) if labels[i] or after[i]]
                others = [i for i in known if i != where
                          and labels[i] < cut and after[i] < cut_after]
                if not others and len(known) > 1:
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
