"""`/threshold schedule NAME DAY HH:MM`: a weekly report of counts to a lead, and a chosen channel."""

from datetime import timedelta

import pytest
from sqlmodel import select

from bots.output.i18n import Locality
from bots.output.rendering import Renderer
from bots.runtime.bootstrap import build
from campaigns.reports.models import ReportSchedule
from campaigns.reports.report import ThresholdReport
from campaigns.reports.schedules import ReportChannels
from tests.support import add_supporters, advance, ask, inbox, next_snapshot, people, person

WEEK = timedelta(days=7)


class ChannelNotifier:
    """A chat adapter's notifier: content-free pings, and channel posts of scheduled reports."""

    def __init__(self):
        self.pending, self.posts = [], []

    def ping(self, who):
        self.pending.append(who)

    def post_to_channel(self, who, channel, template, data, *, language=None, zone=None):
        self.posts.append((who, channel,
                           Renderer("slack").render(template, Locality(language, zone), **data),
                           data))


@pytest.fixture
def chat_app(settings, clock):
    notifier = ChannelNotifier()
    built = build(settings, clock=clock, notifier=notifier, realtime=False, logging_setup=False)
    yield built, notifier
    built.close()


def _weekly_reports(text: str) -> int:
    return text.count("Your weekly threshold report of ethics")


def test_a_lead_gets_the_report_in_the_inbox_every_week_with_a_ping_that_says_nothing(
        app, clock, notifier):
    ask(app, "alice", "/campaign create ethics --headcount 1000")
    add_supporters(app, "ethics", people("s", 12), team="Payments")
    add_supporters(app, "ethics", people("r", 3), team="Risk")
    add_supporters(app, "ethics", people("d", 2), team="Data")
    out, _ = ask(app, "alice", "/threshold schedule ethics monday 10:30")
    assert "Every Monday at 10:30 UTC" in out and "2026-11-02 10:30 UTC" in out
    notifier.pending.clear()
    advance(app, clock, timedelta(hours=2))  # a snapshot at 10:00, the report at 10:30
    assert notifier.pending == [person("alice")]
    first = inbox(app, "alice")
    assert _weekly_reports(first) == 1
    assert "Supporters: 17 of a headcount of 1,000 (1.7%)." in first
    assert "• Payments: 12" in first and "• other teams together: 5" in first
    advance(app, clock, WEEK)
    assert _weekly_reports(inbox(app, "alice")) == 1
    advance(app, clock, timedelta(days=3))
    assert _weekly_reports(inbox(app, "alice")) == 0


def test_the_channel_a_lead_chose_gets_counts_without_team_names_and_is_stored_sealed(
        chat_app, clock):
    app, notifier = chat_app
    ask(app, "alice", "/campaign create ethics --headcount 1000")
    add_supporters(app, "ethics", people("s", 30), team="Payments")
    next_snapshot(app, clock)
    out, _ = ask(app, "alice", "/threshold schedule ethics fri 16:00 --here", channel="C0CHANNEL")
    assert "also be posted in this channel" in out
    with app.unit() as uow:
        [row] = uow.session.exec(select(ReportSchedule)).all()
    assert row.channel_sealed and b"C0CHANNEL" not in bytes(row.channel_sealed)
    advance(app, clock, WEEK)
    [(who, channel, text, data)] = notifier.posts
    assert who == person("alice") and channel == "C0CHANNEL"
    assert isinstance(notifier, ReportChannels) and isinstance(data["r"], ThresholdReport)
    assert "weekly threshold report" in text and "Supporters: 30 of a headcount" in text
    assert "Payments" not in text and data["r"].lead.teams is None
    assert "alice" not in text


def test_without_here_or_outside_a_channel_nothing_is_posted(chat_app, clock):
    app, notifier = chat_app
    ask(app, "alice", "/campaign create ethics --headcount 1000")
    out, _ = ask(app, "alice", "/threshold schedule ethics fri 16:00 --here")
    assert "There is no chat channel here" in out
    ask(app, "alice", "/threshold schedule ethics fri 16:00", channel="C0CHANNEL")
    advance(app, clock, WEEK)
    assert notifier.posts == []
    assert _weekly_reports(inbox(app, "alice")) == 1


def test_only_a_lead_can_schedule_and_bad_days_or_times_store_nothing(app, clock):
    ask(app, "alice", "/campaign create ethics --headcount 1000")
    ask(app, "bob", "/campaign join ethics")
    refused, _ = ask(app, "bob", "/threshold schedule ethics monday 09:00")
    assert "Only leads of ethics can use /threshold schedule" in refused
    assert "not something Concerted can use" in ask(app, "alice",
                                                    "/threshold schedule ethics someday 09:00")[0]
    assert "HH:MM" in ask(app, "alice", "/threshold schedule ethics monday 9am")[0]
    assert "HH:MM" in ask(app, "alice", "/threshold schedule ethics monday")[0]
    with app.unit() as uow:
        assert uow.session.exec(select(ReportSchedule)).all() == []
    assert [j.id for j in app.jobs.scheduler.get_jobs() if j.id.startswith("threshold")] == []


def test_a_new_time_replaces_the_old_one_and_off_stops_it(app, clock):
    ask(app, "alice", "/campaign create ethics --headcount 1000")
    ask(app, "alice", "/threshold schedule ethics monday 10:30")
    ask(app, "alice", "/threshold schedule ethics wednesday 08:00")
    jobs = [j for j in app.jobs.scheduler.get_jobs() if j.id.startswith("threshold-report:")]
    assert len(jobs) == 1 and jobs[0].next_run_time.weekday() == 2
    advance(app, clock, timedelta(days=1))
    assert _weekly_reports(inbox(app, "alice")) == 0
    stopped, _ = ask(app, "alice", "/threshold schedule ethics off")
    assert "is stopped" in stopped
    advance(app, clock, WEEK * 2)
    assert _weekly_reports(inbox(app, "alice")) == 0
    again, _ = ask(app, "alice", "/threshold schedule ethics off")
    assert "no weekly threshold report of ethics to stop" in again


def test_a_lead_who_leaves_gets_no_more_reports_and_the_job_ends(app, clock):
    ask(app, "alice", "/campaign create ethics --headcount 1000")
    ask(app, "alice", "/campaign lead add ethics @bob")
    ask(app, "bob", "/threshold schedule ethics monday 10:30")
    ask(app, "bob", "/campaign leave ethics")
    advance(app, clock, WEEK)
    assert [j.id for j in app.jobs.scheduler.get_jobs() if j.id.startswith("threshold")] == []
    ask(app, "bob", "/campaign join ethics")
    assert _weekly_reports(inbox(app, "bob")) == 0


def test_an_archived_campaigns_weekly_report_ends_with_it(app, clock):
    ask(app, "alice", "/campaign create ethics --headcount 1000")
    ask(app, "alice", "/threshold schedule ethics monday 10:30")
    ask(app, "alice", "/campaign archive ethics --confirm")
    advance(app, clock, WEEK)
    with app.unit() as uow:
        assert uow.session.exec(select(ReportSchedule)).all() == []
    assert [j.id for j in app.jobs.scheduler.get_jobs() if j.id.startswith("threshold")] == []


def test_a_milestone_goes_to_the_chosen_channel_instead_of_every_inbox_pinging_no_member(
        chat_app, clock):
    from campaigns.core.models import Announcement

    app, notifier = chat_app
    ask(app, "alice", "/campaign create ethics --headcount 100")
    ask(app, "alice", "/threshold schedule ethics fri 16:00 --here", channel="C0CHANNEL")
    add_supporters(app, "ethics", people("s", 5))
    notifier.pending.clear()
    next_snapshot(app, clock)
    [(who, channel, text, _data)] = notifier.posts
    assert channel == "C0CHANNEL" and "has reached 5% of its headcount (5 people)" in text
    assert "alice" not in text and "s1" not in text
    assert notifier.pending == [person("alice")], "only the lead's report, role work"
    with app.unit() as uow:
        assert uow.session.exec(select(Announcement)).all() == []
    assert "has reached 5%" not in inbox(app, "s1")
