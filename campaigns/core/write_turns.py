"""On SQLite, a scheduled job waiting to write goes before the next batch of signatures.

SQLite has one write lock, and a connection that finds it taken polls: it
sleeps a little, tries again, and gives up with "database is locked" after
the busy timeout (30 s here). In a burst the lane (and group commit) start
one transaction the moment the previous one commits, so the lock is free only
for instants, and a poller can miss every one of them. Seen under
`bench/slack_wrk.py --overload`: the scheduler's own write to its job store
waited the whole 30 s, failed, and took the scheduler's thread down with it.

Here a thread that runs scheduled work (`for_jobs()`) says so when its
transaction first writes; the bulk writers call `step_aside()` before their
next transaction and wait until that transaction ends, `max_wait` at most,
so one stuck job cannot hold up signatures for long. Only the job's writes
are waited for, never its reads: the digest job reads for half an hour.
PostgreSQL locks rows, not the database, and needs none of this.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine

_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|BEGIN)\b", re.IGNORECASE)
_KEY = "concerted_job_writing"


class WriteTurns:
    """Who waits for whom at SQLite's write lock: bulk writers step aside for a job's write."""

    def __init__(self, max_wait: float = 1.0):
        self.max_wait = max_wait
        self._changed = threading.Condition()
        self._writing = 0  # job transactions that have written and not yet ended
        self._local = threading.local()
        # Figures for tests and benchmarks: how often a bulk writer waited for a job.
        self.waits = 0

    @contextmanager
    def for_jobs(self) -> Iterator[None]:
        """Mark this thread's writes, while inside, as a scheduled job's."""
        before = getattr(self._local, "job", False)
        self._local.job = True
        try:
            yield
        finally:
            self._local.job = before

    def step_aside(self) -> None:
        """Before a bulk writer's next transaction: wait while a job's write is under way."""
        if getattr(self._local, "job", False):
            return  # a job never waits for jobs: it might be waiting for its own write
        with self._changed:
            if self._writing:
                self.waits += 1
                self._changed.wait_for(lambda: not self._writing, self.max_wait)

    @property
    def writing(self) -> int:
        return self._writing

    def install(self, engine: Engine) -> WriteTurns:
        """Watch `engine`'s statements and transaction ends; `engine.write_turns` is this."""
        event.listen(engine, "before_cursor_execute", self._before_execute)
        event.listen(engine, "commit", self._ended)
        event.listen(engine, "rollback", self._ended)
        # A connection dropped or handed back without either event still ends the write.
        event.listen(engine.pool, "checkin", self._record_ended)
        event.listen(engine.pool, "invalidate", self._record_ended)
        engine.write_turns = self
        return self

    def _before_execute(self, conn, _cursor, statement, _parameters, _context,
                        _executemany) -> None:
        if not getattr(self._local, "job", False) or conn.info.get(_KEY):
            return
        if _WRITES.match(statement):
            conn.info[_KEY] = True
            with self._changed:
                self._writing += 1

    def _ended(self, conn) -> None:
        self._end(conn.info)

    def _record_ended(self, _dbapi_connection, record, *_rest) -> None:
        if record is not None:
            self._end(record.info)

    def _end(self, info: dict) -> None:
        if info.pop(_KEY, False):
            with self._changed:
                self._writing -= 1
                if not self._writing:
                    self._changed.notify_all()


def write_turns(engine: Engine) -> WriteTurns | None:
    """The engine's turns (SQLite), or None where writers need not take turns."""
    return getattr(engine, "write_turns", None)
