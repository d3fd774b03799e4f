"""Grievances and the liaison queue through the console, as members and liaisons type them."""

import logging
import re
import sqlite3
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bots.runtime.logs import configure_logging
from tests.scans import leaks, stored_bytes

SETUP = """
    alice: /campaign create ethics --headcount 40
    alice: /campaign liaison add ethics @bob
    carol_nguyen: /campaign join ethics
    dan: /campaign join ethics
"""
ROTA = "The on-call rota leaves no rest between night shifts and day shifts."
ROOM = "The night shift has no quiet room to rest in during breaks."
SNAPSHOT = ":advance 1h"


def refs(out: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r"G-[A-Z0-9]{6}", out)))


@contextmanager
def other_connection(engine):
    url = make_url(str(engine.url))
    if url.get_backend_name() != "sqlite":
        yield
        return
    held = sqlite3.connect(url.database)
    held.execute("SELECT count(*) FROM campaign").fetchone()
    try:
        yield
    finally:
        held.close()


def seen_by(name: str, out: str) -> str:
    """Only what `name` is shown: their own replies and their DMs, not the console's other lines."""
    blocks = re.split(r"^(\[[^\]\n]+\])$", out, flags=re.MULTILINE)
    mine = (f"[{name} · only you]", f"[dm {name}]")
    return "".join(body for header, body in zip(blocks[1::2], blocks[2::2], strict=True)
                   if header in mine)


def test_two_grievances_reach_the_liaisons_without_their_author_and_replies_go_both_ways(console):
    console.run(SETUP)
    filed = console.run(f"""
        carol_nguyen: /grievance ethics --text "{ROTA}" --solve
        carol_nguyen: /grievance ethics --text "{ROOM}" --vent
    """)
    first, second = refs(filed)
    assert "reach the liaisons with the next snapshot" in filed
    assert "Nothing is waiting" in console.run("bob: /liaison queue ethics"), "not live"
    console.run(SNAPSHOT)
    assert "Who will see it: the campaign's liaisons (1 of them), and nobody else" in filed
    assert "They will not see your name" in filed

    queue = console.run("bob: /liaison queue ethics")
    assert "#1 · solve" in queue and "#2 · vent" in queue
    assert ROTA in queue and ROOM in queue
    assert queue.index(ROTA) < queue.index(ROOM), "the oldest item comes first"
    assert "carol" not in queue and first not in queue and second not in queue

    reply = seen_by("bob", console.run(
        'bob: /liaison reply 1 "Thank you. Which weeks were the worst?"'))
    assert "went to its author" in reply and "carol" not in reply
    inbox = console.run(f"""
        carol_nguyen: /campaign inbox
        carol_nguyen: /grievance status {first}
    """)
    assert f"The liaison group of ethics replied to your grievance {first}" in inbox
    assert "Which weeks were the worst?" in inbox and "The liaison group" in inbox
    assert "bob" not in inbox, "the author never learns which liaison answered"

    answer = console.run(f'carol_nguyen: /grievance reply {first} "Every week since the reorg."')
    assert "without your name" in answer
    assert "[dm" not in answer, "a ping now would time the author's answer"
    seen = seen_by("bob", console.run(SNAPSHOT + """
        bob: /campaign inbox
        bob: /liaison show 1
    """))
    assert "The author of item #1 in the queue of ethics answered" in seen
    assert "Every week since the reorg." in seen and "The author ·" in seen
    assert "carol" not in seen


def test_a_member_who_is_not_a_liaison_is_refused_the_queue_clearly(console):
    console.run(SETUP)
    console.run(f'carol_nguyen: /grievance ethics --text "{ROTA}" --solve\n{SNAPSHOT}')
    out = console.run("dan: /liaison queue ethics")
    assert "Only liaisons of ethics can use /liaison queue" in out
    assert ROTA not in out
    out = console.run("alice: /liaison show 1")
    # To anyone but a liaison an item reads like one that does not exist.
    assert "No queue item #1 was found that you can see" in out and ROTA not in out


def test_a_text_that_names_and_insults_is_held_back_until_the_author_sends_it_anyway(console):
    console.run(SETUP)
    risky = "My manager Dave Miller is an idiot and shared the confidential roadmap."
    warned = console.run(f'carol_nguyen: /grievance ethics --text "{risky}" --vent')
    assert "Dave Miller" in warned and "idiot" in warned and "confidential" in warned
    assert "Nothing was stored yet" in warned and "--send-anyway" in warned
    assert "Nothing is waiting" in console.run("bob: /liaison queue ethics")

    sent = console.run(f'carol_nguyen: /grievance ethics --text "{risky}" --vent --send-anyway')
    assert refs(sent) and "Your grievance is in the queue" in sent
    assert risky in console.run(f"{SNAPSHOT}\nbob: /liaison queue ethics")


def test_after_closing_and_31_days_the_text_is_gone_from_disk_and_the_point_keeps_its_count(
        console, app):
    console.run(SETUP + "".join(f"m{i}: /campaign join ethics\n" for i in range(4)))
    ref = refs(console.run(f'carol_nguyen: /grievance ethics --text "{ROTA}" --solve'))[0]
    console.run(SNAPSHOT + """
        bob: /liaison point ethics "Night shifts are followed by day shifts with under 11 hours of rest."
        bob: /liaison merge 1 1
    """ + "".join(f"m{i}: /campaign support 1\n" for i in range(4)) + SNAPSHOT)
    before = console.run("dan: /campaign points ethics")
    assert "#1 · usable · supporters: 5" in before
    with app.engine.connect() as conn:
        blob = bytes(conn.execute(text("SELECT text_sealed FROM grievance")).scalar_one())
    assert blob in stored_bytes(app.engine)

    with other_connection(app.engine):
        # Another process holding the database open keeps SQLite from folding its WAL away
        # on its own: only an explicit checkpoint after the purge clears old page images.
        closed = console.run("bob: /liaison close 1")
        assert "Item #1 is closed, and its author was told" in closed
        assert "deleted on 2026-12-02" in closed
        console.run(":advance 29d")
        assert ROTA in console.run(f"carol_nguyen: /grievance status {ref}"), "kept until then"

        console.run(":advance 2d")
        assert blob not in stored_bytes(app.engine), "the sealed text is gone, WAL included"
    with app.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM grievance")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM grievance_reply")).scalar_one() == 0
    assert "No grievance" in console.run(f"carol_nguyen: /grievance status {ref}")
    after = console.run("dan: /campaign points ethics")
    assert "#1 · usable · supporters: 5" in after


def test_a_blocked_author_is_refused_and_the_blocking_liaison_never_learns_the_name(console):
    console.run(SETUP)
    console.run(f'carol_nguyen: /grievance ethics --text "{ROOM}" --vent\n{SNAPSHOT}')
    blocked = seen_by("bob", console.run("""
        bob: /liaison block 1
        bob: /liaison show 1
        bob: /liaison queue ethics
        bob: /campaign inbox
    """))
    assert "The author of item #1 can no longer file grievances in ethics" in blocked
    assert "carol" not in blocked

    refused = console.run(f'carol_nguyen: /grievance ethics --text "{ROTA}" --solve')
    assert "can no longer be filed in ethics" in refused and refs(refused) == []
    assert ROTA not in console.run("bob: /liaison queue ethics")
    other = console.run(f'dan: /grievance ethics --text "{ROTA}" --solve')
    assert refs(other), "blocking one author leaves everyone else free to file"


def test_leaving_and_rejoining_does_not_shed_a_block(console):
    console.run(SETUP)
    console.run(f'carol_nguyen: /grievance ethics --text "{ROOM}" --vent\n{SNAPSHOT}')
    console.run("bob: /liaison block 1")
    rejoined = console.run("""
        carol_nguyen: /campaign leave ethics
        carol_nguyen: /campaign join ethics
    """)
    assert "You joined ethics" in rejoined
    refused = console.run(f'carol_nguyen: /grievance ethics --text "{ROTA}" --solve')
    assert "can no longer be filed in ethics" in refused and refs(refused) == []


def test_the_sixth_grievance_of_a_day_is_refused_and_a_day_later_one_is_accepted(console):
    console.run(SETUP)
    out = console.run("".join(
        f'carol_nguyen: /grievance ethics --text "Issue number {i} with the rota." --solve\n'
        for i in range(1, 7)
    ))
    assert len(refs(out)) == 5
    assert "You have filed 5 grievances in ethics today (UTC)" in out
    assert "This one was not stored" in out
    console.run(":advance 25h")
    again = console.run('carol_nguyen: /grievance ethics --text "Issue seven with the rota." --solve')
    assert len(refs(again)) == 1


def test_only_the_author_can_reveal_their_name_and_then_liaisons_see_it_on_that_item(console):
    console.run(SETUP)
    out = console.run(f"""
        carol_nguyen: /grievance ethics --text "{ROTA}" --solve
        carol_nguyen: /grievance ethics --text "{ROOM}" --vent
    """)
    first, second = refs(out)
    console.run(SNAPSHOT)
    stolen = console.run(f"""
        dan: /grievance reveal {first} --confirm
        bob: /grievance reveal {first} --confirm
    """)
    assert stolen.count(f"No grievance {first} was found that you can see") == 2
    asked = console.run(f"carol_nguyen: /grievance reveal {first}")
    assert "cannot be undone" in asked and "--confirm" in asked
    assert "carol" not in console.run("bob: /liaison queue ethics")

    done = console.run(f"carol_nguyen: /grievance reveal {first} --confirm")
    assert "now see your name" in done and "[dm" not in done
    assert "carol" not in console.run("bob: /liaison show 1"), "shown from the next snapshot"
    shown = console.run(f"{SNAPSHOT}\nbob: /liaison show 1")
    assert "Its author chose to show you their name: carol_nguyen" in shown
    other = console.run("bob: /liaison show 2")
    assert "carol" not in other, "revealing one item reveals nothing about the others"


def test_liaisons_hear_of_new_items_in_batches_and_once_of_items_waiting_over_three_days(console):
    console.run(SETUP)
    console.run(f'carol_nguyen: /grievance ethics --text "{ROTA}" --solve')
    console.run(":advance 8h")
    first = console.run("bob: /campaign inbox")
    assert "1 new grievance is waiting in the queue of ethics" in first
    console.run(":advance 3d")
    reminded = console.run("bob: /campaign inbox")
    assert "Item #1 in the queue of ethics has waited more than 3 days" in reminded
    console.run(":advance 3d")
    assert "waited more than" not in console.run("bob: /campaign inbox"), "reminded once"


def test_members_see_talking_points_and_a_point_needs_two_supporters(console):
    console.run(SETUP)
    console.run('bob: /liaison point ethics "Rest between shifts is under 11 hours."')
    one = console.run("""
        dan: /campaign support 1
        dan: /campaign support 1
        dan: /campaign points ethics
    """)
    assert "You now back talking point #1" in one
    assert "You already back talking point #1" in one
    assert "#1 · not counted yet · you back it" in one
    one = console.run(f"{SNAPSHOT}\ndan: /campaign points ethics")
    assert "#1 · not yet usable · supporters: fewer than 5 · you back it" in one
    two = console.run(f"""
        carol_nguyen: /campaign support 1
        {SNAPSHOT}
        carol_nguyen: /campaign points ethics
    """)
    assert "#1 · usable · supporters: fewer than 5 · you back it" in two


def test_the_whole_grievance_flow_leaves_no_name_or_text_at_rest_or_in_the_logs(console, app,
                                                                               capsys):
    configure_logging("DEBUG")
    try:
        console.run(SETUP)
        ref = refs(console.run(f'carol_nguyen: /grievance ethics --text "{ROTA}" --solve'))[0]
        console.run(f"""
            {SNAPSHOT}
            bob: /liaison reply 1 "Which weeks were the worst?"
            carol_nguyen: /grievance reply {ref} "Every week since the reorg."
            bob: /liaison point ethics "Rest between shifts is under eleven hours."
            bob: /liaison merge 1 1
            dan: /campaign support 1
            bob: /liaison block 1
            :advance 8h
            bob: /campaign inbox
            carol_nguyen: /campaign inbox
        """)
        logs = capsys.readouterr().err
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "_concerted", False)]:
            root.removeHandler(handler)
        root.setLevel(logging.WARNING)
    texts = [ROTA, "Which weeks were the worst?", "Every week since the reorg.",
             "Rest between shifts is under eleven hours."]
    assert leaks(stored_bytes(app.engine), ["carol_nguyen", *texts]) == []
    assert leaks(logs.encode(), ["carol_nguyen", "bob", ref, *texts]) == []
    assert "grievance.filed" in logs and "grievance.replied" in logs


def test_incomplete_or_unknown_commands_are_answered_with_their_usage(console):
    console.run(SETUP)

    bare = console.run("dan: /grievance")
    group = console.run("dan: /campaign liaison")
    unknown = console.run("dan: /grievance reveal G-ABC123 --sure")

    assert "That command needs NAME." in bare and "Usage: `/grievance NAME" in bare
    assert "/campaign liaison add NAME @user" in group
    assert "There is no option `--sure` here." in unknown
    assert "Usage: `/grievance reveal REF [--confirm]`" in unknown
