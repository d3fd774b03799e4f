"""Attack: copy the SQLite files of a running bot after someone left or withdrew, and find their
sealed contact, sealed name and member_ref still in the `-wal` file (or the database file)."""

import pytest

from tests.privacy.conftest import one, requires_sqlite, where_found

pytestmark = requires_sqlite

SETUP = """
    alice: /campaign create ethics --headcount 400
    alice: /pledge create ethics --text "We will not build tools for nudify apps"
    bob: /pledge sign ethics --named
    carol: /pledge sign ethics --conditional
"""


def traces_of(app, member_id: int) -> list[bytes]:
    """Everything stored that points at the member: their ref, sealed contact, sealed names."""
    ref = one(app.engine, "SELECT member_ref FROM member WHERE id = :m", m=member_id)
    contact = one(app.engine, "SELECT contact_sealed FROM member WHERE id = :m", m=member_id)
    name = one(app.engine, "SELECT name_sealed FROM signature WHERE member_id = :m", m=member_id)
    return [ref.encode(), bytes(contact), bytes(name)]


@pytest.mark.parametrize("erase, member_id, gone", [
    ("bob: /campaign leave ethics", 2, [0, 1, 2]),
    ("bob: /pledge withdraw ethics", 2, [2]),
    ("bob: /pledge sign ethics", 2, [2]),
    ("carol: /pledge withdraw ethics", 3, [2]),
    ("alice: /campaign archive ethics --confirm", 3, [0, 1, 2]),
], ids=["leave", "withdraw", "switch-to-anonymous", "withdraw-conditional", "archive"])
def test_deleted_personal_data_leaves_the_wal_and_the_database_file_within_seconds(
        console, app, erase, member_id, gone):
    console.run(SETUP)
    traces = traces_of(app, member_id)
    needles = [traces[i] for i in gone]
    assert where_found(app.engine, needles, within=0), "the traces are on disk before"

    console.run(erase)

    assert where_found(app.engine, needles, within=5.0) == {}


def test_a_read_inbox_leaves_no_notice_behind(console, app):
    console.run("""
        alice: /campaign create ethics --headcount 400
        alice: /campaign liaison add ethics @bob
    """)
    body = bytes(one(app.engine, "SELECT body_sealed FROM notice"))
    assert where_found(app.engine, [body], within=0)

    console.run("bob: /campaign inbox")

    assert where_found(app.engine, [body], within=5.0) == {}
