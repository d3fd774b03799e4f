"""Deleted means gone from SQLite's write-ahead log too.

`secure_delete` overwrites deleted rows in the database file, but every
version of a page written since the last checkpoint stays in the `-wal` file
until about a thousand later page writes or a shutdown. After any statement
that deletes rows or clears a column (leave, withdraw, switching to anonymous,
expiry, purge, archive, reading the inbox), a background thread checkpoints
the log with TRUNCATE once the transaction is over, retrying for a few seconds
if a reader holds it back.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import event
from sqlalchemy.engine import Engine

log = logging.getLogger("concerted.wal")

_ERASED = "concerted.erased"
DEBOUNCE = 0.2  # seconds: one checkpoint for a burst of deletions
RETRY_FOR = 10.0  # seconds a busy log is retried before giving up until the next deletion


# Tables that hold nothing about anyone (hashes of requests seen, for replay protection):
# deleting their rows leaves nothing to scrub, and they are deleted on every request.
_NOTHING_PERSONAL = ("seen_request",)


def is_erasure(statement: str, parameters: object) -> bool:
    """Whether a statement deletes rows or sets a column to NULL: old bytes to scrub."""
    verb = statement.lstrip()[:6].upper()
    if verb == "DELETE":
        return _table_after(statement, "FROM") not in _NOTHING_PERSONAL
    if verb != "UPDATE":
        return False
    if "NULL" in statement.upper().split(" WHERE ")[0]:
        return True
    rows = parameters if isinstance(parameters, list) else [parameters]
    for row in rows:
        values = row.values() if isinstance(row, dict) else (row or ())
        if any(value is None for value in values):
            return True
    return False


def _table_after(statement: str, keyword: str) -> str:
    words = statement.split()
    upper = [word.upper() for word in words]
    at = upper.index(keyword) + 1 if keyword in upper else len(words)
    return words[at].strip('"').lower() if at < len(words) else ""


class WalScrubber:
    """Checkpoints (TRUNCATE) an engine's WAL soon after deletions were committed."""

    def __init__(self, engine: Engine):
        self._engine = engine
        self._lock = threading.Lock()
        self._pending = False
        self._thread: threading.Thread | None = None
        self.scrubbed = 0  # completed checkpoints, for tests and benchmarks

    def request(self) -> None:
        """Ask for a checkpoint; one thread at a time does it and then ends."""
        with self._lock:
            self._pending = True
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="wal-scrubber",
                                                daemon=True)
                self._thread.start()

    def close(self, timeout: float = RETRY_FOR) -> None:
        """Wait for a scrub in progress, so shutdown never leaves deleted bytes behind."""
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def scrub(self) -> bool:
        """Checkpoint now; True if every frame reached the database file and the log is empty."""
        with self._engine.connect() as connection:
            busy, _frames, _done = connection.exec_driver_sql(
                "PRAGMA wal_checkpoint(TRUNCATE)").one()
        return busy == 0

    def _run(self) -> None:
        deadline = time.monotonic() + RETRY_FOR
        while True:
            time.sleep(DEBOUNCE)
            with self._lock:
                self._pending = False
            try:
                done = self.scrub()
            except Exception:  # noqa: BLE001 - a closed engine or a locked file: try again later
                done = False
            if done:
                self.scrubbed += 1
            with self._lock:
                if (done and not self._pending) or time.monotonic() > deadline:
                    if not done:
                        log.warning("wal.checkpoint_busy")
                    self._thread = None
                    return


def watch_erasures(engine: Engine) -> WalScrubber:
    """Note deleting statements per connection; scrub once the connection is handed back."""
    scrubber = WalScrubber(engine)

    def before_execute(conn, _cursor, statement, parameters, _context, _many) -> None:
        if is_erasure(statement, parameters):
            conn.connection.info[_ERASED] = True

    def checkin(dbapi_connection, record) -> None:
        # Handed back to the pool: its transaction is over (committed or rolled back).
        if record is not None and record.info.pop(_ERASED, False):
            scrubber.request()

    event.listen(engine, "before_cursor_execute", before_execute)
    event.listen(engine.pool, "checkin", checkin)
    # The engine carries its scrubber so tests and shutdown can reach it without module state.
    engine.wal_scrubber = scrubber
    return scrubber
