"""Shared fixtures: a migrated database per test (SQLite, or PostgreSQL when configured),
an app wired as in production but with a manual clock, a cheap domain for use-case tests,
and a scripted console."""

from __future__ import annotations

import io
import os
import shutil
import sys
import textwrap
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bots.console.workspace import Console, ConsoleNotifier
from bots.runtime.bootstrap import build
from campaigns.core import db
from campaigns.core.clock import ManualClock
from settings import Settings
from tests.domain import Domain

# The suite starts many Python processes (a worker per core and then some, and bots started
# as an operator would): each compiled every module again where PYTHONDONTWRITEBYTECODE is
# set. Compiled files go to __pycache__ folders (git ignores them); what each process
# compiles once, the next one reads.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

PG_ENV = "CONCERTED_TEST_DATABASE_URL"
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday morning


def postgres_url() -> str | None:
    url = os.environ.get(PG_ENV)
    return Settings(CONCERTED_DATABASE_URL=url).database_url if url else None


def _admin_engine(url: str):
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


class _Databases:
    """Hands each test a fresh, migrated database, copied from one migrated template."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.pg = postgres_url()
        self.made: list[str] = []
        if self.pg:
            self.template = f"concerted_tpl_{uuid.uuid4().hex[:10]}"
            with _admin_engine(self.pg).connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{self.template}"'))
            engine = db.make_engine(str(make_url(self.pg).set(database=self.template)))
            db.upgrade(engine)
            engine.dispose()
        else:
            self.template_file = workdir / "template.db"
            engine = db.make_engine(f"sqlite:///{self.template_file}")
            db.upgrade(engine)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()

    def fresh(self, where: Path) -> str:
        if self.pg:
            name = f"concerted_t_{uuid.uuid4().hex[:12]}"
            with _admin_engine(self.pg).connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
            self.made.append(name)
            return make_url(self.pg).set(database=name).render_as_string(hide_password=False)
        target = where / "concerted.db"
        shutil.copyfile(self.template_file, target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        if not self.pg:
            return
        name = make_url(url).database
        with _admin_engine(self.pg).connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        if self.pg:
            with _admin_engine(self.pg).connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    made = _Databases(tmp_path_factory.mktemp("db-template"))
    yield made
    made.close()


@pytest.fixture
def database_url(databases, tmp_path):
    url = databases.fresh(tmp_path)
    yield url
    databases.drop(url)


@pytest.fixture
def settings(database_url, tmp_path) -> Settings:
    return Settings(
        CONCERTED_DATABASE_URL=database_url,
        CONCERTED_KEY_FILE=tmp_path / "concerted.key",
        CONCERTED_OUTPUT_DIR=tmp_path / "out",
        # The digest's pings are spread over this window in real time; tests cannot wait 30m.
        CONCERTED_DIGEST_WINDOW="1s",
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START, frozen=True)


@pytest.fixture
def notifier() -> ConsoleNotifier:
    return ConsoleNotifier()


@pytest.fixture
def app(settings, clock, notifier):
    built = build(settings, clock=clock, notifier=notifier, realtime=False, logging_setup=False)
    yield built
    built.close()


@pytest.fixture
def domain(database_url, clock, notifier, tmp_path):
    """Units of work on a copy of the migrated database: no key file, no job store, no app."""
    made = Domain(db.make_engine(database_url), clock, notifier, tmp_path / "out")
    yield made
    made.close()


class ScriptedConsole:
    """Runs console lines and returns what was printed by them."""

    def __init__(self, app, clock, notifier):
        self.out = io.StringIO()
        self.console = Console(app, clock, notifier, out=self.out)

    def run(self, script: str) -> str:
        start = self.out.tell()
        self.console.run(textwrap.dedent(script).splitlines())
        return self.out.getvalue()[start:]


@pytest.fixture
def console(app, clock, notifier) -> ScriptedConsole:
    return ScriptedConsole(app, clock, notifier)


def requires_postgres():
    """Skip, saying why, when no PostgreSQL is configured for the tests."""
    return pytest.mark.skipif(
        not os.environ.get(PG_ENV),
        reason=f"needs PostgreSQL: set {PG_ENV}=postgresql+psycopg://postgres@127.0.0.1:5432/test",
    )


def pytest_collection_modifyitems(config, items) -> None:
    """Tests marked slow go first: run in parallel, a long test begun last would leave the
    other workers idle while it finishes. The rest keep their order."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_xdist_auto_num_workers(config) -> int:
    """Twice the cores: much of the suite waits (on subprocesses, sockets, a browser), and
    a second worker per core fills that time; more only adds start-up cost. At most eight,
    so that a large machine does not run PostgreSQL out of connections."""
    return min(2 * (os.cpu_count() or 1), 8)


_STARTED: list[float] = []


def pytest_sessionstart(session) -> None:
    _STARTED.append(time.monotonic())


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """The suite's wall time in a line of its own, for CI's log (the install not included)."""
    if hasattr(config, "workerinput") or not _STARTED:
        return
    workers = config.getoption("numprocesses", None) or 0
    terminalreporter.write_line(
        f"== suite wall time: {time.monotonic() - _STARTED[0]:.0f} s, "
        f"{workers or 'no'} worker processes on {os.cpu_count()} cores")
