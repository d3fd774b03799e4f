"""Milestones (R5, R13): announced once, at the snapshot that first crosses them, never on signing."""

from sqlmodel import select

from campaigns.core.models import Notice
from tests.support import add_supporters, ask, inbox, next_snapshot, people


def _notices(domain) -> int:
    with domain.unit() as uow:
        return len(uow.session.exec(select(Notice)).all())


def test_at_50_of_1000_the_milestone_is_announced_once_and_rerun_snapshots_do_not_repeat_it(
        domain, clock, notifier):
    ask(domain, "alice", "/campaign create ethics --headcount 1000")
    add_supporters(domain, "ethics", people("s", 49))
    next_snapshot(domain, clock)
    assert "1 more person is needed." in ask(domain, "alice", "/threshold ethics")[0]
    assert _notices(domain) == 0
    notifier.pending.clear()

    add_supporters(domain, "ethics", ["s49"])
    assert _notices(domain) == 0, "never announced on the signature itself"
    assert notifier.pending == []

    next_snapshot(domain, clock)
    assert _notices(domain) == 51  # the lead and the 50 supporters, one each
    assert len(notifier.pending) == 51
    lead_news = inbox(domain, "alice")
    assert "has reached its 5% milestone: 50 supporters against a target of 50 people" in lead_news
    member_news = inbox(domain, "s3")
    assert "has reached 5% of its headcount (50 people)" in member_news
    assert "50 supporters" not in member_news

    notifier.pending.clear()
    for _ in range(3):
        next_snapshot(domain, clock)
    assert _notices(domain) == 49  # only the unread ones of members who did not look yet
    assert notifier.pending == []
    assert inbox(domain, "alice").endswith("Nothing is waiting for you.")
    report = ask(domain, "alice", "/threshold ethics")[0]
    assert "The target is reached." in report
    assert "• 5% (50 people): reached at the snapshot of" in report


def test_a_milestone_stays_reached_when_supporters_fall_back_and_is_not_announced_again(
        domain, clock):
    ask(domain, "alice", "/campaign create ethics --headcount 100")
    add_supporters(domain, "ethics", people("s", 5))
    next_snapshot(domain, clock)
    inbox(domain, "alice")
    for name in ("s0", "s1"):
        ask(domain, name, "/campaign leave ethics")
    next_snapshot(domain, clock)
    add_supporters(domain, "ethics", ["s0", "s1"])
    next_snapshot(domain, clock)
    assert inbox(domain, "alice").endswith("Nothing is waiting for you.")
    assert "5% (5 people): reached" in ask(domain, "alice", "/threshold ethics")[0]


def test_each_further_milestone_is_announced_at_its_own_snapshot(domain, clock):
    ask(domain, "alice", "/campaign create ethics --headcount 40 --milestone 30")
    add_supporters(domain, "ethics", people("s", 5))
    next_snapshot(domain, clock)
    first = inbox(domain, "alice")
    assert "5% milestone" in first and "30% milestone" not in first
    add_supporters(domain, "ethics", people("t", 7))
    next_snapshot(domain, clock)
    second = inbox(domain, "alice")
    assert "30% milestone: 12 supporters against a target of 12 people" in second
    assert "5% milestone" not in second


def test_a_lead_told_of_a_milestone_below_k_sees_fewer_than_k_not_the_count(domain, clock):
    ask(domain, "alice", "/campaign create ethics --headcount 40")  # 5% of 40 is 2 people
    add_supporters(domain, "ethics", people("s", 3))
    next_snapshot(domain, clock)
    news = inbox(domain, "alice")
    assert "fewer than 5 supporters against a target of 2 people" in news
    assert " 3 " not in news
