"""Weekly threshold reports come at the campaign's local time, summer time included.

Brazil kept summer time until 2019: in 2018 São Paulo moved from UTC−3 to UTC−2 on
4 November, so a report set for Monday 09:00 there came at 12:00 UTC on 29 October and at
11:00 UTC from 5 November on. The zone database still knows it, so a 2018 date tests it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bots.runtime.bootstrap import build
from campaigns.core.clock import ManualClock
from campaigns.reports.schedules import next_weekly
from tests.support import ask, inbox

ZONE = "America/Sao_Paulo"
BEFORE = datetime(2018, 10, 22, 15, 0, tzinfo=UTC)  # a Monday afternoon, winter time
NINE_LOCAL = [datetime(2018, 10, 29, 12, 0, tzinfo=UTC), datetime(2018, 11, 5, 11, 0, tzinfo=UTC),
              datetime(2018, 11, 12, 11, 0, tzinfo=UTC)]


def test_the_next_monday_nine_oclock_is_local_on_each_side_of_the_change():
    assert next_weekly(BEFORE, 0, 9 * 60, ZONE) == NINE_LOCAL[0]
    assert next_weekly(NINE_LOCAL[0], 0, 9 * 60, ZONE) == NINE_LOCAL[1]
    # Without a zone the old rule holds: UTC.
    assert next_weekly(BEFORE, 0, 9 * 60) == datetime(2018, 10, 29, 9, 0, tzinfo=UTC)


def test_a_time_summer_time_skips_comes_an_hour_later():
    # 4 November 2018 had no 00:30 in São Paulo: clocks went from 00:00 to 01:00.
    sunday = next_weekly(datetime(2018, 11, 1, tzinfo=UTC), 6, 30, ZONE)
    assert sunday == datetime(2018, 11, 4, 3, 30, tzinfo=UTC)  # 01:30 summer time


@pytest.fixture(params=["scheduler", "planned"])
def jobs_app(request, settings, notifier, domain):
    """The real APScheduler of a built app (on a 2018 clock), or the tests' in-memory plans."""
    clock = ManualClock(BEFORE, frozen=True)
    if request.param == "planned":
        domain.clock = clock
        yield domain, clock
        return
    app = build(settings, clock=clock, notifier=notifier, realtime=False, logging_setup=False)
    yield app, clock
    app.close()


def test_a_weekly_report_comes_at_nine_local_time_across_the_change(jobs_app):
    app, clock = jobs_app
    ask(app, "alice", f"/campaign create ethics --headcount 100 --timezone {ZONE}")
    scheduled = ask(app, "alice", "/threshold schedule ethics monday 09:00")[0]
    assert f"Every Monday at 09:00 {ZONE}" in scheduled

    runs = []
    for moment in NINE_LOCAL:
        clock.advance(moment - clock.now() - timedelta(minutes=1))
        app.jobs.run_due(clock.now())
        before = inbox(app, "alice").count("Your weekly threshold report of ethics")
        clock.advance(timedelta(minutes=1))
        app.jobs.run_due(clock.now())
        runs.append(inbox(app, "alice").count("Your weekly threshold report of ethics") - before)
    assert runs == [1, 1, 1], "each report at 09:00 in São Paulo, not a minute early"


def test_moving_the_campaigns_zone_moves_its_reports_to_the_same_local_time(app, clock):
    ask(app, "alice", "/campaign create ethics --headcount 100")
    ask(app, "alice", "/threshold schedule ethics monday 09:00")
    moved = ask(app, "alice", "/campaign timezone ethics Asia/Tokyo")[0]
    [job] = [j for j in app.jobs.scheduler.get_jobs() if j.id.startswith("threshold-report")]
    assert "1 weekly threshold report now comes at the same local time" in moved
    assert job.next_run_time == datetime(2026, 11, 9, 0, 0, tzinfo=UTC)  # 09:00 in Tokyo
