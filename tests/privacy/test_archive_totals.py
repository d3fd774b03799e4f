"""After `/campaign archive`, the final totals stay readable and nothing personal does."""

from tests.privacy.attacker import read

SETUP = """
    alice: /campaign create ethics --headcount 40 --title "Stop serving nudify apps"
    alice: /campaign team ethics payments
    alice: /pledge create ethics --text "We will not build payment rails for nudify apps."
""" + "".join(f"    m{i}: /pledge sign ethics{' --named' if i == 0 else ''}\n" for i in range(6)) + """
    m1: /campaign team ethics risk
    :advance 1h
    alice: /campaign archive ethics --confirm
"""


def test_the_threshold_headline_survives_the_archive(console):
    console.run(SETUP)
    for who in ("alice", "m2", "zoe"):
        out = read(console, who, "/threshold ethics")
        assert "archived" in out
        assert "Supporters: 6" in out and "40" in out and "15%" in out
        assert "5% (reached" in out


def test_campaign_info_shows_the_final_totals_and_nothing_personal(console):
    console.run(SETUP)
    out = read(console, "m3", "/campaign info ethics")
    assert "archived" in out and "Supporters: 6" in out and "Headcount: 40" in out
    for personal in ("Stop serving nudify apps", "payments", "risk", "m0", "alice"):
        assert personal not in out


def test_an_archived_private_campaign_reads_like_no_campaign_at_all(console):
    console.run("""
        alice: /campaign create quiet --headcount 40 --private
        :advance 1h
        alice: /campaign archive quiet --confirm
    """)
    for command in ("/threshold quiet", "/campaign info quiet"):
        out = read(console, "alice", command)
        # Its member list went with its key: nobody can be told apart as someone it showed to.
        assert "There is no campaign called quiet" in out and "Supporters" not in out
