"""The unit of work every use case runs in: a session, the clock, the keys, the rules.

A use case owns its transaction: it calls `commit()`, and only after the
commit are content-free pings handed to the notifier, so a person is never
told about something that was rolled back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from campaigns.core.clock import Clock
from campaigns.core.errors import TryAgain
from campaigns.core.privacy import MasterKey, Person


@dataclass(frozen=True)
class Rules:
    """The organizing rules that deployments may tune (the CONCERTED_* settings in README)."""

    min_count: int = 5
    snapshot_every: timedelta = timedelta(hours=1)
    cooling_off: timedelta = timedelta(hours=48)
    retention: timedelta = timedelta(days=30)
    max_liaisons: int = 6
    # The daily digest's pings are spread over this much time, to stay under rate limits.
    digest_window: timedelta = timedelta(minutes=30)
    # The deployment's time zone (CONCERTED_TIMEZONE): a campaign without its own keeps time here.
    timezone: str = "UTC"
    locale: str = "en"  # the deployment's language (CONCERTED_LOCALE), likewise


class Notifier(Protocol):
    """What the adapters implement: a DM that carries no content, only a pointer to the inbox."""

    def ping(self, person: Person) -> None: ...


class Jobs(Protocol):
    """What the scheduler offers use cases: jobs planned by deterministic id, and their plans.

    `use_case` is a module-level function taking `(uow, *args)`; it runs in a
    unit of work of its own when the time comes, also after a restart.
    """

    def at(self, job_id: str, when: datetime, use_case: Callable, *args) -> None: ...

    def weekly(self, job_id: str, first: datetime, use_case: Callable, *args,
               zone: str | None = None) -> None: ...

    def cancel(self, job_id: str) -> None: ...

    def next_run(self, job_id: str) -> datetime | None: ...


@dataclass
class UnitOfWork:
    session: Session
    clock: Clock
    keys: MasterKey
    rules: Rules
    notifier: Notifier | None = None
    jobs: Jobs | None = None
    # A dict as an ordered set: a threshold announcement pings every member, and a list's
    # membership test made that quadratic (bench/threshold.py).
    _pings: dict[Person, None] = field(default_factory=dict)
    _after: list[Callable[[], None]] = field(default_factory=list)
    # The language and time zone of each campaign this work was about, by campaign id: an
    # answer about one campaign reads in its language when the person's own is unknown.
    campaign_languages: dict[int, tuple[str | None, str | None]] = field(default_factory=dict)
    # Set by a group commit (campaigns/core/group_commit.py): this unit's transaction is a
    # savepoint of one that others share, so what follows a commit waits until that one is
    # durable, and is dropped if it fails.
    shared: bool = False
    _due: list[Callable[[], None]] = field(default_factory=list)
    commits: int = 0  # how many times this unit committed (dispatch.py's replay record)

    def concerns(self, campaign_id: int, language: str | None, zone: str | None) -> None:
        """Note a campaign this work is about, with its language and time zone."""
        self.campaign_languages[campaign_id] = (language, zone)

    def ping_after_commit(self, person: Person) -> None:
        self._pings.setdefault(person, None)

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run `action` once the commit succeeded (and never after a rollback)."""
        # The job store writes through a connection of its own, and SQLite has one writer:
        # scheduling inside our open transaction would wait on ourselves.
        self._after.append(action)

    def schedule(self, job_id: str, when: datetime, use_case: Callable, *args) -> None:
        """Plan `use_case(uow, *args)` at `when`, once this unit of work has committed."""
        jobs = self.jobs
        if jobs is not None:
            self.after_commit(lambda: jobs.at(job_id, when, use_case, *args))

    def unschedule(self, job_id: str) -> None:
        """Call off a planned job, once this unit of work has committed."""
        jobs = self.jobs
        if jobs is not None:
            self.after_commit(lambda: jobs.cancel(job_id))

    def commit(self) -> None:
        try:
            self.session.commit()
        except OperationalError:
            self.rollback()
            raise TryAgain() from None
        self.commits += 1
        pings, self._pings = list(self._pings), {}
        notifier = self.notifier
        if notifier is not None:
            self._due.extend(functools.partial(notifier.ping, person) for person in pings)
        self._due.extend(self._after)
        self._after = []
        if not self.shared:
            self.settle()

    def settle(self) -> None:
        """Run what waited for the commit: pings first, then the other actions, in order."""
        actions, self._due = self._due, []
        for action in actions:
            action()

    def discard(self) -> None:
        """The shared transaction failed: what waited for it never happens."""
        self._due.clear()
        self._pings.clear()
        self._after.clear()

    def rollback(self) -> None:
        """Undo what this unit did since its last commit, and forget the pings it asked for."""
        self._pings.clear()
        self._after.clear()
        self.session.rollback()
