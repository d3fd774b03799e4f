"""Attack: a database writer without the key marks the other side of an introduction as having
said yes (or the introduction as made), to learn who another signer is."""

from tests.privacy.conftest import one, write_sql

SETUP = """
    alice: /campaign create ethics --headcount 400
    alice: /pledge create ethics --text "We will not build tools for nudify apps"
    carol: /pledge sign ethics
    carol: /pledge connect ethics
    mallory: /pledge sign ethics
    mallory: /pledge connect ethics
"""


def test_the_other_sides_yes_forged_in_the_database_introduces_nobody(console, app):
    console.run(SETUP)
    ref = one(app.engine, "SELECT ref FROM introduction")
    write_sql(app.engine, "UPDATE introduction SET requester_accepted = :t, other_accepted = :t",
              t=True)

    out = console.run(f"mallory: /pledge accept {ref}")

    assert "carol" not in out
    assert "changed outside Concerted" in out


def test_an_introduction_forged_as_made_introduces_nobody(console, app):
    console.run(SETUP)
    ref = one(app.engine, "SELECT ref FROM introduction")
    write_sql(app.engine, "UPDATE introduction SET status = 'made'")

    out = console.run(f"mallory: /pledge accept {ref}")

    assert "carol" not in out
    assert "changed outside Concerted" in out


def test_two_real_yeses_still_introduce_the_two_signers(console, app):
    console.run(SETUP)
    ref = one(app.engine, "SELECT ref FROM introduction")
    console.run(f"carol: /pledge accept {ref}")
    out = console.run(f"mallory: /pledge accept {ref}")
    assert "carol" in out
