"""A cheap stand-in for the app, for tests of domain use cases.

`Domain` opens units of work on an already migrated database copy, with an
in-memory master key, the test's manual clock and `PlannedJobs`: the `Jobs`
protocol kept in a dict, with no job store, no pickling and no scheduler.
It offers what tests/support.py uses of an app (`unit`, `rules`, `jobs.run_due`,
`dispatcher`), so a use-case test runs on either.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import import_module
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bots.commands.dispatch import Dispatcher
from bots.commands.registry import registry
from bots.runtime.bootstrap import grouping_pays
from bots.runtime.jobs import publish_counts
from campaigns.core.clock import Clock
from campaigns.core.group_commit import GroupCommit
from campaigns.core.privacy import KEY_BYTES, MasterKey
from campaigns.core.schedule import QUEUE_REMINDERS, RETENTION_PURGE, SNAPSHOTS
from campaigns.core.unit_of_work import Notifier, Rules, UnitOfWork
from campaigns.grievances.jobs import purge_expired_grievances, remind_liaisons


@dataclass
class _Plan:
    when: datetime
    every: timedelta | None
    use_case: Callable
    args: tuple
    zone: str | None = None  # a weekly plan keeps its local time here across summer time


class PlannedJobs:
    """The `Jobs` protocol in memory: plans by id; `run_due` runs what the clock has passed.

    Like the real scheduler it coalesces missed runs of a recurring job into
    one, runs the oldest plan first, and stores the next run before running,
    so a job may replace or cancel itself. Unlike it, a failing job fails the test.
    """

    def __init__(self, unit: Callable[[], Any]):
        self._unit = unit
        self._plans: dict[str, _Plan] = {}

    def at(self, job_id: str, when: datetime, use_case: Callable, *args) -> None:
        self._plans[job_id] = _Plan(when, None, _importable(use_case), args)

    def weekly(self, job_id: str, first: datetime, use_case: Callable, *args,
               zone: str | None = None) -> None:
        self._plans[job_id] = _Plan(first, timedelta(weeks=1), _importable(use_case), args, zone)

    def every(self, job_id: str, period: timedelta, use_case: Callable, *, first: datetime) -> None:
        """A recurring use case taking only a unit of work, as the deployment's own jobs are."""
        self._plans[job_id] = _Plan(first, period, _importable(use_case), ())

    def cancel(self, job_id: str) -> None:
        self._plans.pop(job_id, None)

    def next_run(self, job_id: str) -> datetime | None:
        plan = self._plans.get(job_id)
        return plan.when if plan else None

    def planned(self) -> dict[str, datetime]:
        """Every plan's next run, by job id."""
        return {job_id: plan.when for job_id, plan in self._plans.items()}

    def run_due(self, now: datetime) -> int:
        """Run every plan due at `now`, oldest first; returns how many runs were made."""
        runs = 0
        while due := sorted((p.when, job_id) for job_id, p in self._plans.items() if p.when <= now):
            job_id = due[0][1]
            plan = self._plans[job_id]
            if plan.every is None:
                del self._plans[job_id]
            elif plan.zone is not None:
                # Wall-clock weeks: aware arithmetic in the zone keeps the local hour.
                local = plan.when.astimezone(ZoneInfo(plan.zone))
                while local.astimezone(UTC) <= now:
                    local += plan.every
                plan.when = local.astimezone(UTC)
            else:
                missed = (now - plan.when) // plan.every
                plan.when += plan.every * (missed + 1)
            with self._unit() as uow:
                plan.use_case(uow, *plan.args)
            runs += 1
        return runs


def _importable(use_case: Callable) -> Callable:
    # The real job store keeps "module:name" and imports it when the job runs.
    if getattr(import_module(use_case.__module__), use_case.__qualname__, None) is not use_case:
        raise TypeError(f"{use_case.__qualname__} is not a module-level function")
    return use_case


@dataclass
class Domain:
    """Units of work on a migrated database, with the jobs a deployment installs planned."""

    engine: Engine
    clock: Clock
    notifier: Notifier | None
    output_dir: Path
    rules: Rules = field(default_factory=Rules)
    keys: MasterKey = field(default_factory=lambda: MasterKey(os.urandom(KEY_BYTES)))
    jobs: PlannedJobs = field(init=False)
    group: GroupCommit = field(init=False)
    _dispatchers: dict[str, Dispatcher] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.jobs = PlannedJobs(self.unit)
        self.group = GroupCommit(self.engine, self.unit_on, self.unit)
        now = self.clock.now()
        # The recurring jobs every deployment runs (bots/runtime/jobs.install), as use cases.
        for job_id, period, use_case in (
                (SNAPSHOTS, self.rules.snapshot_every, publish_counts),
                (RETENTION_PURGE, timedelta(days=1), purge_expired_grievances),
                (QUEUE_REMINDERS, timedelta(hours=8), remind_liaisons)):
            self.jobs.every(job_id, period, use_case, first=now + period)

    @contextmanager
    def unit(self) -> Iterator[UnitOfWork]:
        """A unit of work; what is not committed when it ends is rolled back."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield self.unit_on(session)

    def unit_on(self, session: Session) -> UnitOfWork:
        return UnitOfWork(session, self.clock, self.keys, self.rules, self.notifier, self.jobs)

    def dispatcher(self, platform: str) -> Dispatcher:
        """The command dispatcher, for tests that set a scene with typed commands."""
        if platform not in self._dispatchers:
            self._dispatchers[platform] = Dispatcher(registry(), self.unit, platform=platform,
                                                     output_dir=self.output_dir,
                                                     grouped=self.group.run
                                                     if grouping_pays(self.engine) else None)
        return self._dispatchers[platform]

    def close(self) -> None:
        self.engine.dispose()
