"""Attack: a database writer without the key moves a sealed value to another row, column or
campaign (a grievance text to another item, a notice to another member's inbox, a pledge text
to another campaign) hoping it opens there."""

from tests.privacy.conftest import one, write_sql

UNREADABLE = "unreadable (this entry was changed outside Concerted and is not shown)"
ROTA = "The on-call rota leaves no rest between shifts."
ROOM = "The night shift has no quiet room for breaks."


def test_grievance_texts_swapped_between_items_open_in_neither(console, app):
    console.run(f"""
        alice: /campaign create ethics --headcount 40
        alice: /campaign liaison add ethics @bob
        carol: /campaign join ethics
        carol: /grievance ethics --text "{ROTA}" --solve
        carol: /grievance ethics --text "{ROOM}" --vent
        :advance 1h
    """)
    first = one(app.engine, "SELECT text_sealed FROM grievance WHERE id = 1")
    second = one(app.engine, "SELECT text_sealed FROM grievance WHERE id = 2")
    write_sql(app.engine, "UPDATE grievance SET text_sealed = :t WHERE id = 1", t=second)
    write_sql(app.engine, "UPDATE grievance SET text_sealed = :t WHERE id = 2", t=first)

    queue = console.run("bob: /liaison queue ethics")

    assert ROTA not in queue and ROOM not in queue
    assert queue.count(UNREADABLE) == 2
    assert "Traceback" not in queue


def test_a_notice_moved_to_another_members_inbox_is_not_read_there(console, app):
    console.run("""
        alice: /campaign create ethics --headcount 40
        alice: /campaign liaison add ethics @bob
        carol: /campaign join ethics
        dan: /campaign join ethics
        dan: /campaign inbox
    """)
    bobs = one(app.engine, "SELECT id FROM member WHERE role = 'liaison'")
    dans = one(app.engine, "SELECT max(id) FROM member")
    write_sql(app.engine, "UPDATE notice SET member_id = :dan WHERE member_id = :bob",
              dan=dans, bob=bobs)

    inbox = console.run("dan: /campaign inbox")

    assert "liaison" not in inbox.lower(), "bob's notice about his role is not shown to dan"
    assert "could not be read" in inbox


def test_a_pledge_text_moved_to_another_campaign_or_column_does_not_open(console, app):
    console.run("""
        alice: /campaign create ethics --headcount 40
        alice: /pledge create ethics --text "We will not build tools for nudify apps"
        alice: /campaign create other --headcount 40
        alice: /pledge create other --text "Lunch breaks for the night shift"
    """)
    ethics = one(app.engine, "SELECT text_sealed FROM pledge WHERE campaign_id = 1")
    write_sql(app.engine, "UPDATE pledge SET text_sealed = :t WHERE campaign_id = 2", t=ethics)
    write_sql(app.engine, "UPDATE campaign SET title_sealed = :t WHERE id = 1", t=ethics)

    other = console.run("alice: /pledge status other")
    info = console.run("alice: /campaign info ethics")

    assert "nudify" not in other and "nudify" not in info
    assert "changed outside Concerted" in other and "changed outside Concerted" in info
