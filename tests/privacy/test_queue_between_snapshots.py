"""Attack: a liaison watches `/liaison queue` to see who just filed or answered."""

import re

from tests.privacy.attacker import SNAPSHOT, read, seen_by

SETUP = """
    alice: /campaign create ethics --headcount 40
    alice: /campaign liaison add ethics @lia
    carol: /campaign join ethics
    dan: /campaign join ethics
    dan: /grievance ethics --text "The rota leaves no rest between night and day shifts." --solve
    :advance 1h
"""


def test_two_reads_of_the_queue_between_snapshots_are_identical_whoever_files(console):
    filed = console.run(SETUP)
    ref = re.search(r"G-[A-Z0-9]{6}", filed).group(0)
    console.run("lia: /liaison reply 1 \"Which rota do you mean?\"\n" + SNAPSHOT)
    before = read(console, "lia", "/liaison queue ethics")
    console.run(f"""
        carol: /grievance ethics --text "The quiet room was turned into storage." --vent
        dan: /grievance reply {ref} "The weekend rota of the payments team."
    """)
    after = read(console, "lia", "/liaison queue ethics")
    assert before == after
    assert "waiting for the author" in after


def test_an_item_filed_since_the_snapshot_answers_like_one_that_does_not_exist(console):
    console.run(SETUP)
    console.run('carol: /grievance ethics --text "The quiet room was turned into storage." --vent')
    new = read(console, "lia", "/liaison show 2")
    missing = read(console, "lia", "/liaison show 3")
    assert new.replace("#2", "#N") == missing.replace("#3", "#N")


def test_the_next_snapshot_brings_the_new_item_into_the_queue(console):
    console.run(SETUP)
    console.run('carol: /grievance ethics --text "The quiet room was turned into storage." --vent')
    out = seen_by("lia", console.run(f"{SNAPSHOT}\nlia: /liaison queue ethics"))
    assert "The quiet room was turned into storage." in out
