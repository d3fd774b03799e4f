"""Scheduled jobs as importable functions, so the job store can name them across restarts.

The composition root registers the running app here once; each job opens its
own unit of work, so a job is a use case like any command.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from importlib import import_module
from typing import Any

from campaigns.grievance_jobs import purge_expired_grievances, remind_liaisons
from campaigns.snapshots import publish_counts

_app: Any = None
SNAPSHOTS = "snapshots"
log = logging.getLogger("concerted.jobs")


def register(app: Any) -> None:
    global _app
    _app = app


def _run(use_case: Callable, *args) -> Any:
    if _app is None:
        raise RuntimeError("no Concerted app is registered for jobs")
    with _app.unit() as uow:
        return use_case(uow, *args)


def run_use_case(ref: str, *args) -> None:
    """A one-off job: `ref` names a domain function taking a unit of work (`Jobs.at`)."""
    module, _, name = ref.partition(":")
    _run(getattr(import_module(module), name), *args)


def take_snapshots() -> None:
    """Publish counts for every live campaign and announce what they crossed."""
    taken = _run(publish_counts)
    log.info("job.snapshots campaigns=%d", len(taken))


def install(app: Any) -> None:
    """The jobs every deployment runs; ids are fixed, so restarts replace rather than add."""
    jobs = app.jobs
    if jobs.period(SNAPSHOTS) != app.rules.snapshot_every:
        jobs.every(SNAPSHOTS, app.rules.snapshot_every, take_snapshots,
                   first=app.clock.now() + app.rules.snapshot_every)
    install_grievance_jobs(app)


RETENTION_PURGE = "retention-purge"
QUEUE_REMINDERS = "queue-reminders"


def purge_retention() -> None:
    """Delete grievance text and replies whose retention period has passed (R10)."""
    _run(purge_expired_grievances)


def remind_queues() -> None:
    """Tell liaisons of new items and of items waiting more than 3 days (R11)."""
    _run(remind_liaisons)


def install_grievance_jobs(app: Any) -> None:
    """The daily retention sweep and the six-hourly queue reminders."""
    for job_id, period, func in ((RETENTION_PURGE, timedelta(days=1), purge_retention),
                                 (QUEUE_REMINDERS, timedelta(hours=6), remind_queues)):
        if app.jobs.next_run(job_id) is None:
            app.jobs.every(job_id, period, func, first=app.clock.now() + period)
