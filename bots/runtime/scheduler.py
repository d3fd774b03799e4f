"""APScheduler 3 with its job store in our database, driven by our clock.

In chat mode a BackgroundScheduler runs jobs on real time, in threads of its
own: its job store is in our database, and reading it on the adapters' event
loop would stop every acknowledgement while the database is busy (on SQLite,
up to the 30-second busy timeout). The console and the tests hold it paused
and call `run_due(now)`, which fires every job that the clock has passed,
exactly as the scheduler would: coalesced to one run, next fire time computed
by the job's own trigger.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from importlib import import_module
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bots.runtime.joblock import JobLock, needs_job_lock
from bots.runtime.jobs import JobContext, run_use_case
from campaigns.core.write_turns import WriteTurns, write_turns

log = logging.getLogger("concerted.scheduler")
_MAX_RUNS = 100_000
JOB_DEFAULTS = {"coalesce": True, "misfire_grace_time": None, "max_instances": 1}


class ManualScheduler(BaseScheduler):
    """A real scheduler (job store, triggers, ids) with no thread: `Jobs.run_due` drives it."""

    def wakeup(self) -> None:
        pass

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait)


class _WithContext:
    """A stored job as the executor sees it: the same job, its function handed the context."""

    def __init__(self, job: Job, context: JobContext, turns: WriteTurns | None = None):
        self._job = job
        self.func = functools.partial(job.func, context)
        if turns is not None:
            self.func = functools.partial(_as_job, turns, self.func)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._job, name)

    def __str__(self) -> str:
        return str(self._job)


class ContextExecutor(ThreadPoolExecutor):
    """APScheduler's thread pool executor, passing every job the context of the app that runs
    it; on SQLite a job's writes go before the next batch of signatures (`WriteTurns`)."""

    def __init__(self, context: Callable[[], JobContext], turns: WriteTurns | None = None):
        super().__init__(max_workers=4)
        self._context = context
        self._turns = turns

    def _do_submit_job(self, job: Job, run_times: list[datetime]) -> None:
        super()._do_submit_job(_WithContext(job, self._context(), self._turns), run_times)


class SteadyScheduler(BackgroundScheduler):
    """APScheduler's background scheduler, whose thread outlives a failed write to its store.

    APScheduler survives a failed read of its job store but not a failed write:
    the exception ended its thread, and no job ran again until a restart. Here
    the round is logged (the error's type only: its text holds the statement)
    and tried again after `jobstore_retry_interval`; the job store still says
    what is due, so nothing is lost. Its reads and writes count as a job's.
    """

    def __init__(self, *args: Any, turns: WriteTurns | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._turns = turns

    def _process_jobs(self) -> float | None:
        try:
            with self._turns.for_jobs() if self._turns else contextlib.nullcontext():
                return super()._process_jobs()
        except Exception as exc:  # noqa: BLE001 - the scheduler's thread must go on
            log.warning("job.store_unavailable error=%s", type(exc).__name__)
            return self.jobstore_retry_interval


def _as_job(turns: WriteTurns, func: Callable[[], Any]) -> Any:
    with turns.for_jobs():
        return func()


class Jobs:
    """Deterministic job ids, `replace_existing`, one store shared by every process.

    First fire times are always given from our clock (`next_run_time`), never
    left for APScheduler to compute from the wall clock, so a console or test
    clock set in the past or the future stays in charge.
    """

    # How often a waiting process tries to take the lock, and the runner looks for new jobs.
    lock_every: float = 5.0
    # How long `next_run` may answer from memory. Every signature asks when the next count
    # is; reading and unpickling the job each time was an eighth of a signature's work
    # (bench/slack_http.py). Changes made here forget the answer at once; a time that has
    # passed is never served, so a job that just ran is always read again.
    next_run_ttl: float = 1.0

    def __init__(self, engine: Engine, *, realtime: bool):
        store = SQLAlchemyJobStore(engine=engine, tablename="apscheduler_jobs")
        if realtime:
            turns = write_turns(engine)
            self.scheduler = SteadyScheduler(
                jobstores={"default": store}, job_defaults=JOB_DEFAULTS, timezone=UTC,
                executors={"default": ContextExecutor(self._running_context, turns)},
                turns=turns)
        else:
            self.scheduler = ManualScheduler(jobstores={"default": store},
                                             job_defaults=JOB_DEFAULTS, timezone=UTC)
        self.realtime = realtime
        self.context: JobContext | None = None
        self._next_runs: dict[str, tuple[float, datetime | None]] = {}
        self.lock: JobLock | None = None
        if realtime and needs_job_lock(engine):
            self.lock = JobLock(
                engine, on_gain=self.scheduler.resume, on_lose=self.scheduler.pause,
                on_tick=self._look_for_new_jobs, every=self.lock_every,
            )

    def start(self, context: JobContext) -> None:
        """Run jobs with `context`: real time runs them itself (on PostgreSQL only while it
        holds the job lock); otherwise `run_due` does the work."""
        self.context = context
        if self.lock is None:
            self.scheduler.start()
            return
        self.scheduler.start(paused=True)
        self.lock.start()

    def _running_context(self) -> JobContext:
        if self.context is None:
            raise RuntimeError("jobs run only after Jobs.start(context)")
        return self.context

    def _look_for_new_jobs(self) -> None:
        # Other processes add jobs to the shared store; this scheduler learns of them only
        # when it wakes up, so the runner wakes up on every lock check.
        with contextlib.suppress(RuntimeError):
            self.scheduler.wakeup()

    def shutdown(self) -> None:
        if self.lock is not None:
            self.lock.stop()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def every(self, job_id: str, period: timedelta, func: Callable, *, first: datetime) -> None:
        """Run `func(context)` from `first` on, every `period`; the same id replaces it."""
        _require_context_parameter(func)
        self._next_runs.pop(job_id, None)
        self.scheduler.add_job(func, IntervalTrigger(seconds=period.total_seconds(),
                                                     start_date=first, timezone=UTC),
                               id=job_id, replace_existing=True, next_run_time=first)

    def daily(self, job_id: str, at: clock_time, zone: str, func: Callable, *,
              now: datetime) -> None:
        """Run `func` every day at local time `at` in `zone` (summer time included).

        An unchanged plan keeps its next run, so a restart neither skips nor repeats one.
        """
        _require_context_parameter(func)
        trigger = CronTrigger(hour=at.hour, minute=at.minute, timezone=ZoneInfo(zone))
        job = self.scheduler.get_job(job_id)
        if (job is not None and job.next_run_time and str(job.trigger) == str(trigger)
                and str(job.trigger.timezone) == str(trigger.timezone)):
            return
        # Strictly after now: a clock standing exactly on the hour has already had it.
        first = trigger.get_next_fire_time(None, now + timedelta(seconds=1))
        self._next_runs.pop(job_id, None)
        self.scheduler.add_job(func, trigger, id=job_id, replace_existing=True,
                               next_run_time=first)

    def at(self, job_id: str, when: datetime, use_case: Callable, *args) -> None:
        """Run `use_case(uow, *args)` once at `when`; the same id replaces an earlier plan."""
        self._next_runs.pop(job_id, None)
        self.scheduler.add_job(run_use_case, DateTrigger(run_date=when, timezone=UTC),
                               args=[_ref(use_case), *args], id=job_id, replace_existing=True,
                               next_run_time=when)

    def weekly(self, job_id: str, first: datetime, use_case: Callable, *args,
               zone: str | None = None) -> None:
        """Run `use_case(uow, *args)` at `first` and every week after; the same id replaces it.

        With a `zone`, "every week" is the same weekday and local time there, so the
        job keeps its hour on the wall clock when summer time starts or ends.
        """
        self._next_runs.pop(job_id, None)
        if zone is None:
            trigger = IntervalTrigger(weeks=1, start_date=first, timezone=UTC)
        else:
            local = first.astimezone(ZoneInfo(zone))
            trigger = CronTrigger(day_of_week=local.weekday(), hour=local.hour,
                                  minute=local.minute, timezone=ZoneInfo(zone))
        self.scheduler.add_job(run_use_case, trigger, args=[_ref(use_case), *args], id=job_id,
                               replace_existing=True, next_run_time=first)

    def cancel(self, job_id: str) -> None:
        self._next_runs.pop(job_id, None)
        with contextlib.suppress(JobLookupError):
            self.scheduler.remove_job(job_id)

    def period(self, job_id: str) -> timedelta | None:
        """The interval of a recurring job, or None if there is no such job."""
        job = self.scheduler.get_job(job_id)
        return getattr(job.trigger, "interval", None) if job else None

    def next_run(self, job_id: str) -> datetime | None:
        """When the job runs next, or None if there is no such job."""
        moment = time.monotonic()
        remembered = self._next_runs.get(job_id)
        if remembered is not None and moment < remembered[0] and (
                remembered[1] is None or remembered[1] > datetime.now(UTC)):
            return remembered[1]
        job = self.scheduler.get_job(job_id)
        planned = job.next_run_time if job else None
        self._next_runs[job_id] = (moment + self.next_run_ttl, planned)
        return planned

    def run_due(self, now: datetime) -> int:
        """Run every job due at `now`, oldest first; returns how many runs were made."""
        context = self._running_context()
        runs = 0
        self._next_runs.clear()
        store = self.scheduler._lookup_jobstore("default")
        while runs < _MAX_RUNS:
            try:
                due = store.get_due_jobs(now)
            except SQLAlchemyError as exc:
                # The database is away for a moment; the jobs stay due and run on the next call.
                log.warning("job.store_unavailable error=%s", type(exc).__name__)
                return runs
            if not due:
                return runs
            job = due[0]
            # As APScheduler does: the next run is stored before this one starts, so a run
            # happens once even if it fails, and a job may replace or cancel itself.
            following = _following(job, now)
            try:
                if following is None:
                    self.cancel(job.id)
                else:
                    job._modify(next_run_time=following)
                    with contextlib.suppress(JobLookupError):
                        store.update_job(job)
            except SQLAlchemyError as exc:
                log.warning("job.store_unavailable error=%s", type(exc).__name__)
                return runs
            self._next_runs.clear()
            log.info("job.run id=%s", job.id)
            try:
                job.func(context, *job.args, **job.kwargs)
            except Exception as exc:  # noqa: BLE001 - one failing job must not stop the others
                log.error("job.failed id=%s error=%s", job.id, type(exc).__name__)
            runs += 1
        log.warning("job.run_due_stopped runs=%d", runs)
        return runs


def _following(job: Job, now: datetime) -> datetime | None:
    """When a job due at `now` runs next, once this run is made.

    A coalesced run stands for every run missed since `job.next_run_time`.
    APScheduler finds the last of them by stepping through each one, so ten
    years of an hourly job took 87,600 steps; a recurring trigger can say
    directly which of its moments comes first at or after `now`, and that is
    the run being made if it is `now` itself. One-off jobs and jobs that do
    not coalesce step from their stored time, as APScheduler does.
    """
    trigger = job.trigger
    if job.coalesce and isinstance(trigger, IntervalTrigger | CronTrigger):
        upcoming = trigger.get_next_fire_time(None, now)
        if upcoming is None or upcoming > now:
            return upcoming
        return trigger.get_next_fire_time(upcoming, now)
    run_times = job._get_run_times(now)
    fire_time = run_times[-1] if job.coalesce else run_times[0]
    return trigger.get_next_fire_time(fire_time, now if job.coalesce else fire_time)


def _ref(use_case: Callable) -> str:
    ref = f"{use_case.__module__}:{use_case.__qualname__}"
    # The store keeps only this text; a function it cannot find again would fail days later.
    if getattr(import_module(use_case.__module__), use_case.__qualname__, None) is not use_case:
        raise TypeError(f"{ref} is not a module-level function; a stored job could not find it")
    return ref


def _require_context_parameter(func: Callable) -> None:
    # A stored job is called with the context first; a function that does not expect it
    # would fail only when it runs, perhaps days later.
    if not getattr(func, "receives_context", False):
        raise TypeError(f"{func.__module__}:{func.__qualname__} is not marked @receives_context;"
                        " jobs pass it a JobContext")
