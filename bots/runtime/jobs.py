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

from bots.runtime.digests import send_digest
from campaigns.grievances.jobs import purge_expired_grievances, remind_liaisons
from campaigns.pledges import outcomes as pledge_outcomes
from campaigns.reports import snapshots

_app: Any = None
SNAPSHOTS = "snapshots"
DIGEST = "digest"
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


def publish_counts(uow: Any) -> list:
    """Snapshot every live campaign; pledges then act on the counts they were waiting for."""
    return snapshots.publish_counts(uow, watchers=(pledge_outcomes.on_snapshot,))


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
    app.jobs.daily(DIGEST, app.settings.digest_at, app.settings.timezone, send_digests,
                   now=app.clock.now())


def send_digests() -> None:
    """The daily digest ping to every member with digests on (CONCERTED_DIGEST_AT)."""
    _run(send_digest)


RETENTION_PURGE = "retention-purge"
QUEUE_REMINDERS = "queue-reminders"


def purge_retention() -> None:
    """Delete grievance text and replies whose retention period has passed (R10)."""
    _run(purge_expired_grievances)


def remind_queues() -> None:
    """Tell liaisons of new items and of items waiting more than 3 days (R11)."""
    _run(remind_liaisons)


def install_grievance_jobs(app: Any) -> None:
    """The daily retention sweep, and queue reminders three times a day."""
    # Reminders are batched so that a notice's time never points at the moment someone filed.
    for job_id, period, func in ((RETENTION_PURGE, timedelta(days=1), purge_retention),
                                 (QUEUE_REMINDERS, timedelta(hours=8), remind_queues)):
        if app.jobs.next_run(job_id) is None:
            app.jobs.every(job_id, period, func, first=app.clock.now() + period)


HEADCOUNT_REFRESH = "headcount-refresh"
_directories: dict[str, Callable[[], dict[str, int]]] = {}


def register_directory(platform: str, count_people: Callable[[], dict[str, int]]) -> None:
    """Let the headcount job ask a running adapter how many people each workspace has.

    `count_people` returns {workspace id: people, bots left out}; it is called from the
    job's worker thread.
    """
    _directories[platform] = count_people


def forget_directory(platform: str) -> None:
    """The adapter stopped: the headcount job no longer counts through it."""
    _directories.pop(platform, None)


def refresh_headcounts() -> None:
    """Count each workspace's people again, for the campaigns whose headcount is `auto`."""
    for platform, count_people in list(_directories.items()):
        try:
            counted = count_people()
        except Exception as exc:  # noqa: BLE001 - one platform down must not stop the others
            log.warning("job.headcount_failed platform=%s error=%s", platform, type(exc).__name__)
            continue
        for workspace, count in counted.items():
            updated = _run(_record_counted, platform, workspace, count)
            log.info("job.headcount platform=%s campaigns=%d", platform, updated)


def _record_counted(uow: Any, platform: str, workspace: str, count: int) -> int:
    from campaigns.membership.administration import record_workspace_headcount

    return record_workspace_headcount(uow, uow.keys.workspace_ref(platform, workspace), count)


def install_headcount_refresh(app: Any) -> None:
    """The daily recount for `auto` headcounts, installed by the adapters that can count."""
    if app.jobs.next_run(HEADCOUNT_REFRESH) is None:
        app.jobs.every(HEADCOUNT_REFRESH, timedelta(days=1), refresh_headcounts,
                       first=app.clock.now() + timedelta(minutes=1))
