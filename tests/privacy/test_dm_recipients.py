"""The notification channel through the console: an export of the bot's direct messages (the
`[dm …]` lines) says nothing about who signed what or who complained.

Before digests, an expired pledge pinged its signers and nobody else, a threshold pinged
conditional signers apart from the rest, and a liaison's reply pinged its author alone, at once.
"""

from __future__ import annotations

import re

from tests.privacy.recipients import (
    ANONYMOUS,
    CONDITIONAL,
    LEAD,
    NAMED,
    PLAIN_ON,
    SETUP,
    assert_no_selection,
    dm_recipients,
)

SIGN = "\n".join([*(f"{n}: /pledge sign ethics" for n in ANONYMOUS),
                  *(f"{n}: /pledge sign ethics --named" for n in NAMED),
                  *(f"{n}: /pledge sign ethics --conditional" for n in CONDITIONAL)])


def test_an_expired_pledge_no_longer_tells_the_dm_export_who_signed_it(console):
    console.run(SETUP)
    console.run(f'{LEAD}: /pledge create ethics --text "We will not build it." --deadline 2h')
    console.run("anna: /pledge sign ethics\ncleo: /pledge sign ethics --conditional")
    expiry = console.run(":advance 3h")
    assert "expired" not in expiry and dm_recipients(expiry) == [], \
        "the signers of an expired pledge are not pinged"
    # The attacker waits for the next messages: everyone gets the same one.
    digest = console.run(":advance 1d")
    assert set(dm_recipients(digest)) - {LEAD, "lia", "leo"} == PLAIN_ON
    assert_no_selection(expiry + digest)
    told = console.run("anna: /campaign inbox\noona: /campaign inbox")
    assert "expired" in told.split("[oona")[0] and "expired" not in told.split("[oona")[1]


def test_a_threshold_crossing_pings_only_the_lead_and_no_signer_first(console):
    console.run(SETUP)
    console.run(f'{LEAD}: /pledge create ethics --text "We will not build it."')
    signing = console.run(SIGN)
    crossing = console.run(":advance 1h")
    assert "reached" in console.run("oona: /pledge status ethics")
    assert dm_recipients(signing) == []
    assert dm_recipients(crossing) == [LEAD], "only the lead's milestone report, role work"
    assert_no_selection(signing + crossing)


def test_a_conditional_release_pings_nobody_apart_from_the_daily_digest(console):
    console.run(SETUP)
    console.run(f'{LEAD}: /pledge create ethics --text "We will not build it."\n{SIGN}')
    console.run(":advance 1h")
    release = console.run(":advance 24h\n:advance 24h")
    assert "cleo" in console.run("oona: /pledge signers ethics"), "names were released"
    plain = assert_no_selection(release)
    assert set(plain) == PLAIN_ON and set(plain.values()) == {2}, "two digests, alike for all"


def test_liaison_reply_merge_and_close_do_not_ping_the_author(console):
    console.run(SETUP)
    filed = console.run("\n".join(
        f'anna: /grievance ethics --text "The on-call rota leaves no rest, week {n}." --solve'
        for n in (1, 2, 3)))
    assert len(set(re.findall(r"G-[A-Z0-9]{6}", filed))) == 3
    console.run(":advance 1h")  # the items reach the queue with the next snapshot
    out = console.run("""
        lia: /liaison reply 1 "Thank you. Which weeks were the worst?"
        lia: /liaison point ethics "Night shifts follow day shifts with no rest between them."
        lia: /liaison merge 2 1
        lia: /liaison close 3
    """)
    assert "went to its author" in out and "Traceback" not in out
    assert "anna" not in dm_recipients(out)
    assert_no_selection(filed + out)
    told = console.run("anna: /campaign inbox")
    assert told.count("ethics ·") >= 3, "the author finds all three in the inbox"


def _draft(console, author: str) -> tuple[str, str]:
    out = console.run(
        f'{author}: /petition draft ethics --title "End merchant accounts for nudify apps" '
        '--to "Chief Risk Officer" '
        '--point "Researchers count close to 200 apps that fake an intimate image." '
        '--point "Our card processing lets paid deepfake services take money." '
        '--point "Labelling an image fake does not undo the harm done to women." '
        '--ask "End merchant accounts for AI nudification services this quarter."')
    return out, re.search(r"Draft (P-[A-Z0-9]+) is saved", out).group(1)


def test_petition_stages_and_delivery_ping_roles_only(console):
    console.run(SETUP)
    draft, ref = _draft(console, "anna")
    returned, other = _draft(console, "arun")
    returned += console.run(f"""
        cleo: /petition sponsor {other}
        oona: /petition sponsor {other}
        lia: /petition return {other} "Name the decision maker's office, not a person."
    """)
    assert "returned" in returned.lower() and "arun" not in dm_recipients(returned)
    stages = console.run(f"""
        arun: /petition sponsor {ref}
        nadia: /petition sponsor {ref}
        lia: /petition approve {ref}
        leo: /petition approve {ref}
        anna: /petition sign {ref}
        nadia: /petition sign {ref} --named
        cleo: /petition sign {ref} --conditional
        {LEAD}: /petition deliver {ref}
        lia: /petition deliver {ref}
    """)
    assert "Traceback" not in stages and "delivered" in stages.lower()
    assert set(dm_recipients(stages)) <= {LEAD, "lia", "leo"}, "reviewers and confirmers only"
    assert_no_selection(draft + returned + stages)


def test_the_digest_order_is_drawn_afresh_and_not_by_kind_of_signature(console):
    console.run(SETUP)
    console.run(f'{LEAD}: /pledge create ethics --text "We will not build it."\n{SIGN}')
    orders = []
    for _ in range(6):
        day = console.run(":advance 1d")
        assert_no_selection(day)
        orders.append(tuple(who for who in dm_recipients(day) if who in PLAIN_ON))
    assert len(set(orders)) > 1, "the same order every day would be a fingerprint"
    first = len(CONDITIONAL)
    assert not all(set(order[:first]) == set(CONDITIONAL) for order in orders)
    assert not all(set(order[-first:]) == set(CONDITIONAL) for order in orders)
