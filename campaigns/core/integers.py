"""Whole numbers typed by people (headcounts, item and point numbers), read one way everywhere.

Only what the database can store gets through: PostgreSQL's INTEGER stops at
2,147,483,647, and SQLite refuses past 2**63 with an OverflowError. A larger
number typed by someone must be refused as a bad value, not end as a database
error ("try again") or a crash.
"""

from __future__ import annotations

LARGEST = 2**31 - 1


def typed_number(text: object) -> int | None:
    """`1000`, `1,000` or `1_000` as an int from 0 to LARGEST; None for anything else.

    Only ASCII digits: `str.isdigit` also accepts superscripts, which `int` refuses.
    """
    cleaned = str(text if text is not None else "").strip().replace(",", "").replace("_", "")
    if not (cleaned.isascii() and cleaned.isdigit()):
        return None
    number = int(cleaned)
    return number if number <= LARGEST else None
