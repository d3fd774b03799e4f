"""Checks made before anything is created: a refused start leaves no database, key or folder.

Each problem is one sentence from `templates/operator/`, naming the
setting to change; `concerted check` runs every check and says what `run`
would start.
"""

from __future__ import annotations

import hmac
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from campaigns.core.db import KEY_CHECK
from campaigns.core.errors import KeyFileProblem
from campaigns.core.privacy import pending_key_path, read_master_key
from settings import Settings

_CONNECT_SECONDS = 5


@dataclass
class StartProblem(Exception):
    """Something in the settings or on disk stops Concerted from starting."""

    template: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class DatabaseState:
    kind: str  # "sqlite" | "postgresql"
    where: str  # the file, or host:port/database (never a password)
    exists: bool
    revision: str | None
    key_check: str | None = None
    has_campaigns: bool = False


def mode_settings(settings: Settings) -> None:
    """Refuse a half-configured chat platform instead of quietly opening the console."""
    slack = {"SLACK_BOT_TOKEN": settings.slack_bot_token,
             "SLACK_APP_TOKEN": settings.slack_app_token,
             "SLACK_SIGNING_SECRET": settings.slack_signing_secret}
    given = [name for name, value in slack.items() if value]
    if not given or settings.platform == "slack":
        return
    if not settings.slack_bot_token:
        raise StartProblem("operator/slack_needs_bot_token.j2", {"given": given})
    raise StartProblem("operator/slack_needs_mode.j2", {})


def console_script(path: Path | None) -> None:
    """A script given to `concerted console` must be a readable file."""
    if path is None:
        return
    if not path.exists():
        raise StartProblem("operator/script_missing.j2", {"path": str(path)})
    if not path.is_file():
        raise StartProblem("operator/script_not_a_file.j2", {"path": str(path)})
    if not os.access(path, os.R_OK):
        raise StartProblem("operator/script_unreadable.j2", {"path": str(path)})


def _nearest_existing(path: Path) -> Path:
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _writable_place(path: Path) -> bool:
    """The folder is writable, or could be created where it would go."""
    existing = _nearest_existing(path)
    if not existing.is_dir():
        return False
    # Permission bits do not tell root about read-only mounts: try, leaving nothing behind.
    try:
        with tempfile.TemporaryFile(dir=existing):
            return True
    except OSError:
        return False


def output_dir(path: Path) -> bool:
    """Letters and charts can be written there; True if the folder exists already."""
    if path.exists() and not path.is_dir():
        raise StartProblem("operator/output_not_a_folder.j2", {"path": str(path)})
    if not _writable_place(path):
        raise StartProblem("operator/output_unwritable.j2", {"path": str(path)})
    return path.exists()


def database(url: str) -> DatabaseState:
    """Reach the database without creating it, and read its schema revision if it has one."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        file = Path(parsed.database or "")
        if file.exists():
            if not os.access(file, os.R_OK | os.W_OK):
                raise StartProblem("operator/database_file_unusable.j2", {"path": str(file)})
        elif not _writable_place(file.parent):
            raise StartProblem("operator/database_file_unusable.j2", {"path": str(file)})
        if not file.exists():
            return DatabaseState("sqlite", str(file), False, None)
        # Read-only: a check must not turn a file into a WAL database or create -wal/-shm.
        url = f"sqlite:///file:{file.absolute()}?mode=ro&uri=true"
        where, kind = str(file), "sqlite"
    else:
        where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"
        kind = "postgresql"
    engine = create_engine(url, connect_args={} if kind == "sqlite"
                           else {"connect_timeout": _CONNECT_SECONDS})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            tables = set(inspect(conn).get_table_names())
            revision = key_check = None
            if "alembic_version" in tables:
                revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if "meta" in tables:
                key_check = conn.execute(text("SELECT value FROM meta WHERE key = :k"),
                                         {"k": KEY_CHECK}).scalar()
            has_campaigns = "campaign" in tables and conn.execute(
                text("SELECT 1 FROM campaign LIMIT 1")).first() is not None
    except SQLAlchemyError:
        raise StartProblem("operator/database_unreachable.j2",
                           {"kind": kind, "where": where}) from None
    finally:
        engine.dispose()
    return DatabaseState(kind, where, True, revision, key_check, has_campaigns)


def key_file(path: Path, state: DatabaseState) -> bool:
    """The key opens this database (True), or there is none yet and one may be made (False).

    A rotation that stopped after the database switched to the new key left
    that key beside the file; a start finishes the swap, so it counts here.
    """
    if state.key_check and _opens(pending_key_path(path), state.key_check):
        return True
    if not path.exists():
        if state.key_check or state.has_campaigns:
            raise StartProblem("errors/key_file.j2", {"reason": "missing", "path": str(path)})
        if not _writable_place(path.parent):
            raise StartProblem("operator/key_unwritable.j2", {"path": str(path)})
        return False
    try:
        key = read_master_key(path)
    except KeyFileProblem as exc:
        raise StartProblem(exc.template, exc.params) from None
    if state.key_check and not hmac.compare_digest(state.key_check, key.check):
        raise StartProblem("errors/key_file.j2", {"reason": "wrong", "path": str(path)})
    return True


def _opens(path: Path, check: str) -> bool:
    try:
        return path.exists() and hmac.compare_digest(read_master_key(path).check, check)
    except KeyFileProblem:
        return False
