"""Worker threads for database work, as many as the database can put to use.

Adapters run every command in a worker thread, so their event loop stays free to
acknowledge within the platforms' three seconds. SQLite lets one writer in at a time:
beyond a few threads, more only wait for its lock (and for the GIL) and answer later.
PostgreSQL overlaps its round trips, so more threads help, up to the connection pool
(10 + 20 in campaigns/core/db.py).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

SQLITE_THREADS = 2
POSTGRESQL_THREADS = 8
# Threads that run batches of commands (bots/runtime/lane.py): on SQLite one, as it has one
# writer; on PostgreSQL a few, so one batch's round trips overlap another's work.
SQLITE_LANES = 1
POSTGRESQL_LANES = 3


def database_threads(database_url: str) -> int:
    """How many threads run database work for this database."""
    return SQLITE_THREADS if database_url.startswith("sqlite") else POSTGRESQL_THREADS


def database_pool(database_url: str, name: str) -> ThreadPoolExecutor:
    """A pool of `database_threads` threads, named for the adapter that runs them."""
    return ThreadPoolExecutor(database_threads(database_url), name)


def lane_threads(database_url: str) -> int:
    """How many threads run batches of commands for this database."""
    return SQLITE_LANES if database_url.startswith("sqlite") else POSTGRESQL_LANES
