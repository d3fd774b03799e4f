"""Upgrading a database sealed before values were bound to their place: migration 0009 re-seals
every row with the master key, after which the old, movable form is gone and every flow reads."""

import importlib.util
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from bots.runtime.bootstrap import build
from campaigns.core import db
from campaigns.core.privacy import _seal
from tests.e2e.console.test_petition_console import DRAFT, SETUP
from tests.privacy.conftest import read_sql

_PATH = Path(db.MIGRATIONS) / "versions" / "0009_bound_seals_coarse_time.py"
_SPEC = importlib.util.spec_from_file_location("migration_0009", _PATH)
migration = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(migration)

SCENARIO = """
    bob: /campaign team ethics risk
    carol: /grievance ethics --text "The on-call rota leaves no rest between shifts." --solve
    lia: /liaison reply 1 Noted, thank you.
    lia: /liaison point ethics "Rest between shifts is under 11 hours."
    alice: /pledge create ethics --text "We will not build tools for nudify apps"
    nadia: /pledge sign ethics --named
    dave: /pledge sign ethics --conditional
"""
READS = """
    alice: /campaign info ethics
    alice: /pledge signers ethics
    alice: /pledge status ethics
    lia: /liaison queue ethics
    lia: /liaison show 1
    bob: /campaign points ethics
"""


def to_legacy(app) -> int:
    """Seal every value back the way releases before 0009 did: bound to `table.column` only."""
    turned = 0
    with app.engine.begin() as connection:
        keys = {cid: app.keys.vault(w, cid) for cid, w in connection.execute(
            text("SELECT id, wrapped_key FROM campaign WHERE wrapped_key IS NOT NULL"))}
        for table, column, old, new, row_of in migration._SEALED:
            owner = "t.id" if table == "campaign" else "t.campaign_id"
            rows = connection.execute(text(
                f"SELECT t.*, {owner} AS owner_campaign FROM {table} t"
                f" WHERE t.{column} IS NOT NULL")).mappings().all()
            for row in rows:
                vault = keys[row["owner_campaign"]]
                plain = vault.open(row[column], new, row_of(row))
                blob = _seal(vault._seal_key, plain.encode(), old)
                connection.execute(text(f"UPDATE {table} SET {column} = :b WHERE id = :i"),
                                   {"b": blob, "i": row["id"]})
                turned += 1
    return turned


def test_rows_sealed_before_0009_read_the_same_after_it(settings, clock, notifier, console, app):
    from tests.conftest import ScriptedConsole

    console.run(SETUP)
    console.run(DRAFT)
    console.run(SCENARIO)
    before = console.run(READS)
    assert to_legacy(app) >= 15
    app.close()
    command.downgrade(db.alembic_config(app.engine), "0006")

    with pytest.raises(RuntimeError, match="needs the master key"):
        db.upgrade(app.engine)

    again = build(settings, clock=clock, notifier=notifier, realtime=False, logging_setup=False)
    try:
        after = ScriptedConsole(again, clock, notifier).run(READS)
        assert after == before
        assert "unreadable" not in after and "changed outside Concerted" not in after
        version = read_sql(again.engine, "SELECT version_num FROM alembic_version")[0][0]
        assert version == db.head_revision()
    finally:
        again.close()
