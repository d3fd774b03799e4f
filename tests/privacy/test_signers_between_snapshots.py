"""Attack: watch `/pledge signers` and `/pledge status` change as colleagues sign."""

from tests.privacy.attacker import SNAPSHOT, read, seen_by

SETUP = """
    alice: /campaign create ethics --headcount 400
    alice: /pledge create ethics --text "We will not build payment rails for nudify apps."
    dan: /pledge sign ethics --named
    frank: /pledge sign ethics
    :advance 1h
"""


def _reads(console) -> str:
    return read(console, "dan", "/pledge signers ethics") + read(console, "dan",
                                                                  "/pledge status ethics")


def test_two_reads_of_signers_and_status_between_snapshots_are_identical(console):
    console.run(SETUP)
    before = _reads(console)
    console.run("""
        carol: /pledge sign ethics --named
        erin: /pledge sign ethics
        frank: /pledge sign ethics --named
        gus: /pledge sign ethics --conditional
    """)
    after = _reads(console)
    assert before == after
    assert "carol" not in after and "frank" not in after


def test_new_names_are_listed_with_the_snapshot_that_counts_them(console):
    console.run(SETUP)
    console.run("carol: /pledge sign ethics --named\nfrank: /pledge sign ethics --named")
    out = seen_by("dan", console.run(f"{SNAPSHOT}\ndan: /pledge signers ethics"))
    assert "• carol" in out and "• frank" in out


def test_signing_says_which_snapshot_will_count_it(console):
    console.run(SETUP)
    reply = read(console, "carol", "/pledge sign ethics --named")
    assert "counted from the next snapshot at 2026-11-02 11:00 UTC" in reply
    assert "listed from the next snapshot" in reply
