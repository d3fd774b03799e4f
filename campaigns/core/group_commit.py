"""Group commit: short units of work from many threads share one transaction and one commit.

A burst of signatures used to be a burst of transactions, each with its own
commit, and on SQLite each waiting its turn for the one write lock. Here the
units that arrive while another one runs join its transaction instead: they
run one at a time on one connection, each in a savepoint of its own, and the
transaction commits once nobody else is waiting to join it (or it holds
`limit` units, or has been open `max_wait` seconds). Then, and only then, is
each caller given its result and are its pings and planned jobs sent: an
answer still means the row is committed. A unit that finds nobody running and
nobody waiting runs in a transaction of its own, as without grouping.

A unit that fails is rolled back to its savepoint and fails alone. If the
shared commit itself fails, every unit in it is run again alone, in a
transaction of its own, as it would have been without grouping.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from campaigns.core.unit_of_work import UnitOfWork
from campaigns.core.write_turns import write_turns

log = logging.getLogger("concerted.db")

T = TypeVar("T")
Work = Callable[[UnitOfWork], T]


@dataclass
class _Member:
    uow: UnitOfWork
    result: object = None
    error: BaseException | None = None


@dataclass
class _Batch:
    connection: Connection
    opened: float
    members: list[_Member] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)
    committed: bool = False
    broken: bool = False


class GroupCommit:
    """Runs units of work in shared transactions; `run(work)` returns once its own is durable."""

    def __init__(self, engine: Engine, unit_on: Callable[[Session], UnitOfWork],
                 alone: Callable[[], AbstractContextManager[UnitOfWork]], *,
                 limit: int = 32, max_wait: float = 0.05):
        self.engine = engine
        self._unit_on = unit_on  # a unit of work on a given session
        self._alone = alone  # a unit of work with a transaction of its own
        self.limit, self.max_wait = limit, max_wait
        self._connection = threading.Lock()  # one unit at a time on the shared connection
        self._guard = threading.Lock()  # for the two fields below
        self._waiting = 0
        self._batch: _Batch | None = None
        self._inside = threading.local()
        # Figures for tests and benchmarks: shared commits made, the units they held, and the
        # units that came when nobody else was there and committed on their own.
        self.commits = 0
        self.grouped = 0
        self.solo = 0

    def run(self, work: Work[T]) -> T:
        """Run `work(uow)` in the open shared transaction; its result once that committed."""
        if getattr(self._inside, "yes", False):
            # It would wait for the connection its own thread holds.
            raise RuntimeError("a grouped unit of work cannot run another one inside it")
        with self._guard:
            self._waiting += 1
        with self._connection:
            with self._guard:
                self._waiting -= 1
                behind = self._waiting
            if self._batch is None and not behind:
                # Nobody to share with: a transaction of its own costs less than a shared one
                # (no savepoints), and still runs while the others wait their turn.
                return self._solo(work)
            batch = self._batch or self._open()
            if batch is not None:
                self._inside.yes = True
                try:
                    member = self._attempt(batch, work)
                finally:
                    self._inside.yes = False
                self._close_if_due(batch)
        if batch is None:
            return self.run_alone(work)
        batch.done.wait()
        if not batch.committed:
            return self.run_alone(work)
        member.uow.settle()
        if member.error is not None:
            raise member.error
        return member.result  # type: ignore[return-value]

    def _solo(self, work: Work[T]) -> T:
        self._inside.yes = True
        try:
            self.solo += 1
            return self.run_alone(work)
        finally:
            self._inside.yes = False

    def run_alone(self, work: Work[T]) -> T:
        """Run `work` in a transaction of its own, as without grouping."""
        with self._alone() as uow:
            return work(uow)

    def _open(self) -> _Batch | None:
        turns = write_turns(self.engine)
        if turns is not None:
            turns.step_aside()  # a scheduled job waiting to write goes first
        try:
            connection = self.engine.connect()
        except Exception:  # noqa: BLE001 - the unit runs alone and meets the same trouble there
            return None
        try:
            connection.begin()
            if connection.dialect.name == "sqlite":
                # The write lock now, not at the first write: reads taken before another
                # connection's commit could not be followed by a write of ours (SQLITE_BUSY).
                connection.exec_driver_sql("BEGIN IMMEDIATE")
        except Exception:  # noqa: BLE001 - as above
            connection.close()
            return None
        self._batch = _Batch(connection, time.monotonic())
        return self._batch

    def _attempt(self, batch: _Batch, work: Work) -> _Member:
        session = Session(bind=batch.connection, join_transaction_mode="create_savepoint",
                          expire_on_commit=False)
        uow = self._unit_on(session)
        uow.shared = True
        member = _Member(uow)
        batch.members.append(member)
        try:
            member.result = work(uow)
        except BaseException as exc:  # noqa: BLE001 - it is raised in the caller, after the commit
            member.error = exc
        try:
            uow.rollback()  # what the unit did not commit is undone, as when a unit ends
        except Exception:  # noqa: BLE001 - the shared transaction is in an unknown state
            batch.broken = True
        finally:
            session.close()
        return member

    def _close_if_due(self, batch: _Batch) -> None:
        with self._guard:
            waiting = self._waiting
        full = len(batch.members) >= self.limit
        late = time.monotonic() - batch.opened >= self.max_wait
        if waiting and not (full or late or batch.broken):
            return  # the next one in will close it
        self._batch = None
        try:
            if batch.broken:
                batch.connection.rollback()
            else:
                batch.connection.commit()
                batch.committed = True
                self.commits += 1
                self.grouped += len(batch.members)
        except Exception as exc:  # noqa: BLE001 - each unit is run again alone
            log.warning("db.group_commit_failed units=%d error=%s", len(batch.members),
                        type(exc).__name__)
        finally:
            if not batch.committed:
                # Never back to the pool: after a failed COMMIT the driver's transaction may
                # still be open, and the next user's commit would commit it too.
                batch.connection.invalidate()
            for member in batch.members:
                if not batch.committed:
                    member.uow.discard()
            try:
                batch.connection.close()
            finally:
                batch.done.set()
