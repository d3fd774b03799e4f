"""Pledges through the console, as people would type them: from a
conditional signature to released names."""

from __future__ import annotations

import re

TEXT = "We will not build payment rails for nudify apps."
REACHED = "has reached its threshold"


def blocks(out: str) -> list[tuple[str, str]]:
    """The console transcript as (header, text) pairs, so we read only what one person saw."""
    found = []
    for part in re.split(r"^(\[[^\]\n]+\])$", out, flags=re.MULTILINE)[1:]:
        if part.startswith("[") and part.endswith("]") and "\n" not in part:
            found.append([part, ""])
        else:
            found[-1][1] += part
    return [(header, text.strip()) for header, text in found]


def seen_by(out: str, who: str) -> str:
    return "\n".join(text for header, text in blocks(out) if header == f"[{who} · only you]")


def test_a_conditional_name_is_shown_only_after_the_threshold_and_the_cooling_off_window(console):
    console.run(f"""
        alice: /campaign create ethics --headcount 40
        alice: /pledge create ethics --text "{TEXT}"
    """)
    before = seen_by(console.run("alice: /pledge status ethics"), "alice")
    signing = console.run("""
        bob: /pledge sign ethics --conditional
        carol: /pledge sign ethics
        dave: /pledge sign ethics --conditional
    """)
    assert "counted from the next snapshot" in seen_by(signing, "bob")
    after_signing = seen_by(console.run("alice: /pledge status ethics"), "alice")
    assert after_signing == before, "counts come from snapshots: signing shows nothing at once"
    assert "not counted yet" in before

    snapshot = console.run(":advance 1h")
    assert "[dm bob]" not in snapshot and "[dm dave]" not in snapshot, \
        "conditional signers are not pinged apart from everyone else"
    first_read = seen_by(console.run("bob: /campaign inbox"), "bob")
    # The announcement every member reads, and his own cooling-off notice.
    assert first_read.count(REACHED) == 2
    assert "You signed conditionally" in first_read and "unless you withdraw" in first_read
    status = seen_by(console.run("alice: /pledge status ethics"), "alice")
    assert "Signatures: fewer than 5" in status and "threshold was reached" in status

    during = console.run("""
        alice: /pledge signers ethics
        dave: /pledge withdraw ethics
    """)
    assert "Nobody is named" in seen_by(during, "alice")
    assert "never be released" in seen_by(during, "dave")

    almost = console.run(":advance 47h\nalice: /pledge signers ethics\nbob: /campaign inbox")
    assert "bob" not in seen_by(almost, "alice"), "still inside the cooling-off window"
    assert REACHED not in seen_by(almost, "bob"), "the threshold is announced once"

    released = console.run(":advance 1h\nalice: /pledge signers ethics\nbob: /campaign inbox")
    names = seen_by(released, "alice")
    assert "• bob" in names
    assert "dave" not in names and "carol" not in names
    assert "your name is now shown" in seen_by(released, "bob")
    assert REACHED not in seen_by(released, "bob")

    later = console.run(":advance 5h\nalice: /pledge signers ethics\nerin: /pledge signers ethics")
    assert "dave" not in later and "carol" not in later
    assert "You are not a member of ethics" in seen_by(later, "erin")


def test_a_signer_sees_when_the_next_count_includes_them_and_a_retry_changes_nothing(console):
    out = console.run("""
        alice: /campaign create ethics --headcount 40
        alice: /pledge create ethics --text "We stand together." --deadline 14d
        bob: /pledge sign ethics
        bob: /pledge sign ethics
        bob: /pledge sign ethics --named
    """)
    bob = seen_by(out, "bob")
    assert "counted from the next snapshot at 2026-11-02 10:00 UTC" in bob
    assert "nothing changed: there is one signature from you" in bob
    assert "is now named (it was anonymous)" in bob
    assert "• bob" not in seen_by(console.run("alice: /pledge signers ethics"), "alice")
    assert "• bob" in seen_by(console.run(":advance 1h\nalice: /pledge signers ethics"), "alice")


def test_pledge_commands_explain_themselves_and_refuse_clearly(console):
    out = console.run("""
        alice: /campaign create ethics --headcount 40
        bob: /campaign join ethics
        bob: /pledge create ethics --text "Not a lead"
        alice: /pledge sign ethics
        alice: /pledge create ethics
        alice: /pledge create ethics --text "First" --deadline 2020-01-01
        alice: /pledge create ethics --text "First"
        alice: /pledge create ethics --text "Second"
        bob: /pledge withdraw ethics
        bob: /pledge connect ethics
        /pledge help
    """)
    alice, bob = seen_by(out, "alice"), seen_by(out, "bob")
    assert "Only leads of ethics can use /pledge create" in bob
    assert "ethics has no pledge yet. Create one with `/pledge create ethics" in alice
    assert "The pledge text is missing" in alice
    assert "a moment in the future" in alice
    assert "one pledge at a time" in alice
    assert "nothing to withdraw" in bob
    assert "Only signers of the pledge of ethics can ask to meet" in bob
    assert "`/pledge connect NAME [--team] [--leave]`" in out
    assert "Traceback" not in out and "went wrong on our side" not in out


def test_co_signers_meet_by_typing_accept_and_a_decline_names_nobody(console):
    console.run("""
        alice: /campaign create ethics --headcount 1000
        alice: /pledge create ethics --text "We stand together."
        bob: /pledge sign ethics
        carol: /pledge sign ethics
        dave: /pledge sign ethics
        bob: /pledge connect ethics
    """)
    offered = console.run("carol: /pledge connect ethics")
    ref = re.search(r"/pledge accept (I-[A-Z0-9]+)", seen_by(offered, "carol")).group(1)
    assert "[dm" not in offered, "an introduction request pings nobody at that moment"
    waiting = console.run(f"carol: /pledge accept {ref}\nbob: /campaign inbox")
    assert "bob" not in seen_by(waiting, "carol") and "carol" not in seen_by(waiting, "bob")
    made = console.run(f"bob: /pledge accept {ref}\ncarol: /campaign inbox")
    assert "your co-signer on the pledge of ethics is carol" in seen_by(made, "bob")
    assert "Your co-signer is bob." in seen_by(made, "carol")

    console.run("dave: /pledge connect ethics")  # dave is offered bob, who waited longest
    request = seen_by(console.run("bob: /campaign inbox"), "bob")
    second = re.search(r"/pledge decline (I-[A-Z0-9]+)", request).group(1)
    declined = console.run(f"dave: /pledge accept {second}\nbob: /pledge decline {second}\n"
                           "dave: /campaign inbox")
    assert "will not happen" in seen_by(declined, "dave")
    assert "bob" not in seen_by(declined, "dave")
