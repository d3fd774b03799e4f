"""A pledge over Slack: created, signed by several people (one of them twice), counted."""

from __future__ import annotations

from datetime import timedelta

from campaigns.core.models import Signature
from tests.e2e.slack_app.workspace import start_campaign


async def test_signers_are_counted_once_and_named_only_when_they_chose_to_be(workspace):
    await start_campaign(workspace, liaison=None, members=())
    created = await workspace.command(
        "alice", '/pledge create ethics --text "We will not onboard nudify apps"')
    assert "The pledge of *ethics* is open" in created.text

    signed = await workspace.command("bob", "/pledge sign ethics")
    await workspace.command("bob", "/pledge sign ethics")
    await workspace.command("dave", "/pledge sign ethics --named")
    await workspace.command("erin", "/pledge sign ethics --conditional")

    assert "You signed the pledge of" in signed.text
    assert workspace.count(Signature) == 3
    await workspace.advance(timedelta(hours=1))
    status = await workspace.command("carol", "/pledge status ethics")
    signers = await workspace.command("bob", "/pledge signers ethics")

    assert "fewer than 5" in status.text
    assert "<@U0DAVE>" in signers.text
    assert "U0BOB" not in signers.text and "U0ERIN" not in signers.text
    for reply in [created, signed, status, signers]:
        assert {r["response_type"] for r in reply.replies} == {"ephemeral"}
