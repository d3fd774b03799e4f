"""On SQLite, a scheduled job's write goes before the next batch: bulk writers step aside."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from campaigns.core import db
from campaigns.core.write_turns import write_turns


@pytest.fixture
def engine(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    yield engine
    engine.dispose()


def _in_thread(work) -> threading.Thread:
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def test_a_jobs_write_holds_bulk_writers_back_until_its_transaction_ends(engine):
    turns = write_turns(engine)
    with turns.for_jobs(), engine.connect() as conn:
        conn.execute(text("SELECT count(*) FROM t"))
        assert turns.writing == 0  # reading is not writing
        conn.execute(text("INSERT INTO t VALUES (1)"))
        conn.execute(text("INSERT INTO t VALUES (2)"))
        assert turns.writing == 1  # once per transaction
        stepped = threading.Event()
        waiter = _in_thread(lambda: (turns.step_aside(), stepped.set()))
        assert not stepped.wait(0.3)
        conn.commit()
        assert stepped.wait(5)
        waiter.join()
    assert turns.writing == 0 and turns.waits == 1


def test_other_threads_writes_are_not_waited_for(engine):
    turns = write_turns(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
        assert turns.writing == 0
        started = time.monotonic()
        turns.step_aside()
        assert time.monotonic() - started < 0.2


def test_a_rolled_back_or_dropped_write_ends_too(engine):
    turns = write_turns(engine)
    with turns.for_jobs():
        with engine.connect() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
            conn.rollback()
            assert turns.writing == 0
        dropped = engine.connect()
        dropped.execute(text("INSERT INTO t VALUES (2)"))
        assert turns.writing == 1
        dropped.invalidate()  # as when the database goes away under it
        assert turns.writing == 0
        with engine.connect() as conn:
            conn.execute(text("INSERT INTO t VALUES (3)"))
        # Closed without a commit: rolled back, and no longer a write under way.
        assert turns.writing == 0


def test_a_stuck_job_holds_a_bulk_writer_back_for_max_wait_at_most(engine):
    turns = write_turns(engine)
    turns.max_wait = 0.2
    waited: list[float] = []

    def bulk_writer() -> None:
        started = time.monotonic()
        turns.step_aside()
        waited.append(time.monotonic() - started)

    with turns.for_jobs(), engine.connect() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
        _in_thread(bulk_writer).join(5)
        conn.rollback()
    assert waited and 0.15 < waited[0] < 2


def test_a_jobs_write_gets_the_lock_between_back_to_back_batches(engine):
    """The failure seen under overload: a writer that polls for the lock while another keeps it
    almost all the time. Here the job's busy timeout is short (0.5 s, not 30 s)."""
    turns = write_turns(engine)
    stop = threading.Event()
    batches = []

    def batch_after_batch() -> None:
        while not stop.is_set():
            turns.step_aside()
            with engine.connect() as conn:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                conn.execute(text("INSERT INTO t VALUES (0)"))
                time.sleep(0.01)  # a batch's work, holding the write lock
                conn.commit()
            batches.append(1)

    hammer = _in_thread(batch_after_batch)
    try:
        while len(batches) < 5:
            time.sleep(0.01)
        for _ in range(5):
            with turns.for_jobs(), engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA busy_timeout=500")
                try:
                    conn.execute(text("UPDATE t SET n = 1 WHERE n = 0"))
                    conn.commit()
                finally:
                    conn.exec_driver_sql("PRAGMA busy_timeout=30000")
        before = len(batches)
        time.sleep(0.1)
        assert len(batches) > before  # and the batches go on afterwards
    except OperationalError as exc:  # pragma: no cover - the failure this guards against
        pytest.fail(f"the job's write was starved: {exc.orig}")
    finally:
        stop.set()
        hammer.join()
    assert turns.waits >= 1


def test_a_job_never_steps_aside_for_its_own_write(engine):
    turns = write_turns(engine)
    with turns.for_jobs(), engine.connect() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
        started = time.monotonic()
        turns.step_aside()
        assert time.monotonic() - started < 0.2 and turns.waits == 0
        conn.commit()
