"""Catching up on years of missed runs costs a few steps per job, not one per missed run."""

from datetime import timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from campaigns.core.schedule import DIGEST, SNAPSHOTS
from tests.support import advance, ask, inbox

TEN_YEARS = timedelta(days=3650)


@pytest.fixture
def trigger_steps(monkeypatch):
    """How many times any trigger is asked for a next fire time."""
    steps = {"count": 0}
    for trigger in (IntervalTrigger, CronTrigger, DateTrigger):
        asked = trigger.get_next_fire_time

        def counted(self, previous, now, asked=asked):
            steps["count"] += 1
            return asked(self, previous, now)

        monkeypatch.setattr(trigger, "get_next_fire_time", counted)
    return steps


def test_ten_years_with_a_weekly_report_run_each_job_once_in_a_few_steps(
        app, clock, trigger_steps):
    ask(app, "maya", "/campaign create ethics --headcount 40")
    ask(app, "maya", "/threshold schedule ethics monday 09:00")
    jobs = len(app.jobs.scheduler.get_jobs())
    trigger_steps["count"] = 0

    runs = advance(app, clock, TEN_YEARS)

    # Every job ran once, standing for the runs it missed: the hourly snapshot alone missed
    # 87,600, which cost as many trigger steps before.
    assert runs == jobs
    assert trigger_steps["count"] <= 2 * jobs
    assert inbox(app, "maya").count("Your weekly threshold report of ethics") == 1
    assert advance(app, clock, timedelta(0)) == 0


def test_after_catching_up_each_job_keeps_its_rhythm(app, clock):
    ask(app, "maya", "/campaign create ethics --headcount 40")
    ask(app, "maya", "/threshold schedule ethics monday 09:00")
    hourly = app.jobs.next_run(SNAPSHOTS)

    advance(app, clock, TEN_YEARS + timedelta(minutes=17))

    now = clock.now()
    [weekly] = [j for j in app.jobs.scheduler.get_jobs() if j.id.startswith("threshold-report")]
    assert weekly.next_run_time.weekday() == 0 and weekly.next_run_time.hour == 9
    assert now < weekly.next_run_time <= now + timedelta(days=7)
    snapshot = app.jobs.next_run(SNAPSHOTS)
    assert now < snapshot <= now + app.rules.snapshot_every
    assert (snapshot - hourly) % app.rules.snapshot_every == timedelta(0)
    digest = app.jobs.next_run(DIGEST)
    assert now < digest <= now + timedelta(days=1) and digest.strftime("%H:%M") == "09:00"


def test_a_job_due_exactly_now_runs_and_is_planned_one_period_on(app, clock):
    first = app.jobs.next_run(SNAPSHOTS)
    advance(app, clock, first - clock.now())

    assert app.jobs.next_run(SNAPSHOTS) == first + app.rules.snapshot_every
