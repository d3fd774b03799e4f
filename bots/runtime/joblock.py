"""One job runner among many processes: whoever holds a PostgreSQL advisory lock.

Each process tries `pg_try_advisory_lock` on a connection of its own. The one
that gets it keeps that connection open for as long as it lives and runs the
jobs; the others keep their schedulers paused and try again every few
seconds. If the runner dies, PostgreSQL ends its session, the lock frees, and
the next process to try takes over. Advisory locks belong to one database, so
two deployments on one server do not block each other.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

log = logging.getLogger("concerted.joblock")

# "Concerte" in ASCII: an arbitrary key that no other advisory lock user of ours picks.
LOCK_KEY = 0x436F6E6365727465
# A runner whose machine vanishes without closing its socket is noticed within about a minute.
_KEEPALIVE = ("SET tcp_keepalives_idle = 20", "SET tcp_keepalives_interval = 5",
              "SET tcp_keepalives_count = 4")


def needs_job_lock(engine: Engine) -> bool:
    """Several processes may share a PostgreSQL database; SQLite is assumed to have one."""
    return engine.dialect.name == "postgresql"


class JobLock:
    """Takes the lock when it can, notices when it is lost, and says so through callbacks."""

    def __init__(self, engine: Engine, *, on_gain: Callable[[], None],
                 on_lose: Callable[[], None], on_tick: Callable[[], None], every: float):
        self._engine = create_engine(engine.url, poolclass=NullPool)
        self._on_gain, self._on_lose, self._on_tick = on_gain, on_lose, on_tick
        self._every = every
        self._held: Connection | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._said_standby = False

    @property
    def held(self) -> bool:
        return self._held is not None

    def start(self) -> None:
        """Try once now, then keep trying (or keep checking the lock) in a background thread."""
        self._tick()
        self._thread = threading.Thread(target=self._loop, name="concerted-job-lock",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop trying and give the lock back by closing its connection."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=max(self._every * 2, 5))
        self._release()
        self._engine.dispose()

    def _loop(self) -> None:
        while not self._stop.wait(self._every):
            try:
                self._tick()
            except Exception as exc:  # noqa: BLE001 - the thread must outlive any one failure
                log.warning("jobs.lock_check_failed error=%s", type(exc).__name__)

    def _tick(self) -> None:
        if self._held is not None and not self._still_held():
            self._release()
            log.warning("jobs.lock_lost")
            self._on_lose()
        if self._held is None and self._acquire():
            log.info("jobs.lock_taken")
            self._on_gain()
        elif self._held is None and not self._said_standby:
            self._said_standby = True
            log.info("jobs.standby")
        if self._held is not None:
            self._on_tick()

    def _acquire(self) -> bool:
        try:
            connection = self._engine.connect()
        except SQLAlchemyError as exc:
            log.warning("jobs.lock_unreachable error=%s", type(exc).__name__)
            return False
        try:
            for setting in _KEEPALIVE:
                connection.execute(text(setting))
            got = connection.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                     {"key": LOCK_KEY}).scalar()
            # Commit so the session sits idle, not idle in a transaction; the lock is the
            # session's and outlives the transaction.
            connection.commit()
        except SQLAlchemyError as exc:
            log.warning("jobs.lock_unreachable error=%s", type(exc).__name__)
            connection.close()
            return False
        if not got:
            connection.close()
            return False
        self._held = connection
        return True

    def _still_held(self) -> bool:
        try:
            self._held.execute(text("SELECT 1")).scalar()
            self._held.commit()
            return True
        except SQLAlchemyError:
            return False

    def _release(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            with contextlib.suppress(SQLAlchemyError):
                held.close()
