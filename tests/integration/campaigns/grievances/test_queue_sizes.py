"""The queue's size by tag and age: for the campaign's liaisons, counts only."""

from datetime import timedelta

import pytest

from campaigns.core.errors import NotAllowed
from campaigns.grievances.sizes import queue_sizes
from tests.support import advance, next_snapshot, person, run


def test_open_items_are_counted_by_tag_and_age_and_closed_ones_drop_out(app, clock, console):
    console.run("""
        maya: /campaign create ethics --headcount 40
        maya: /campaign liaison add ethics @jon
        ana: /campaign join ethics
        sam: /campaign join ethics
        lee: /campaign join ethics
        ana: /grievance ethics --solve --text "Risk flagged two merchants."
        sam: /grievance ethics --vent --text "It is exhausting."
    """)
    advance(app, clock, timedelta(days=5))
    console.run("""
        lee: /grievance ethics --vent --text "Nobody answers."
        jon: /liaison close 2
    """)
    before = run(app, queue_sizes, person("jon"), "ethics")
    assert (before.total, before.vent, before.solve) == (1, 0, 1)  # lee's waits for a snapshot
    next_snapshot(app, clock)
    sizes = run(app, queue_sizes, person("jon"), "ethics")
    assert (sizes.total, sizes.vent, sizes.solve) == (2, 1, 1)
    by_age = {(row.low, row.high): (row.vent, row.solve) for row in sizes.rows}
    assert by_age[(0, 0)] == (1, 0) and by_age[(4, 7)] == (0, 1)


def test_nothing_is_counted_before_the_first_snapshot(app, console):
    console.run("""
        maya: /campaign create ethics --headcount 40
        maya: /campaign liaison add ethics @jon
        ana: /campaign join ethics
        ana: /grievance ethics --solve --text "Risk flagged two merchants."
    """)
    assert run(app, queue_sizes, person("jon"), "ethics").total == 0


def test_only_a_liaison_may_see_the_queues_size(app, console):
    console.run("maya: /campaign create ethics --headcount 40")
    with pytest.raises(NotAllowed):
        run(app, queue_sizes, person("maya"), "ethics")
