"""The database: engine with the SQLite pragmas privacy needs, and Alembic upgrades."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, create_engine, select

from campaigns.core.models import Campaign, Meta
from campaigns.core.privacy import MasterKey
from campaigns.core.wal import watch_erasures
from campaigns.core.write_turns import WriteTurns

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
KEY_CHECK = "master_key_check"
# Once the master key was rotated: the first key's pseudonym keys, wrapped under the current one.
PSEUDONYMS = "pseudonym_keys"


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, secure_delete and foreign keys on every connection."""
    if url.startswith("sqlite"):
        _create_private(make_url(url).database)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            # Kept open: closing the last connection to a WAL database checkpoints it to disk,
            # which made every command wait on the disk (bench/slack_http.py).
            poolclass=QueuePool, pool_size=10, max_overflow=20,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        watch_erasures(engine)
        # One write lock: a scheduled job's write goes before the next batch of signatures.
        WriteTurns().install(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _create_private(path: str | None) -> None:
    # Only the bot's user may read the file; SQLite gives its -wal and -shm files the same mode.
    if path and path != ":memory:" and not os.path.exists(path):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # secure_delete overwrites deleted text instead of leaving it in free pages.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    # When the log restarts after a checkpoint it is cut back to nothing, so stale frames
    # (old versions of rows) do not linger past their overwritten start.
    cursor.execute("PRAGMA journal_size_limit=0")
    cursor.close()


def alembic_config(engine: Engine, keys: MasterKey | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    # Data migrations that re-seal rows (0009) need the master key; it never touches disk here.
    config.attributes["keys"] = keys
    return config


@cache
def _scripts() -> ScriptDirectory:
    # The migrations ship with the code: read once per process.
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def head_revision() -> str:
    """The newest schema version these migrations know."""
    return _scripts().get_current_head() or ""


def revisions() -> list[tuple[str, str]]:
    """Every schema version with its one-line description, newest first."""
    return [(script.revision, (script.doc or "").strip().splitlines()[0] if script.doc else "")
            for script in _scripts().walk_revisions()]


def upgrade(engine: Engine, keys: MasterKey | None = None) -> None:
    """Create or upgrade the schema to the newest migration, re-sealing rows with `keys`."""
    if current_revision(engine) == head_revision():
        # Nothing to run. Alembic would still load every migration file to find that out,
        # on every start (and for every test's app).
        return
    command.upgrade(alembic_config(engine, keys), "head")


def current_revision(engine: Engine) -> str | None:
    """The schema version the database is at; None before the first migration."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def stored_key_check(engine: Engine) -> str | None:
    return stored_meta(engine, KEY_CHECK)


def stored_meta(engine: Engine, key: str) -> str | None:
    """An installation fact from the `meta` table, if the table and the fact exist."""
    if not inspect(engine).has_table("meta"):
        return None
    with Session(engine) as session:
        row = session.get(Meta, key)
        return row.value if row else None


def has_campaigns(engine: Engine) -> bool:
    if not inspect(engine).has_table("campaign"):
        return False
    with Session(engine) as session:
        return session.exec(select(Campaign.id).limit(1)).first() is not None


def remember_key_check(engine: Engine, check: str) -> None:
    with Session(engine) as session:
        if session.get(Meta, KEY_CHECK) is None:
            session.add(Meta(key=KEY_CHECK, value=check))
            session.commit()
