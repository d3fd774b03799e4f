"""Attack: a database writer without the key sets `grievance.revealed_at` (or re-points a revealed
item at someone else) so the liaison queue names an author who never chose to be named."""

from tests.privacy.conftest import one, write_sql

SETUP = """
    alice: /campaign create ethics --headcount 40
    alice: /campaign liaison add ethics @bob
    carol: /campaign join ethics
    dan: /campaign join ethics
    carol: /grievance ethics --text "The on-call rota leaves no rest between shifts." --solve
    dan: /grievance ethics --text "The night shift has no quiet room for breaks." --vent
"""
UNREADABLE = "unreadable (this entry was changed outside Concerted and is not shown)"


def test_revealed_at_set_without_the_key_shows_unreadable_never_the_authors_name(console, app):
    console.run(SETUP)
    write_sql(app.engine, "UPDATE grievance SET revealed_at = :now", now=app.clock.now())
    console.run(":advance 1h")  # items and reveals reach the queue with the next snapshot

    queue = console.run("bob: /liaison queue ethics")
    item = console.run("bob: /liaison show 1")

    assert "carol" not in queue and "dan" not in queue
    assert "carol" not in item
    assert f"show you their name: {UNREADABLE}" in queue
    assert "rota leaves no rest" in queue, "the rest of the queue still reads"


def test_a_revealed_item_re_pointed_at_another_author_does_not_name_them(console, app):
    console.run(SETUP)
    ref = one(app.engine, "SELECT ref FROM grievance WHERE id = 1")
    console.run(f"carol: /grievance reveal {ref} --confirm")
    console.run(":advance 1h")  # items and reveals reach the queue with the next snapshot
    assert "carol" in console.run("bob: /liaison show 1"), "a real reveal names its author"

    # Copy carol's proof of consent onto dan's item, and dan's item onto carol's member row.
    mac = one(app.engine, "SELECT reveal_mac FROM grievance WHERE id = 1")
    carol = one(app.engine, "SELECT member_id FROM grievance WHERE id = 1")
    dan = one(app.engine, "SELECT member_id FROM grievance WHERE id = 2")
    write_sql(app.engine, "UPDATE grievance SET revealed_at = :now, reveal_mac = :mac WHERE id = 2",
              now=app.clock.now(), mac=mac)
    shown = console.run("bob: /liaison show 2")
    assert "dan" not in shown and UNREADABLE in shown

    write_sql(app.engine, "UPDATE grievance SET member_id = :carol WHERE id = 2", carol=carol)
    shown = console.run("bob: /liaison show 2")
    assert "carol" not in shown and UNREADABLE in shown
    assert dan != carol
