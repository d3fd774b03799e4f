"""The lead's report and chart are made once per snapshot and shown again until the next one,
never newer than the snapshot, and never a lead's report to a member."""

from __future__ import annotations

import bots.output.charts as charts
from tests.support import add_supporters, ask, next_snapshot, people


def _counting_draws(monkeypatch) -> list[int]:
    drawn: list[int] = []
    real = charts.draw_supporters

    def draw(*args, **kwargs):
        drawn.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(charts, "draw_supporters", draw)
    return drawn


def test_a_lead_asking_again_within_a_snapshot_period_gets_the_same_report_drawn_once(
        app, clock, monkeypatch):
    ask(app, "alice", "/campaign create ethics --headcount 100")
    add_supporters(app, "ethics", people("s", 6))
    next_snapshot(app, clock)
    drawn = _counting_draws(monkeypatch)

    first, [reply] = ask(app, "alice", "/threshold ethics")
    add_supporters(app, "ethics", people("late", 3))  # signed after the snapshot
    again, [reply_again] = ask(app, "alice", "/threshold ethics")

    assert again == first and "Supporters: 6 of" in first
    assert len(drawn) == 1 and reply_again.files == reply.files

    next_snapshot(app, clock)
    newer, [reply_newer] = ask(app, "alice", "/threshold ethics")
    assert "Supporters: 9 of" in newer and len(drawn) == 2
    assert reply_newer.files != reply.files


def test_a_member_asking_after_a_lead_gets_the_members_headline_not_the_leads_report(app, clock):
    ask(app, "alice", "/campaign create ethics --headcount 100")
    add_supporters(app, "ethics", people("s", 6))
    next_snapshot(app, clock)

    lead, [lead_reply] = ask(app, "alice", "/threshold ethics")
    member, [member_reply] = ask(app, "s0", "/threshold ethics")

    assert lead_reply.files and not member_reply.files
    assert member != lead and "chart" not in member
    assert ask(app, "alice", "/threshold ethics")[0] == lead


def test_a_milestone_added_between_snapshots_shows_at_once(app, clock):
    ask(app, "alice", "/campaign create ethics --headcount 100")
    add_supporters(app, "ethics", people("s", 6))
    next_snapshot(app, clock)
    before, _ = ask(app, "alice", "/threshold ethics")

    ask(app, "alice", "/campaign milestone ethics 30")
    after, _ = ask(app, "alice", "/threshold ethics")

    assert "30%" not in before and "30%" in after
