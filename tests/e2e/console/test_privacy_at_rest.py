"""After a scripted session, nothing at rest or in the logs names anyone or quotes anyone."""

import logging

from bots.runtime.logs import configure_logging
from tests.scans import leaks, stored_bytes

PEOPLE = ["alice_rivera", "bob_okafor", "carol_nguyen", "dmitri_lindqvist"]
TEXT = ["Stop serving nudify apps", "Card networks keep AI nudification services paid",
        "Merchant risk desk", "fakeimagesharm"]


def test_the_database_its_wal_and_the_logs_hold_no_names_ids_or_free_text(console, app, capsys):
    configure_logging("DEBUG")
    try:
        console.run(f"""
            alice_rivera: /campaign create ethics --headcount 40 --title "{TEXT[0]}" --description "{TEXT[1]}" --private
            alice_rivera: /campaign invite ethics @bob_okafor
            bob_okafor: /campaign join ethics
            bob_okafor: /campaign team ethics {TEXT[2]}
            alice_rivera: /campaign liaison add ethics @carol_nguyen
            alice_rivera: /campaign lead add ethics @dmitri_lindqvist
            dmitri_lindqvist: /campaign create {TEXT[3]}
            :advance 2h
            bob_okafor: /campaign inbox
            carol_nguyen: /campaign info ethics
        """)
        logs = capsys.readouterr().err
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "_concerted", False)]:
            root.removeHandler(handler)
        root.setLevel(logging.WARNING)
    at_rest = stored_bytes(app.engine)
    assert leaks(at_rest, PEOPLE + TEXT[:3]) == []
    assert leaks(logs.encode(), PEOPLE + TEXT) == []
    assert "command" in logs or "job.run" in logs, "the logs should still say what happened"
