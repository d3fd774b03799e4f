"""`concerted key rotate`: every campaign key wrapped under a new master key, atomically.

The steps are ordered so that stopping at any moment loses nothing:

1. the new key is written beside the old one (`concerted.key.new`) and synced to disk;
2. one database transaction re-wraps every campaign key under it, and stores
   its check value and the pseudonym keys (workspaces, dashboard tokens) wrapped
   under it;
3. the new file is renamed over the old one.

Until step 2 commits, the database and the old key file still belong together
and the new file is never used. Once it has committed, the new file holds the
key the database names: any start, or a second rotation, finishes step 3
(`campaigns.core.privacy.finish_rotation`). Concerted must not be running: a
running bot keeps the old key in memory and would wrap new campaigns with it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bots.runtime import preflight
from bots.runtime.preflight import StartProblem
from campaigns.core import db
from campaigns.core.models import Campaign, Meta
from campaigns.core.privacy import (
    MasterKey,
    finish_rotation,
    pending_key_path,
    read_master_key,
    write_key_file,
)
from settings import Settings

# Called with the name of each step once it is done ("written", "rewrapped" before the
# commit, "committed", "swapped"): tests stop the rotation there.
Steps = Callable[[str], None]


@dataclass(frozen=True)
class Rotated:
    key_file: Path
    campaigns: int


def rotate_master_key(settings: Settings, *, after: Steps = lambda step: None) -> Rotated:
    """Replace the master key in `settings.key_file`; refuses with StartProblem, changing nothing."""
    state = preflight.database(settings.database_url)
    if not state.exists or not state.key_check:
        raise StartProblem("operator/key_nothing_to_rotate.j2", {"where": state.where})
    if state.revision != db.head_revision():
        raise StartProblem("operator/key_needs_upgrade.j2", {"revision": state.revision})
    path = Path(settings.key_file)
    finish_rotation(path, state.key_check)  # one that stopped after its switch ends first
    preflight.key_file(path, state)
    engine = db.make_engine(settings.database_url)
    try:
        current = read_master_key(path, db.stored_meta(engine, db.PSEUDONYMS))
        successor, raw = MasterKey.successor(current)
        pending = pending_key_path(path)
        pending.unlink(missing_ok=True)  # one that stopped before its switch: never used
        write_key_file(pending, raw)
        _sync_folder(path.parent)
        after("written")
        count = _rewrap_all(engine, current, successor, after)
        after("committed")
        os.replace(pending, path)
        _sync_folder(path.parent)
        after("swapped")
        _checkpoint(engine)
    finally:
        engine.dispose()
    return Rotated(path, count)


def _rewrap_all(engine: Engine, current: MasterKey, successor: MasterKey, after: Steps) -> int:
    with Session(engine) as session:
        campaigns = session.exec(
            select(Campaign).where(Campaign.wrapped_key.is_not(None)).with_for_update()
        ).all()
        for campaign in campaigns:
            campaign.wrapped_key = current.rewrap(campaign.wrapped_key, successor)
            session.add(campaign)
        _remember(session, db.PSEUDONYMS, successor.wrapped_pseudonyms())
        _remember(session, db.KEY_CHECK, successor.check)
        session.flush()
        after("rewrapped")
        session.commit()
        return len(campaigns)


def _remember(session: Session, key: str, value: str) -> None:
    row = session.get(Meta, key) or Meta(key=key, value=value)
    row.value = value
    session.add(row)


def _sync_folder(folder: Path) -> None:
    # A rename is durable only once the folder that holds it is synced.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _checkpoint(engine: Engine) -> None:
    # The old wraps are overwritten in the database file; the log still holds their pages.
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
