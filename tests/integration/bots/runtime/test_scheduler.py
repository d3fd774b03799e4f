"""Jobs live in the database, keep their ids across restarts, and follow the settings."""

from datetime import timedelta

from bots.runtime.bootstrap import build
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
