"""Attack: watch `/petition show` change as colleagues sign the petition."""

import re

from tests.privacy.attacker import SNAPSHOT, read, seen_by

SETUP = """
    alice: /campaign create ethics --headcount 40
    alice: /campaign liaison add ethics @lia
    bob: /campaign join ethics
    carol: /campaign join ethics
    dave: /campaign join ethics
"""
DRAFT = ('bob: /petition draft ethics --title "End merchant accounts for nudify apps" '
         '--to "Chief Risk Officer" --point "One" --point "Two" --point "Three" '
         '--ask "End merchant accounts for AI nudification services by the end of the quarter."')


def _open(console) -> str:
    console.run(SETUP)
    ref = re.search(r"Draft (P-[A-Z0-9]+) is saved", console.run(DRAFT)).group(1)
    console.run(f"carol: /petition sponsor {ref}\ndave: /petition sponsor {ref}\n"
                f"lia: /petition approve {ref}\n{SNAPSHOT}")
    return ref


def test_two_reads_of_a_petition_between_snapshots_are_identical_whoever_signs(console):
    ref = _open(console)
    before = read(console, "dave", f"/petition show {ref}")
    console.run(f"""
        carol: /petition sign {ref} --named
        erin: /petition sign {ref}
        frank: /petition sign {ref} --conditional
    """)
    after = read(console, "dave", f"/petition show {ref}")
    assert before == after


def test_the_petition_shows_its_own_signatures_as_of_the_last_snapshot(console):
    ref = _open(console)
    console.run(f"carol: /petition sign {ref}\nerin: /petition sign {ref}")
    before = read(console, "dave", f"/petition show {ref}")
    assert f"Signatures on {ref}: 0 as of" in before
    out = seen_by("dave", console.run(f"{SNAPSHOT}\ndave: /petition show {ref}"))
    assert f"Signatures on {ref}: fewer than 5 as of 2026-11-02 11:00 UTC" in out


def test_signing_and_withdrawing_say_which_snapshot_will_count_it(console):
    ref = _open(console)
    signed = read(console, "carol", f"/petition sign {ref}")
    withdrawn = read(console, "carol", f"/petition withdraw {ref}")
    assert "counted from the next snapshot at 2026-11-02 11:00 UTC" in signed
    assert "the next snapshot at 2026-11-02 11:00 UTC" in withdrawn
