"""Reading the console as the workspace's owner reads an export of the bot's direct messages."""

from __future__ import annotations

import re
from collections import Counter

_DM = re.compile(r"^\[dm ([^\]\n]+)\]$", re.MULTILINE)

LEAD, LIAISONS = "alice", ("lia", "leo")
ROLES = {LEAD, *LIAISONS}
ANONYMOUS, NAMED, CONDITIONAL = ("anna", "arun"), ("nadia",), ("cleo", "cyrus")
ONLOOKERS = ("oona",)
DIGEST_OFF = "otto"  # a member who turned the digest off
PLAIN = {*ANONYMOUS, *NAMED, *CONDITIONAL, *ONLOOKERS, DIGEST_OFF}
PLAIN_ON = PLAIN - {DIGEST_OFF}

SETUP = f"""
    {LEAD}: /campaign create ethics --headcount 100
    {LEAD}: /campaign liaison add ethics @lia
    {LEAD}: /campaign liaison add ethics @leo
""" + "\n".join(f"    {name}: /campaign join ethics" for name in sorted(PLAIN)) + f"""
    {DIGEST_OFF}: /campaign digest ethics off
"""


def dm_recipients(out: str) -> list[str]:
    """Who got a direct message in this stretch of console output, in order."""
    return _DM.findall(out)


def assert_no_selection(out: str) -> Counter:
    """Among members without a role, either nobody got a DM or every one with digests on got
    the same number; role holders may get role pings; a member with digests off gets none."""
    got = Counter(dm_recipients(out))
    plain = Counter({who: n for who, n in got.items() if who not in ROLES})
    assert set(plain) in (set(), PLAIN_ON), f"DMs single out {sorted(plain)}"
    assert len(set(plain.values())) <= 1, f"some were pinged more often: {dict(plain)}"
    assert set(got) <= ROLES | PLAIN_ON
    return plain
