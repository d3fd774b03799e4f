"""Attack: a database writer without the key makes `/pledge signers` name an anonymous or
conditional signer: a contact copied into `signature.name_sealed`, `mode` set to named,
or `released_at` set before the threshold."""

from tests.privacy.conftest import one, write_sql

SETUP = """
    alice: /campaign create ethics --headcount 400
    alice: /pledge create ethics --text "We will not build tools for nudify apps"
    bob: /pledge sign ethics --named
    carol: /pledge sign ethics
    dan: /pledge sign ethics --conditional
"""
UNREADABLE = "unreadable (this entry was changed outside Concerted and is not shown)"


def signature_of(app, name: str) -> int:
    # Members join in SETUP order after alice (member 1): bob 2, carol 3, dan 4.
    member = {"bob": 2, "carol": 3, "dan": 4}[name]
    return one(app.engine, "SELECT id FROM signature WHERE member_id = :m", m=member)


def test_a_contact_copied_into_an_anonymous_signature_shows_unreadable_not_the_signer(console, app):
    console.run(SETUP)
    contact = one(app.engine, "SELECT contact_sealed FROM member WHERE id = 3")
    write_sql(app.engine, "UPDATE signature SET mode = 'named', name_sealed = :c WHERE id = :s",
              c=contact, s=signature_of(app, "carol"))

    console.run(":advance 1h")  # names are listed with the next snapshot
    out = console.run("alice: /pledge signers ethics")

    assert "• bob" in out, "an honest named signer is still listed"
    assert "carol" not in out
    assert f"• {UNREADABLE}" in out


def test_a_conditional_signature_flipped_to_named_does_not_name_the_signer(console, app):
    console.run(SETUP)
    write_sql(app.engine, "UPDATE signature SET mode = 'named' WHERE id = :s",
              s=signature_of(app, "dan"))

    console.run(":advance 1h")  # names are listed with the next snapshot
    out = console.run("alice: /pledge signers ethics")

    assert "dan" not in out
    assert f"• {UNREADABLE}" in out


def test_a_release_forged_before_the_threshold_does_not_name_the_signer(console, app):
    console.run(SETUP)
    write_sql(app.engine, "UPDATE signature SET released_at = :now WHERE id = :s",
              now=app.clock.now(), s=signature_of(app, "dan"))

    console.run(":advance 1h")  # names are listed with the next snapshot
    out = console.run("bob: /pledge signers ethics")

    assert "dan" not in out
    assert f"• {UNREADABLE}" in out


def test_a_name_copied_from_another_signature_does_not_open_there(console, app):
    console.run(SETUP)
    bobs = one(app.engine, "SELECT name_sealed FROM signature WHERE id = :s",
               s=signature_of(app, "bob"))
    write_sql(app.engine, "UPDATE signature SET mode = 'named', name_sealed = :n WHERE id = :s",
              n=bobs, s=signature_of(app, "carol"))

    console.run(":advance 1h")  # names are listed with the next snapshot
    out = console.run("alice: /pledge signers ethics")

    assert out.count("• bob") == 1, "bob is not listed twice, nor in carol's place"
    assert f"• {UNREADABLE}" in out
