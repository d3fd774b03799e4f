"""Scheduled jobs as importable functions, so the job store can name them across restarts.

A stored job names a function and plain arguments; whoever runs it (the
scheduler's executor in real time, `Jobs.run_due` in the console and tests)
hands it a `JobContext` first: how to open a unit of work, and which adapters
can count a workspace's people. Nothing is kept in module state, so two apps
in one process each run their jobs on their own database.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module
from typing import TYPE_CHECKING, Any

from bots.runtime.digests import send_digest
from campaigns.core.schedule import (
    DIGEST,
    HEADCOUNT_REFRESH,
    QUEUE_REMINDERS,
    RETENTION_PURGE,
    SNAPSHOTS,
)
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.grievances.jobs import purge_expired_grievances, remind_liaisons
from campaigns.pledges import outcomes as pledge_outcomes
from campaigns.reports import snapshots
from petitions import signing as petition_signing

if TYPE_CHECKING:
    from bots.runtime.bootstrap import App

log = logging.getLogger("concerted.jobs")
# {workspace id: people, bots left out}, asked of a running adapter from a job's thread.
CountPeople = Callable[[], dict[str, int]]


@dataclass
class JobContext:
    """What a job needs when it runs: units of work, and the adapters that can count people."""

    unit: Callable[[], AbstractContextManager[UnitOfWork]]
    directories: dict[str, CountPeople] = field(default_factory=dict)

    def run(self, use_case: Callable, *args) -> Any:
        """`use_case(uow, *args)` in a unit of work of its own, as a command runs."""
        with self.unit() as uow:
            return use_case(uow, *args)


def receives_context(func: Callable) -> Callable:
    """Mark a job function whose first parameter is the `JobContext` its runner passes.

    The job store keeps only the other arguments, so APScheduler checks the
    stored arguments against the signature without that first parameter.
    """
    signature = inspect.signature(func)
    func.__signature__ = signature.replace(parameters=tuple(signature.parameters.values())[1:])
    func.receives_context = True
    return func


@receives_context
def run_use_case(context: JobContext, ref: str, *args) -> None:
    """A planned job: `ref` names a domain function taking a unit of work (`Jobs.at`)."""
    module, _, name = ref.partition(":")
    context.run(getattr(import_module(module), name), *args)


def publish_counts(uow: UnitOfWork) -> list:
    """Snapshot every live campaign; pledges and petitions publish their own figures with it,
    and pledges act on the counts they were waiting for."""
    return snapshots.publish_counts(
        uow, watchers=(pledge_outcomes.on_snapshot, petition_signing.on_snapshot))


@receives_context
def take_snapshots(context: JobContext) -> None:
    """Publish counts for every live campaign and announce what they crossed."""
    taken = context.run(publish_counts)
    log.info("job.snapshots campaigns=%d", len(taken))


@receives_context
def purge_retention(context: JobContext) -> None:
    """Delete grievance text and replies whose retention period has passed."""
    context.run(purge_expired_grievances)


@receives_context
def remind_queues(context: JobContext) -> None:
    """Tell liaisons of new items and of items waiting more than 3 days."""
    context.run(remind_liaisons)


@receives_context
def refresh_headcounts(context: JobContext) -> None:
    """Count each workspace's people again, for the campaigns whose headcount is `auto`."""
    for platform, count_people in list(context.directories.items()):
        try:
            counted = count_people()
        except Exception as exc:  # noqa: BLE001 - one platform down must not stop the others
            log.warning("job.headcount_failed platform=%s error=%s", platform, type(exc).__name__)
            continue
        for workspace, count in counted.items():
            updated = context.run(_record_counted, platform, workspace, count)
            log.info("job.headcount platform=%s campaigns=%d", platform, updated)


def _record_counted(uow: UnitOfWork, platform: str, workspace: str, count: int) -> int:
    from campaigns.membership.administration import record_workspace_headcount

    return record_workspace_headcount(uow, uow.keys.workspace_ref(platform, workspace), count)


def install(app: App) -> None:
    """The jobs every deployment runs; ids are fixed, so restarts replace rather than add."""
    jobs = app.jobs
    if jobs.period(SNAPSHOTS) != app.rules.snapshot_every:
        jobs.every(SNAPSHOTS, app.rules.snapshot_every, take_snapshots,
                   first=app.clock.now() + app.rules.snapshot_every)
    # Reminders are batched so that a notice's time never points at the moment someone filed.
    for job_id, period, func in ((RETENTION_PURGE, timedelta(days=1), purge_retention),
                                 (QUEUE_REMINDERS, timedelta(hours=8), remind_queues)):
        if jobs.next_run(job_id) is None:
            jobs.every(job_id, period, func, first=app.clock.now() + period)
    jobs.daily(DIGEST, app.settings.digest_at, app.settings.timezone, send_digests,
               now=app.clock.now())


@receives_context
def send_digests(context: JobContext) -> None:
    """The daily digest ping to every member with digests on (CONCERTED_DIGEST_AT)."""
    context.run(send_digest)


def register_directory(app: App, platform: str, count_people: CountPeople) -> None:
    """Let the headcount job ask a running adapter how many people each workspace has."""
    app.job_context.directories[platform] = count_people


def forget_directory(app: App, platform: str) -> None:
    """The adapter stopped: the headcount job no longer counts through it."""
    app.job_context.directories.pop(platform, None)


def install_headcount_refresh(app: App) -> None:
    """The daily recount for `auto` headcounts, installed by the adapters that can count."""
    if app.jobs.next_run(HEADCOUNT_REFRESH) is None:
        app.jobs.every(HEADCOUNT_REFRESH, timedelta(days=1), refresh_headcounts,
                       first=app.clock.now() + timedelta(minutes=1))


def stored_functions() -> Iterator[str]:
    """The references under which jobs are stored today (what migrations map old ones to)."""
    for func in (run_use_case, take_snapshots, purge_retention, remind_queues, refresh_headcounts,
                 send_digests):
        yield f"{func.__module__}:{func.__qualname__}"
