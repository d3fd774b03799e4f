"""Milestones: announced once, at the snapshot that first crosses them, never on signing."""

import pytest
from sqlmodel import select

from campaigns.core.models import Announcement, Notice
from tests.support import add_supporters, ask, inbox, next_snapshot, people


def _notices(app) -> int:
    with app.unit() as uow:
        return len(uow.session.exec(select(Notice)).all())


def _announcements(app) -> int:
    with app.unit() as uow:
        return len(uow.session.exec(select(Announcement)).all())


@pytest.mark.slow
def test_at_50_of_1000_the_milestone_is_announced_once_and_rerun_snapshots_do_not_repeat_it(
        app, clock, notifier):
    ask(app, "alice", "/campaign create ethics --headcount 1000")
    add_supporters(app, "ethics", people("s", 49))
    next_snapshot(app, clock)
    assert "1 more person is needed." in ask(app, "alice", "/threshold ethics")[0]
    assert _notices(app) == 0
    notifier.pending.clear()

    add_supporters(app, "ethics", ["s49"])
    assert _notices(app) == 0, "never announced on the signature itself"
    assert notifier.pending == []

    next_snapshot(app, clock)
    assert _notices(app) == 1  # the lead's report with the counts
    assert _announcements(app) == 1  # one row for every member, however many
    assert [p.user for p in notifier.pending] == ["alice"]  # a lead, about role work
    lead_news = inbox(app, "alice")
    assert "has reached its 5% milestone: 50 supporters against a target of 50 people" in lead_news
    member_news = inbox(app, "s3")
    assert "has reached 5% of its headcount (50 people)" in member_news
    assert "50 supporters" not in member_news

    notifier.pending.clear()
    for _ in range(3):
        next_snapshot(app, clock)
    assert _notices(app) == 0 and _announcements(app) == 1
    assert notifier.pending == []
    assert inbox(app, "alice").endswith("Nothing is waiting for you.")
    report = ask(app, "alice", "/threshold ethics")[0]
    assert "The target is reached." in report
    assert "• 5% (50 people): reached at the snapshot of" in report


def test_a_milestone_stays_reached_when_supporters_fall_back_and_is_not_announced_again(
        app, clock):
    ask(app, "alice", "/campaign create ethics --headcount 100")
    add_supporters(app, "ethics", people("s", 5))
    next_snapshot(app, clock)
    inbox(app, "alice")
    for name in ("s0", "s1"):
        ask(app, name, "/campaign leave ethics")
    next_snapshot(app, clock)
    add_supporters(app, "ethics", ["s0", "s1"])
    next_snapshot(app, clock)
    assert inbox(app, "alice").endswith("Nothing is waiting for you.")
    assert "5% (5 people): reached" in ask(app, "alice", "/threshold ethics")[0]


def test_each_further_milestone_is_announced_at_its_own_snapshot(app, clock):
    ask(app, "alice", "/campaign create ethics --headcount 40 --milestone 30")
    add_supporters(app, "ethics", people("s", 5))
    next_snapshot(app, clock)
    first = inbox(app, "alice")
    assert "5% milestone" in first and "30% milestone" not in first
    add_supporters(app, "ethics", people("t", 7))
    next_snapshot(app, clock)
    second = inbox(app, "alice")
    assert "30% milestone: 12 supporters against a target of 12 people" in second
    assert "5% milestone" not in second


def test_a_lead_told_of_a_milestone_below_k_sees_fewer_than_k_not_the_count(app, clock):
    ask(app, "alice", "/campaign create ethics --headcount 40")  # 5% of 40 is 2 people
    add_supporters(app, "ethics", people("s", 3))
    next_snapshot(app, clock)
    news = inbox(app, "alice")
    assert "fewer than 5 supporters against a target of 2 people" in news
    assert " 3 " not in news
