"""Jobs get what they need from the app that runs them, never from module state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import func, select

from bots.runtime import jobs
from bots.runtime.bootstrap import build
from bots.runtime.scheduler import Jobs
from campaigns.core import db
from campaigns.core.models import Campaign, Snapshot
from campaigns.core.schedule import HEADCOUNT_REFRESH
from settings import Settings
from tests.support import ask


def _app(databases, where, clock, notifier):
    where.mkdir()
    settings = Settings(CONCERTED_DATABASE_URL=databases.fresh(where),
                        CONCERTED_KEY_FILE=where / "concerted.key",
                        CONCERTED_OUTPUT_DIR=where / "out")
    return build(settings, clock=clock, notifier=notifier, realtime=False, logging_setup=False)


@pytest.fixture
def two_apps(databases, tmp_path, clock, notifier):
    first = _app(databases, tmp_path / "first", clock, notifier)
    second = _app(databases, tmp_path / "second", clock, notifier)
    yield first, second
    for app in (first, second):
        app.close()
        databases.drop(app.settings.database_url)


def _count(app, column) -> int:
    with app.unit() as uow:
        return uow.session.exec(select(func.count(column))).one()


def test_two_apps_in_one_process_each_snapshot_their_own_database(two_apps, clock):
    first, second = two_apps
    ask(first, "alice", "/campaign create ethics --headcount 40")

    clock.advance(first.rules.snapshot_every)
    first.jobs.run_due(clock.now())
    second.jobs.run_due(clock.now())

    assert _count(first, Snapshot.id) == 1
    assert _count(second, Snapshot.id) == 0


def test_a_headcount_directory_counts_only_for_the_app_it_was_registered_with(two_apps, clock):
    first, second = two_apps
    for app in two_apps:
        ask(app, "alice", "/campaign create ethics --headcount 40")
        ask(app, "alice", "/campaign headcount ethics auto")
        jobs.install_headcount_refresh(app)
    jobs.register_directory(first, "console", lambda: {"console": 321})

    clock.advance(timedelta(days=1, minutes=1))
    first.jobs.run_due(clock.now())
    second.jobs.run_due(clock.now())

    with first.unit() as uow:
        assert uow.session.exec(select(Campaign.headcount)).one() == 321
    with second.unit() as uow:
        assert uow.session.exec(select(Campaign.headcount)).one() == 40
    jobs.forget_directory(first, "console")
    assert first.job_context.directories == {}


def test_a_recurring_job_that_cannot_take_the_context_is_refused_when_planned(app, clock):
    def forgetful() -> None:
        """A job written before jobs were handed their context."""

    with pytest.raises(TypeError, match="receives_context"):
        app.jobs.every(HEADCOUNT_REFRESH, timedelta(days=1), forgetful, first=clock.now())
    assert app.jobs.next_run(HEADCOUNT_REFRESH) is None


def test_jobs_do_not_run_before_the_scheduler_is_given_its_context(settings, clock):
    engine = db.make_engine(settings.database_url)
    unstarted = Jobs(engine, realtime=False)
    try:
        with pytest.raises(RuntimeError, match="start"):
            unstarted.run_due(clock.now())
    finally:
        engine.dispose()
