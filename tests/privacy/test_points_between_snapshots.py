"""Attack: watch `/campaign points` (supporters, "usable") tick as colleagues back a point."""

from tests.privacy.attacker import SNAPSHOT, read, seen_by

SETUP = """
    alice: /campaign create ethics --headcount 40
    alice: /campaign liaison add ethics @lia
    carol: /campaign join ethics
    dan: /campaign join ethics
    erin: /campaign join ethics
    lia: /liaison point ethics "Night shifts leave no rest before the next day shift."
    :advance 1h
"""


def test_two_reads_of_the_points_between_snapshots_are_identical_whoever_backs_them(console):
    console.run(SETUP)
    before = read(console, "dan", "/campaign points ethics")
    console.run("""
        carol: /campaign support 1
        erin: /campaign support 1
    """)
    after = read(console, "dan", "/campaign points ethics")
    assert before == after
    assert "not yet usable" in after


def test_backing_a_point_says_when_it_is_counted_and_not_the_live_count(console):
    console.run(SETUP)
    console.run("carol: /campaign support 1")
    reply = read(console, "erin", "/campaign support 1")
    assert "counted from the next snapshot at 2026-11-02 11:00 UTC" in reply
    assert "usable" not in reply.replace("/campaign points", "")


def test_the_next_snapshot_publishes_the_support_and_the_usable_state(console):
    console.run(SETUP)
    console.run("carol: /campaign support 1\nerin: /campaign support 1")
    out = seen_by("dan", console.run(f"{SNAPSHOT}\ndan: /campaign points ethics"))
    assert "#1 · usable · supporters: fewer than 5" in out


def test_a_petition_may_not_use_a_point_before_its_support_is_published(console):
    console.run(SETUP)
    console.run("carol: /campaign support 1\nerin: /campaign support 1")
    draft = ('dan: /petition draft ethics --title "Rest" --to "COO" --use-point 1 '
             '--point "Two" --point "Three" --ask "Give us eleven hours between shifts."')
    refused = seen_by("dan", console.run(draft))
    assert "is not usable yet" in refused or "not yet usable" in refused
    accepted = seen_by("dan", console.run(f"{SNAPSHOT}\n{draft}"))
    assert "is saved" in accepted
