"""A slash command's text is read once, through the real HTTP path, whatever follows from it."""

from __future__ import annotations

import pytest

from bots.commands import parser
from tests.e2e.slack_app.workspace import start_campaign


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """Every text the command parser tokenizes, in order."""
    seen: list[str] = []
    tokenize = parser.tokenize

    def counted(text: str) -> list[str]:
        seen.append(text)
        return tokenize(text)

    monkeypatch.setattr(parser, "tokenize", counted)
    return seen


@pytest.mark.parametrize("line, shows", [
    ("/campaign join ethics", "You joined"),
    ("/campaign headcount ethics auto", "counted from the workspace"),
    ("/campaign headcount ethics 1200", "1,200"),
    ("/pledge sign ethics --conditional", "You signed the pledge"),
    ("/campaign join", "NAME"),
    ("/campaign jion ethics", "join"),
    ("/campaign help", "/campaign create"),
])
async def test_a_slash_command_is_parsed_exactly_once(workspace, reads, line, shows):
    await start_campaign(workspace, liaison=None, members=())
    await workspace.command("alice", '/pledge create ethics --text "We will not build it."')
    reads.clear()

    who = "alice" if "headcount" in line else "bob"
    answer = await workspace.command(who, line)

    assert shows in answer.text
    assert reads == [line]


async def test_a_command_that_opens_a_form_is_parsed_once_and_its_submission_not_at_all(
        workspace, reads):
    await start_campaign(workspace, liaison="carol", members=("bob",))
    reads.clear()

    await workspace.command("bob", "/grievance ethics", trigger_id="T0FORM")
    [opened] = workspace.opened_views()
    response = await workspace.submit("bob", opened, {
        "text": "The on-call rota leaves no rest between shifts.", "tag": "solve"})

    assert response.json()["response_action"] == "update"
    assert reads == ["/grievance ethics"]
