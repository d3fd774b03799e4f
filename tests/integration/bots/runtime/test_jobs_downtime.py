"""Jobs that fall due while the bot is down run exactly once after it starts again."""

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlmodel import func, select

from bots.runtime.bootstrap import build
from bots.runtime.jobs import publish_counts
from campaigns.core.clock import ManualClock
from campaigns.core.models import Snapshot
from campaigns.core.schedule import SNAPSHOTS
from tests.support import add_supporters, ask, inbox, people


def _snapshots(app) -> int:
    with app.unit() as uow:
        return uow.session.exec(select(func.count(Snapshot.id))).one()


def _start(settings, clock, notifier, *, realtime=False):
    return build(settings, clock=clock, notifier=notifier, realtime=realtime, logging_setup=False)


def test_jobs_due_during_three_weeks_of_downtime_each_run_once_after_restart(
        settings, clock, notifier):
    first = _start(settings, clock, notifier)
    ask(first, "alice", "/campaign create ethics --headcount 1000")
    add_supporters(first, "ethics", people("s", 12))
    ask(first, "alice", "/threshold schedule ethics monday 10:30")
    first.jobs.at("catch-up:1", clock.now() + timedelta(hours=2), publish_counts)
    assert _snapshots(first) == 0
    first.close()
    if settings.database_url.startswith("sqlite"):
        assert Path(make_url(settings.database_url).database).is_file()  # the job store on disk

    # Down for three weeks: 500 hourly snapshots, three weekly reports and a one-off job fall due.
    clock.advance(timedelta(days=21, hours=5))
    again = _start(settings, clock, notifier)
    try:
        again.jobs.run_due(clock.now())
        assert _snapshots(again) == 2  # the hourly job once, the one-off job once
        assert inbox(again, "alice").count("Your weekly threshold report of ethics") == 1
        assert again.jobs.run_due(clock.now()) == 0
        assert again.jobs.next_run("catch-up:1") is None
        assert again.jobs.next_run(SNAPSHOTS) == clock.now() + timedelta(hours=1)
        [weekly] = [j for j in again.jobs.scheduler.get_jobs() if j.id.startswith("threshold")]
        assert weekly.next_run_time == datetime(2026, 11, 30, 10, 30, tzinfo=UTC)
    finally:
        again.close()


async def test_in_real_time_a_job_missed_while_down_runs_once_when_the_scheduler_starts(
        settings, notifier):
    clock = ManualClock()  # the scheduler runs on the wall clock here
    first = _start(settings, clock, notifier)
    ask(first, "alice", "/campaign create ethics --headcount 1000")
    missed = datetime.now(UTC) - timedelta(hours=3, minutes=30)
    first.jobs.scheduler.modify_job(SNAPSHOTS, next_run_time=missed)  # four missed hourly runs
    first.close()

    app = _start(settings, clock, notifier, realtime=True)
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while _snapshots(app) == 0 and loop.time() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.0)  # time enough for a second run, if one were coming
        assert _snapshots(app) == 1
        assert app.jobs.next_run(SNAPSHOTS) > datetime.now(UTC) + timedelta(minutes=20)
    finally:
        app.close()
        await asyncio.sleep(0.1)
