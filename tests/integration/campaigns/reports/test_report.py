"""`/threshold`: read only from snapshots, suppressed below k, the same between two snapshots."""

import re
from datetime import timedelta

from campaigns.reports.report import read_threshold_reports, without_teams
from tests.support import add_supporters, advance, ask, next_snapshot, people, person, renderer


def create(domain, text="/campaign create ethics --headcount 1000"):
    out, _ = ask(domain, "alice", text)
    assert "Campaign ethics is open" in out


def test_a_headcount_of_1000_at_5_percent_needs_50_people_and_49_supporters_need_1_more(domain, clock):
    create(domain)
    add_supporters(domain, "ethics", people("s", 49))
    next_snapshot(domain, clock)
    out, _ = ask(domain, "s1", "/threshold ethics")
    assert "Target: 5% of the headcount = 50 people." in out
    assert "Supporters: 49 of a headcount of 1,000 (4.9%)." in out
    assert "1 more person is needed." in out


def test_a_reached_target_with_a_hidden_count_says_reached_not_more_needed(domain, clock):
    create(domain, "/campaign create ethics --headcount 40")
    add_supporters(domain, "ethics", ["bob", "carol", "dan"])
    next_snapshot(domain, clock)
    out, _ = ask(domain, "bob", "/threshold ethics")
    assert "Supporters: fewer than 5" in out
    assert "It was reached at the snapshot of" in out and "stays reached" in out
    assert "more person is needed" not in out and "more people are needed" not in out


def test_with_3_supporters_and_k_5_every_view_shows_fewer_than_5_and_never_3(domain, clock):
    create(domain)
    add_supporters(domain, "ethics", ["bob", "carol", "dan"], team="Payments")
    next_snapshot(domain, clock)
    ask(domain, "alice", "/threshold schedule ethics monday 09:00")
    advance(domain, clock, timedelta(days=7))
    with domain.unit() as uow:
        [report] = read_threshold_reports(uow, person("alice"), "ethics")
    views = {
        "chat channel post": renderer("slack").render("threshold/channel.j2",
                                                      r=without_teams(report)),
        "member headline": ask(domain, "bob", "/threshold ethics")[0],
        "member, every campaign": ask(domain, "bob", "/threshold")[0],
        "lead report": ask(domain, "alice", "/threshold ethics")[0],
        "campaign info": ask(domain, "bob", "/campaign info ethics")[0],
        "weekly report in the inbox": ask(domain, "alice", "/campaign inbox")[0],
    }
    for view, text in views.items():
        assert "fewer than 5" in text, view
        assert not re.search(r"(?<![\d.:-])3(?![\d.:%-])", text), f"{view} shows 3:\n{text}"
    assert "Teams: no breakdown can be shown yet" in views["lead report"]
    assert "Payments" not in views["lead report"]
    assert all(point.supporters is None for point in report.lead.history)


def test_signing_between_snapshots_changes_no_report_until_the_next_snapshot(domain, clock):
    create(domain)
    add_supporters(domain, "ethics", people("s", 20), team="Risk")
    next_snapshot(domain, clock)
    lead_before, _ = ask(domain, "alice", "/threshold ethics")
    member_before, _ = ask(domain, "s1", "/threshold ethics")
    with domain.unit() as uow:
        before = read_threshold_reports(uow, person("alice"), "ethics")
    clock.advance(timedelta(minutes=20))
    add_supporters(domain, "ethics", people("late", 7), team="Payments")
    clock.advance(timedelta(minutes=20))
    with domain.unit() as uow:
        assert read_threshold_reports(uow, person("alice"), "ethics") == before
    assert ask(domain, "alice", "/threshold ethics")[0] == lead_before
    assert ask(domain, "s1", "/threshold ethics")[0] == member_before
    assert "Supporters: 20 of" in member_before
    next_snapshot(domain, clock)
    after, _ = ask(domain, "s1", "/threshold ethics")
    assert "Supporters: 27 of" in after


def test_a_lead_sees_trend_projection_milestones_and_a_protected_team_breakdown(domain, clock):
    create(domain, "/campaign create ethics --headcount 1000 --milestone 30")
    add_supporters(domain, "ethics", people("p", 12), team="Payments")
    add_supporters(domain, "ethics", people("r", 8), team="Risk")
    next_snapshot(domain, clock)
    advance(domain, clock, timedelta(days=7))
    add_supporters(domain, "ethics", people("q", 8), team="Payments")
    add_supporters(domain, "ethics", people("x", 2), team="Data")
    add_supporters(domain, "ethics", people("n", 6))
    next_snapshot(domain, clock)
    out, replies = ask(domain, "alice", "/threshold ethics")
    assert "Supporters: 36 of a headcount of 1,000 (3.6%)." in out
    assert "14 more people are needed." in out
    assert "Trend: +16 since" in out
    # 16 a week and 14 to go: within the coming week.
    assert re.search(r"at the current pace the target is reached around 2026-11-1\d", out)
    assert "• 5% (50 people): not reached yet" in out
    assert "• 30% (300 people): not reached yet" in out
    assert "• Payments: 20" in out
    # Data (2) is never named; the next smallest size (6, no team declared) is counted with it.
    assert "Data" not in out and "no team declared" not in out
    assert "• other teams together: 8" in out
    assert "• Risk: 8" in out
    assert replies[0].files and replies[0].files[0].suffix == ".png"
    member_view, member_replies = ask(domain, "p1", "/threshold ethics")
    assert "Payments" not in member_view and "Trend" not in member_view
    assert member_replies[0].files == ()


def test_without_a_name_a_person_gets_every_campaign_they_are_in(domain, clock):
    create(domain)
    ask(domain, "bob", "/campaign create tools --headcount 200")
    ask(domain, "bob", "/campaign join ethics")
    ask(domain, "carol", "/campaign create other")
    next_snapshot(domain, clock)
    out, replies = ask(domain, "bob", "/threshold")
    assert [r.data["r"].headline.campaign for r in replies] == ["ethics", "tools"]
    assert "Trend" in out  # bob leads tools
    assert ask(domain, "zoe", "/threshold")[0].startswith("You are not a member of any campaign")


def test_a_private_campaigns_report_is_refused_to_someone_outside_it(domain, clock):
    create(domain, "/campaign create ethics --headcount 1000 --private")
    next_snapshot(domain, clock)
    out, _ = ask(domain, "mallory", "/threshold ethics")
    assert "no campaign called ethics that you can see" in out and "Supporters" not in out


def test_before_the_first_snapshot_the_report_says_when_counts_come(domain):
    create(domain)
    out, replies = ask(domain, "alice", "/threshold ethics")
    assert "No counts are published yet" in out and "within 1h" in out
    assert replies[0].files == ()
