"""Jobs stored before the code moved into packages still load and run after an upgrade."""

from __future__ import annotations

import pickle
from datetime import timedelta
from importlib import import_module

import pytest
from alembic import command
from sqlalchemy import text

from bots.runtime import jobs as job_functions
from bots.runtime.bootstrap import build
from campaigns.core import db
from campaigns.core.privacy import read_master_key
from campaigns.pledges.models import Pledge, PledgeState
from tests.support import add_supporters, ask, inbox, people

# What deployments stored before the move: job functions and planned use cases by old path.
OLD_FUNCTIONS = {
    "bots.runtime.jobs:run_use_case": "bots.jobs:run_use_case",
    "bots.runtime.jobs:take_snapshots": "bots.jobs:take_snapshots",
    "bots.runtime.jobs:purge_retention": "bots.jobs:purge_retention",
    "bots.runtime.jobs:remind_queues": "bots.jobs:remind_queues",
    "bots.runtime.jobs:refresh_headcounts": "bots.jobs:refresh_headcounts",
}
OLD_USE_CASES = {
    "campaigns.pledges.outcomes:expire_pledge": "campaigns.pledge_outcomes:expire_pledge",
    "campaigns.reports.schedules:deliver_scheduled_report":
        "campaigns.report_schedules:deliver_scheduled_report",
    "bots.runtime.jobs:publish_counts": "campaigns.snapshots:publish_counts",
}


def _states(engine) -> dict[str, dict]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, job_state FROM apscheduler_jobs")).all()
    return {job_id: pickle.loads(blob) for job_id, blob in rows}


def _plant_old_style_jobs(engine) -> dict[str, dict]:
    """Bring the schema back to 0006, and every stored job back to what the old layout wrote."""
    command.downgrade(db.alembic_config(engine), "0006")
    planted = {}
    with engine.begin() as conn:
        for job_id, state in _states(engine).items():
            args = list(state["args"])
            # The downgrade may have written the old references already: plant them regardless.
            if args and args[0] in OLD_USE_CASES:
                args[0] = OLD_USE_CASES[args[0]]
            func = OLD_FUNCTIONS.get(state["func"], state["func"])
            state = {**state, "func": func, "args": tuple(args)}
            conn.execute(text("UPDATE apscheduler_jobs SET job_state = :s WHERE id = :i"),
                         {"s": pickle.dumps(state, pickle.HIGHEST_PROTOCOL), "i": job_id})
            planted[job_id] = state
    return planted


def _refs(states: dict[str, dict]) -> dict[str, tuple]:
    return {job_id: (s["func"], tuple(s["args"])) for job_id, s in states.items()}


def _resolves(ref: str) -> bool:
    module, _, name = ref.partition(":")
    return callable(getattr(import_module(module), name, None))


@pytest.fixture
def old_deployment(settings, clock, notifier):
    """A deployment with every kind of stored job, written as the old layout wrote them."""
    app = build(settings, clock=clock, notifier=notifier, realtime=False, logging_setup=False)
    ask(app, "alice", "/campaign create ethics --headcount 40")
    ask(app, "alice", '/pledge create ethics --text "We will not onboard nudify apps." '
                      "--deadline 2d")
    add_supporters(app, "ethics", people("s", 6))
    ask(app, "alice", "/threshold schedule ethics tuesday 10:30")
    job_functions.install_headcount_refresh(app)
    app.jobs.at("catch-up:1", clock.now() + timedelta(hours=2), job_functions.publish_counts)
    app.close()
    engine = db.make_engine(settings.database_url)
    try:
        yield _plant_old_style_jobs(engine)
    finally:
        engine.dispose()


def test_upgrading_rewrites_old_job_references_and_every_job_still_runs(
        old_deployment, settings, clock, notifier):
    assert {s["func"] for s in old_deployment.values()} >= {"bots.jobs:take_snapshots",
                                                            "bots.jobs:run_use_case"}
    assert {s["args"][0] for s in old_deployment.values() if s["args"]} == set(OLD_USE_CASES.values())

    app = build(settings, clock=clock, notifier=notifier, realtime=False, logging_setup=False)
    try:
        stored = _states(app.engine)
        assert set(stored) == set(old_deployment)  # nothing dropped
        assert {s["func"] for s in stored.values()} <= set(job_functions.stored_functions())
        assert all(_resolves(s["args"][0]) for s in stored.values() if s["args"])

        clock.advance(timedelta(days=3))
        app.jobs.run_due(clock.now())

        with app.unit() as uow:
            pledge = uow.session.get(Pledge, 1)
            assert pledge.state == PledgeState.EXPIRED
        assert "Your weekly threshold report of ethics" in inbox(app, "alice")
    finally:
        app.close()


def test_downgrading_restores_the_old_references_and_upgrading_again_is_lossless(
        old_deployment, settings):
    engine = db.make_engine(settings.database_url)
    keys = read_master_key(settings.key_file)  # later migrations re-seal rows with it
    try:
        db.upgrade(engine, keys)
        upgraded = _states(engine)
        command.downgrade(db.alembic_config(engine, keys), "0006")
        assert _refs(_states(engine)) == _refs(old_deployment)
        db.upgrade(engine, keys)
        assert _refs(_states(engine)) == _refs(upgraded)
    finally:
        engine.dispose()
