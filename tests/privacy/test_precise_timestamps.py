"""Attack: line up the times stored next to members (signed, supported, joined, filed, replied,
noticed, introduced, sponsored…) with an outside timeline — DM times, badge logs, who was in the
office — to learn who signed or who complained. Only the day is kept, or for a signature the
published count that first included it; a support the merge of a grievance made keeps no time."""

import logging
import re
from datetime import datetime, timedelta

from tests.e2e.console.test_petition_console import DRAFT, SETUP
from tests.privacy.conftest import read_sql

PERSONAL_TIMES = {
    "member": ["joined_at"],
    "signature": ["released_at"],
    "point_support": ["supported_at"],
    "grievance": ["closed_at"],
    "notice": ["created_at"],
    "introduction_pool": ["joined_at"],
    "introduction": ["created_at", "decided_at"],
    "petition": ["created_at", "review_at", "opened_at", "returned_at", "delivered_at"],
    "petition_sponsor": ["sponsored_at"],
    "petition_approval": ["approved_at"],
    "report_schedule": ["created_at"],
}
ROTA = "The on-call rota leaves no rest between shifts."


def a_busy_day(console) -> str:
    """Members do a bit of everything at odd minutes of one morning."""
    console.run(SETUP)
    console.run(":advance 17m")
    ref = re.search(r"Draft (P-[A-Z0-9]+) is saved", console.run(DRAFT)).group(1)
    steps = [
        f"carol: /petition sponsor {ref}", f"dave: /petition sponsor {ref}",
        f"lia: /petition approve {ref}", f"leo: /petition approve {ref}",
        f"nadia: /petition sign {ref} --named", f'carol: /grievance ethics --text "{ROTA}" --solve',
        "lia: /liaison reply 1 Noted, thank you.", 'lia: /liaison point ethics "Rest under 11 hours."',
        "lia: /liaison merge 1 1", "dave: /campaign support 1",
        'alice: /pledge create ethics --text "We will not build it"',
        "bob: /pledge sign ethics --conditional", "bob: /pledge connect ethics",
        "dave: /pledge sign ethics", "dave: /pledge connect ethics",
        "alice: /threshold schedule ethics mon 09:30",
    ]
    for step in steps:
        console.run(f"{step}\n:advance 7m")
    console.run(":advance 2h")
    return ref


def moments(app, table: str, column: str) -> list[datetime]:
    values = [row[0] for row in read_sql(app.engine, f"SELECT {column} FROM {table}")]
    return [v if isinstance(v, datetime) else datetime.fromisoformat(v)
            for v in values if v is not None]


def test_times_next_to_members_are_kept_only_to_the_day(console, app):
    a_busy_day(console)

    precise = {}
    seen = 0
    for table, columns in PERSONAL_TIMES.items():
        for column in columns:
            for moment in moments(app, table, column):
                seen += 1
                if (moment.hour, moment.minute, moment.second, moment.microsecond) != (0, 0, 0, 0):
                    precise.setdefault(f"{table}.{column}", []).append(str(moment))
    assert seen >= 20, "the scenario stored times to look at"
    assert precise == {}


# What reaches others with a snapshot keeps the planned snapshot that publishes it.
AT_SNAPSHOTS = {
    "signature": ["signed_at"],
    "grievance": ["filed_at", "revealed_at"],
    "grievance_reply": ["created_at"],  # an author's answer; a liaison's keeps the day
}


def test_what_a_snapshot_publishes_keeps_only_the_planned_snapshot(console, app):
    a_busy_day(console)
    # Counts are planned hourly from 09:00 in these tests; people acted at odd minutes.
    found = {f"{table}.{column}": moments(app, table, column)
             for table, columns in AT_SNAPSHOTS.items() for column in columns}
    assert len(found["signature.signed_at"]) >= 3 and found["grievance.filed_at"]
    precise = {key: [str(m) for m in values if (m.minute, m.second, m.microsecond) != (0, 0, 0)]
               for key, values in found.items()}
    assert precise == {key: [] for key in found}


def test_a_merge_leaves_no_support_row_and_a_members_own_keeps_the_day(console, app):
    a_busy_day(console)
    # The merge counted the grievance on the point itself, with no member and no time.
    [own] = moments(app, "point_support", "supported_at")
    assert (own.hour, own.minute, own.second, own.microsecond) == (0, 0, 0, 0)


def test_the_daily_grievance_limit_still_counts_a_day(console, app, clock):
    console.run("alice: /campaign create ethics --headcount 40\ncarol: /campaign join ethics")
    for n in range(5):
        console.run(f'carol: /grievance ethics --text "Issue {n} with the rota." --vent')
    refused = console.run('carol: /grievance ethics --text "One more." --vent')
    assert "This one was not stored" in refused
    clock.advance(timedelta(days=1))
    assert "This one was not stored" not in console.run(
        'carol: /grievance ethics --text "A new day." --vent')


def test_log_lines_never_pair_an_item_with_what_a_person_did(console, app, caplog):
    caplog.set_level(logging.DEBUG)
    a_busy_day(console)
    console.run("lia: /liaison close 1\nbob: /pledge withdraw ethics\n:advance 2h")

    item_keys = re.compile(r"\b(grievance|point|petition|pledge|introduction|signature|item|"
                           r"notice|member)=")
    # Jobs act on a schedule, not when a person does something: they may name their item.
    scheduled = ("job.", "pledge.reached", "pledge.released", "pledge.expired", "grievance.purged",
                 "petition.threshold_seen", "petition.names_released", "petition.reminded",
                 "report.")
    paired = [r.getMessage() for r in caplog.records
              if r.name.startswith("concerted") and item_keys.search(r.getMessage())
              and not r.getMessage().startswith(scheduled)]
    assert paired == []
    assert any(r.getMessage().startswith("point.merged campaign=") for r in caplog.records)
