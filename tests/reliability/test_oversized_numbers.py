"""Numbers past what the database or a date can hold are refused as bad values, on SQLite and
PostgreSQL alike: never "the database could not be reached", never "something went wrong"."""

from __future__ import annotations

import pytest

LINES = [
    "alice: /campaign create big --headcount 99999999999",
    "alice: /campaign headcount ethics 2147483648",
    "alice: /campaign create long --retention 99999999999d",
    "alice: /pledge create ethics --text \"We will not build it.\" --deadline 9999999d",
    "alice: /threshold schedule ethics monday 99999999999:00",
    "carol: /liaison show 999999999999",
    "carol: /liaison block 99999999999999999999",
    "carol: /liaison merge ² 1",
    "bob: /campaign support 2147483648",
]


@pytest.mark.parametrize("line", LINES)
def test_a_number_too_large_to_store_is_refused_as_a_bad_value_and_stores_nothing(console, line):
    console.run("""
        alice: /campaign create ethics --headcount 40
        alice: /campaign liaison add ethics @carol
        bob: /campaign join ethics
    """)
    before = console.run("alice: /campaign info ethics")

    out = console.run(line)

    assert "is not something Concerted can use" in out or "no talking point" in out, out
    assert "could not be reached" not in out and "went wrong" not in out
    assert console.run("alice: /campaign info ethics") == before
