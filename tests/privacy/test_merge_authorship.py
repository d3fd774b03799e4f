"""Attack: a liaison merges grievances into points to test who wrote them."""

import re

from tests.privacy.attacker import SNAPSHOT, read

SETUP = """
    alice: /campaign create ethics --headcount 40
    alice: /campaign liaison add ethics @lia
    carol: /campaign join ethics
    dan: /campaign join ethics
    kim: /campaign join ethics
    carol: /grievance ethics --text "The rota leaves no rest between shifts." --solve
    carol: /grievance ethics --text "Night shifts end at six and day shifts start at eight." --solve
    dan: /grievance ethics --text "Nobody can rest between a night and a day shift." --solve
    kim: /grievance ethics --text "After a night shift I am back at eight." --solve
    :advance 1h
    lia: /liaison point ethics "The rota leaves no rest between shifts."
    lia: /liaison point ethics "The rota leaves no rest between shifts."
    lia: /liaison point ethics "Eleven hours between shifts."
    lia: /liaison point ethics "Eleven hours between shifts."
"""


def _point(out: str, number: int) -> str:
    return re.search(rf"^\s*#{number} · .*$", out, flags=re.MULTILINE).group(0).replace(
        f"#{number}", "#N")


def test_merging_two_items_of_one_author_looks_like_merging_items_of_two(console):
    console.run(SETUP)
    console.run("""
        lia: /liaison merge 1 1
        lia: /liaison merge 2 1
        lia: /liaison merge 3 2
        lia: /liaison merge 4 2
    """ + SNAPSHOT)
    points = read(console, "lia", "/campaign points ethics")
    assert _point(points, 1) == _point(points, 2)


def test_merging_into_a_point_a_known_person_backs_does_not_tell_whether_they_wrote_it(console):
    console.run(SETUP)
    console.run("""
        kim: /campaign support 3
        kim: /campaign support 4
        lia: /liaison merge 4 3
        lia: /liaison merge 3 4
    """ + SNAPSHOT)
    points = read(console, "lia", "/campaign points ethics")
    assert _point(points, 3) == _point(points, 4)
