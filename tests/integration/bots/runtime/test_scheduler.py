"""Jobs live in the database, keep their ids across restarts, and follow the settings."""

import logging
import sqlite3
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import OperationalError

from bots.runtime.bootstrap import build
from bots.runtime.jobs import JobContext, receives_context
from bots.runtime.scheduler import Jobs
from campaigns.core import db
from campaigns.core.schedule import SNAPSHOTS


def test_restarting_keeps_one_snapshot_job_and_its_next_run(settings, clock, notifier):
    first = build(settings, clock=clock, notifier=notifier, realtime=False, logging_setup=False)
    planned = first.jobs.next_run(SNAPSHOTS)
    first.close()
    again = build(settings, clock=clock, notifier=notifier, realtime=False, logging_setup=False)
    try:
        assert again.jobs.next_run(SNAPSHOTS) == planned
        assert [job.id for job in again.jobs.scheduler.get_jobs()].count(SNAPSHOTS) == 1
    finally:
        again.close()


def test_a_changed_snapshot_interval_replaces_the_stored_one(settings, clock, notifier):
    build(settings, clock=clock, notifier=notifier, realtime=False, logging_setup=False).close()
    faster = settings.model_copy(update={"snapshot_every": timedelta(minutes=15)})
    app = build(faster, clock=clock, notifier=notifier, realtime=False, logging_setup=False)
    try:
        assert app.jobs.period(SNAPSHOTS) == timedelta(minutes=15)
        assert app.jobs.next_run(SNAPSHOTS) == clock.now() + timedelta(minutes=15)
    finally:
        app.close()


def test_advancing_the_clock_runs_each_due_interval_once_when_coalesced(console, app):
    out = console.run("alice: /campaign create ethics\n:advance 5h\n")
    assert "1 scheduled job ran" in out  # five missed hours coalesce into one snapshot
    out = console.run(":advance 1h\n")
    assert "1 scheduled job ran" in out


RUNS: list[float] = []


@receives_context
def _count_a_run(_context) -> None:
    RUNS.append(time.monotonic())


def test_the_scheduler_thread_outlives_a_failed_write_to_its_job_store(tmp_path, caplog):
    # Under a burst on SQLite the store's write once waited out the busy timeout; APScheduler
    # let that exception end its thread, and no job ran again until a restart.
    engine = db.make_engine(f"sqlite:///{tmp_path / 'jobs.db'}")
    jobs = Jobs(engine, realtime=True)
    jobs.scheduler.jobstore_retry_interval = 0.2
    store = jobs.scheduler._lookup_jobstore("default")
    real_update, failures = store.update_job, []

    def update_failing_once(job):
        if not failures:
            failures.append(job.id)
            raise OperationalError("UPDATE apscheduler_jobs SET ...", {"id": job.id},
                                   sqlite3.OperationalError("database is locked"))
        return real_update(job)

    store.update_job = update_failing_once
    RUNS.clear()
    caplog.set_level(logging.WARNING, logger="concerted")
    jobs.every("tick", timedelta(seconds=0.3), _count_a_run, first=datetime.now(UTC))
    jobs.start(JobContext(unit=lambda: None))
    try:
        deadline = time.monotonic() + 10
        while len(RUNS) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert failures == ["tick"]
        assert len(RUNS) >= 4, "no job ran after the failed write"
        warnings = [r.getMessage() for r in caplog.records if r.name == "concerted.scheduler"]
        assert warnings == ["job.store_unavailable error=OperationalError"]
    finally:
        jobs.shutdown()
        engine.dispose()
