"""Attack: a database writer without the key slips in a delivery request "by" a lead, so that the
next lead or liaison who runs `/petition deliver` confirms a letter with names on their own."""

import re

from tests.e2e.console.test_petition_console import SIGNATURES, open_petition
from tests.privacy.conftest import one, write_sql


def test_a_delivery_request_written_without_the_key_is_never_confirmed(console, app):
    ref = open_petition(console)
    console.run(SIGNATURES.format(ref=ref))
    petition = one(app.engine, "SELECT id FROM petition WHERE ref = :r", r=ref)
    write_sql(app.engine, "INSERT INTO petition_delivery (petition_id, requested_by, requested_at)"
                          " VALUES (:p, 1, :now)", p=petition, now=app.clock.now())

    out = console.run(f"lia: /petition deliver {ref}")

    assert "changed outside Concerted" in out
    assert not re.search(r"file: \S+\.md", out), "no letter was written"
    assert one(app.engine, "SELECT stage FROM petition WHERE id = :p", p=petition) == "open"


def test_a_real_request_and_a_second_person_still_deliver(console, app):
    ref = open_petition(console)
    console.run(SIGNATURES.format(ref=ref))
    console.run(f"alice: /petition deliver {ref}")
    out = console.run(f"lia: /petition deliver {ref}")
    assert re.search(r"file: \S+\.md", out)
