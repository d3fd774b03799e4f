"""Threshold reports over Slack: the headline for members, the full report and chart for leads."""

from __future__ import annotations

import json
from datetime import timedelta

TITLE = "Secret plan <!channel> against the board"


async def _signed_campaign(workspace) -> None:
    await workspace.command(
        "alice", f'/campaign create ethics --headcount 40 --title "{TITLE}"')
    await workspace.command("alice", '/pledge create ethics --text "We will not build it"')
    for name in ("bob", "carol", "dave", "erin", "frank", "grace"):
        await workspace.command(name, "/pledge sign ethics")
    await workspace.advance(timedelta(hours=1))


async def test_a_lead_gets_the_full_report_with_a_chart_shown_only_to_them(workspace):
    await _signed_campaign(workspace)

    lead = await workspace.command("alice", "/threshold ethics")
    member = await workspace.command("bob", "/threshold ethics")

    [report] = lead.replies
    assert report["response_type"] == "ephemeral"
    assert "Supporters: 6 of a headcount of 40" in report["text"]
    [image] = [b for b in report["blocks"] if b["type"] == "image"]
    [completed] = workspace.mock.calls("files.completeUploadExternal")
    uploaded = json.loads(completed.args["files"])[0]["id"]
    assert image["slack_file"] == {"id": uploaded}
    assert "channel_id" not in completed.args and "channels" not in completed.args
    assert "Members:" not in member.text and "Supporters: 6" in member.text
    assert [b["type"] for b in member.replies[0]["blocks"]] == ["section"]


async def test_a_weekly_report_posts_only_anonymized_counts_in_the_chosen_channel(workspace):
    await _signed_campaign(workspace)
    scheduled = await workspace.command("alice", "/threshold schedule ethics monday 09:00 --here")
    assert scheduled.status == 200

    await workspace.advance(timedelta(days=7))

    posts = [c.args for c in workspace.mock.calls("chat.postMessage")
             if c.args.get("channel") == "C0GENERAL"]
    assert posts, "no report was posted in the channel"
    text = json.dumps(posts)
    assert "weekly threshold report" in text and "ethics" in text
    assert "Secret plan" not in text and "U0" not in text
