"""Helpers for attacks on a running bot: direct SQL the way a database writer without the key
would change rows, reading the database files as a thief would, and the Slack fixtures (Web
API mock, the app over ASGI) for attacks sent over Slack's HTTP."""


from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from tests.conftest import PG_ENV
from tests.e2e.slack_app.conftest import (  # noqa: F401 (fixtures)
    asgi_client,
    mock_slack,
    serve_asgi,
    slack_settings,
    workspace,
)


def write_sql(engine: Engine, statement: str, **params) -> None:
    """Change rows behind the bot's back, as someone with database access but no key."""
    with engine.begin() as connection:
        connection.execute(text(statement), params)


def read_sql(engine: Engine, statement: str, **params):
    with engine.connect() as connection:
        return connection.execute(text(statement), params).all()


def one(engine: Engine, statement: str, **params):
    rows = read_sql(engine, statement, **params)
    assert len(rows) == 1, rows
    return rows[0][0] if len(rows[0]) == 1 else rows[0]


def is_sqlite(engine: Engine) -> bool:
    return make_url(str(engine.url)).get_backend_name() == "sqlite"


def database_files(engine: Engine) -> dict[str, bytes]:
    """The SQLite database file and its write-ahead log, byte for byte, as on disk."""
    path = Path(make_url(str(engine.url)).database)
    files = {"main": path.read_bytes()}
    wal = Path(f"{path}-wal")
    files["wal"] = wal.read_bytes() if wal.exists() else b""
    return files


def where_found(engine: Engine, needles: list[bytes], *, within: float = 5.0) -> dict[str, list]:
    """Which files still hold which needles, waiting up to `within` seconds for them to go."""
    deadline = time.monotonic() + within
    while True:
        files = database_files(engine)
        found = {name: [n.hex()[:16] for n in needles if n in data] for name, data in files.items()}
        found = {name: hits for name, hits in found.items() if hits}
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


requires_sqlite = pytest.mark.skipif(
    bool(os.environ.get(PG_ENV)),
    reason="the -wal file is SQLite's; PostgreSQL's own WAL and its retention are the database "
           "operator's, outside what the bot can truncate",
)
