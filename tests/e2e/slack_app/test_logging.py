"""A whole Slack session logged at DEBUG: no user id, no name, no text reaches the log."""

from __future__ import annotations

import logging

import pytest

from bots.runtime.logs import THIRD_PARTY, configure_logging
from bots.slack_app.app import EventsEndpoint
from bots.slack_app.run import running
from tests.e2e.slack_app.workspace import Workspace, mention, start_campaign

SECRET_WORDS = ("rota", "weekend", "nudify", "Dana")


@pytest.fixture
def debug_logging():
    """Puts logging back as it was after a test that configures it."""
    root = logging.getLogger()
    saved = (root.level, list(root.handlers),
             {name: logging.getLogger(name).level for name in (*THIRD_PARTY, "concerted")})
    yield
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)


async def test_a_debug_log_of_a_full_session_holds_no_ids_names_or_text(
    debug_logging, slack_settings, clock, mock_slack, asgi_client, capsys,
):
    configure_logging("DEBUG")  # as CONCERTED_LOG_LEVEL=DEBUG does, writing to captured stderr
    async with (
        running(slack_settings.model_copy(update={"log_level": "DEBUG"}), socket_mode=False,
                clock=clock, realtime=False, logging_setup=False) as live,
        asgi_client(EventsEndpoint(live.bolt)) as http,
    ):
        ws = Workspace(live, mock_slack, http, clock)
        await start_campaign(ws, liaison="carol", members=("bob", "dave"))
        await ws.command("alice", f"/campaign lead add ethics {mention('dave')}")
        await ws.command("bob", "/grievance ethics --text \"The rota leaves no weekend, says Dana\" --solve --send-anyway")
        await ws.command("carol", "/liaison queue ethics")
        await ws.command("carol", "/liaison reply 1 We hear you about the rota")
        await ws.command("bob", "/campaign team ethics nudify review")
        await ws.command("bob", "/campaign inbox")
        await ws.command("erin", "/campaign join nothing-here")
        await ws.command("bob", "/grievance ethics --text \"rota again\" --solve", secret="wrong")
        await ws.open_home("carol")

    logged = capsys.readouterr().err
    assert "concerted." in logged  # our own event lines are there
    for person in ("alice", "bob", "carol", "dave", "erin"):
        assert person not in logged.lower()
        assert f"U0{person.upper()}" not in logged
    assert "T0CONCERT" not in logged
    for word in SECRET_WORDS:
        assert word.lower() not in logged.lower()
    assert "xoxb" not in logged
