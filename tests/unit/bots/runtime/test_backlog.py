"""The backlog: commands taken on up to the limit, the next ones refused, room again once done."""

import logging

from bots.runtime.backlog import Backlog
from bots.runtime.threads import database_threads


def test_past_the_limit_a_command_is_refused_until_one_is_done():
    backlog = Backlog(2, "slack")

    taken = [backlog.take(), backlog.take(), backlog.take()]
    backlog.done()

    assert taken == [True, True, False]
    assert backlog.take() is True
    assert backlog.taken == 2


def test_refusals_are_logged_as_a_count_not_one_line_each(caplog):
    caplog.set_level(logging.INFO, logger="concerted")
    backlog = Backlog(0, "discord")

    for _ in range(500):
        backlog.take()

    [line] = [r.getMessage() for r in caplog.records if "busy" in r.getMessage()]
    assert line == "discord.busy backlog=0 refused=1"


def test_sqlite_gets_fewer_database_threads_than_postgresql():
    # SQLite lets one writer in at a time; PostgreSQL overlaps its round trips.
    assert database_threads("sqlite:///concerted.db") < database_threads(
        "postgresql+psycopg://postgres@127.0.0.1/concerted")
