"""Attack: a database writer without the key makes a member a liaison or a lead by setting
`member.role`, to read the grievance queue or a lead's report."""

from tests.privacy.conftest import write_sql

ROTA = "The on-call rota leaves no rest between shifts."


def test_a_role_set_without_the_key_unlocks_nothing(console, app):
    console.run(f"""
        alice: /campaign create ethics --headcount 40
        alice: /campaign liaison add ethics @bob
        carol: /campaign join ethics
        mallory: /campaign join ethics
        carol: /grievance ethics --text "{ROTA}" --solve
        :advance 1h
    """)
    write_sql(app.engine, "UPDATE member SET role = 'liaison' WHERE id = 4")

    queue = console.run("mallory: /liaison queue ethics")
    item = console.run("mallory: /liaison show 1")

    assert "rota" not in queue and "rota" not in item
    assert "changed outside Concerted" in queue
    assert "rota" in console.run("bob: /liaison queue ethics"), "the real liaison still reads it"


def test_a_real_appointment_is_sealed_with_the_new_role(console, app):
    console.run(f"""
        alice: /campaign create ethics --headcount 40
        carol: /campaign join ethics
        carol: /grievance ethics --text "{ROTA}" --solve
        alice: /campaign liaison add ethics @bob
        :advance 1h
    """)
    assert "rota" in console.run("bob: /liaison queue ethics")
    console.run("alice: /campaign liaison remove ethics @bob")
    assert "rota" not in console.run("bob: /liaison queue ethics")
