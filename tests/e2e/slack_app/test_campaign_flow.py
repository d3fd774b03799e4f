"""The campaign flow over signed HTTP: a modal to create it, joining, roles, the inbox."""

from __future__ import annotations

import json
from datetime import timedelta

from campaigns.core.models import Campaign, Member
from tests.e2e.slack_app.workspace import DIGEST, mention


async def test_creating_a_campaign_opens_a_modal_and_its_submission_creates_it(workspace):
    answer = await workspace.command("alice", "/campaign create ethics")

    [opened] = workspace.opened_views()
    assert answer.status == 200 and answer.replies == []
    assert opened["title"]["text"] == "New campaign"
    assert json.loads(opened["private_metadata"]) == {
        "form": "campaign", "campaign": "ethics", "channel": "C0GENERAL"}
    name_field = next(b for b in opened["blocks"] if b["block_id"] == "name")
    assert name_field["element"]["initial_value"] == "ethics"
    assert workspace.count(Campaign) == 0

    response = await workspace.submit("alice", opened, {
        "name": "ethics", "title": "End merchant accounts for nudify apps", "headcount": "40"})

    assert response.status_code == 200
    result = response.json()
    assert result["response_action"] == "update"
    shown = json.dumps(result["view"])
    assert "you are its lead" in shown and "Headcount 40" in shown
    assert workspace.count(Campaign) == 1
    assert workspace.mock.calls("chat.postMessage") == []


async def test_a_refused_field_is_shown_under_that_field_and_nothing_is_stored(workspace):
    await workspace.command("alice", "/campaign create")
    [opened] = workspace.opened_views()

    response = await workspace.submit("alice", opened, {
        "name": "ethics", "title": "Ethics", "headcount": "forty"})

    result = response.json()
    assert result["response_action"] == "errors"
    assert list(result["errors"]) == ["headcount"]
    assert "forty" in result["errors"]["headcount"]
    assert workspace.count(Campaign) == 0


async def test_a_command_with_options_runs_at_once_and_answers_only_the_asker(workspace):
    answer = await workspace.command(
        "alice", '/campaign create ethics --title "Stop nudify apps" --headcount 40')

    assert workspace.opened_views() == []
    [reply] = answer.replies
    assert reply["response_type"] == "ephemeral"
    assert "*ethics*" in reply["text"] and "you are its lead" in reply["text"]
    assert reply["blocks"][0]["type"] == "section"


async def test_joining_appointing_a_liaison_and_reading_the_inbox(workspace):
    await workspace.command("alice", "/campaign create ethics --headcount 40")

    joined = await workspace.command("bob", "/campaign join ethics")
    appointed = await workspace.command("alice", f"/campaign liaison add ethics {mention('carol')}")
    inbox = await workspace.command("carol", "/campaign inbox")

    assert "ethics" in joined.text
    assert "<@U0CAROL> is now a liaison" in appointed.text
    assert workspace.dms() == [], "an appointment pings nobody: the digest points to it"
    assert "You are now a liaison of `ethics`" in inbox.text
    assert workspace.count(Member) == 3

    await workspace.advance(timedelta(days=1))
    assert sorted(dm["channel"] for dm in workspace.dms()) == ["U0ALICE", "U0BOB", "U0CAROL"]
    assert all(dm == {"channel": dm["channel"], "text": DIGEST} for dm in workspace.dms())


async def test_help_answers_privately_without_touching_the_database(workspace):
    answer = await workspace.command("alice", "/campaign help")

    [reply] = answer.replies
    assert reply["response_type"] == "ephemeral"
    assert "/campaign create NAME" in reply["text"]
