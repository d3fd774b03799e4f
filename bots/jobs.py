"""Scheduled jobs as importable functions, so the job store can name them across restarts.

The composition root registers the running app here once; each job opens its
own unit of work, so a job is a use case like any command.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from campaigns.snapshots import publish_counts

_app: Any = None
SNAPSHOTS = "snapshots"


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
    _run(publish_counts)


def install(app: Any) -> None:
    """The jobs every deployment runs; ids are fixed, so restarts replace rather than add."""
    jobs = app.jobs
    if jobs.next_run(SNAPSHOTS) is None:
        jobs.every(SNAPSHOTS, app.rules.snapshot_every, take_snapshots,
                   first=app.clock.now() + app.rules.snapshot_every)
