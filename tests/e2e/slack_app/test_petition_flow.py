"""A petition over Slack, from the draft modal to the delivered letter."""

from __future__ import annotations

import json

from campaigns.core.models import Signature
from petitions.models import Petition
from tests.e2e.slack_app.workspace import find, start_campaign

POINT = "Card networks keep <!everyone> paying <@U0ALICE> & <https://nudify.example|a safe link>"


async def test_a_petition_goes_from_draft_to_a_delivered_letter(workspace):
    await start_campaign(workspace, liaison="carol", members=("bob", "dave", "erin"))
    await workspace.command("bob", "/petition draft ethics")
    [opened] = workspace.opened_views()
    assert [b["block_id"] for b in opened["blocks"]] == [
        "title", "to", "point1", "point2", "point3", "ask"]

    drafted = (await workspace.submit("bob", opened, {
        "title": "End nudify merchant accounts", "to": "Chief Risk Officer",
        "point1": POINT, "point2": "Close to 200 such apps take payments through us.",
        "point3": "Labelling an image fake does not undo the harm.",
        "ask": "End merchant accounts for AI nudification services by the end of the quarter.",
    })).json()

    assert drafted["response_action"] == "update"
    shown = json.dumps(drafted["view"])
    assert "&lt;!everyone&gt;" in shown and "<!everyone>" not in shown
    ref = find(r"P-[A-Z0-9]+", shown)
    assert workspace.count(Petition) == 1

    await workspace.command("dave", f"/petition sponsor {ref}")
    await workspace.command("erin", f"/petition sponsor {ref}")
    approved = await workspace.command("carol", f"/petition approve {ref}")
    assert "open" in approved.text.lower()
    for signer, flag in (("bob", ""), ("dave", " --named"), ("erin", " --named")):
        await workspace.command(signer, f"/petition sign {ref}{flag}")
    assert workspace.count(Signature) == 3

    asked = await workspace.command("alice", f"/petition deliver {ref}")
    delivered = await workspace.command("carol", f"/petition deliver {ref}")

    assert "takes two people" in asked.text
    assert "is delivered" in delivered.text
    letter = json.dumps(delivered.replies)
    assert "Chief Risk Officer" in letter and "End merchant accounts for AI" in letter
    assert "!everyone" in letter and "<!everyone>" not in letter and "<@U0ALICE>" not in letter
    assert ".pdf" in letter  # the PDF stays on the server: no file lands in any conversation
    assert workspace.mock.calls("files.completeUploadExternal") == []


async def test_a_refused_draft_marks_each_broken_rule_under_its_own_field(workspace):
    await start_campaign(workspace, liaison="carol", members=("bob",))
    await workspace.command("bob", "/petition draft ethics")
    [opened] = workspace.opened_views()

    refused = (await workspace.submit("bob", opened, {
        "title": "End it", "to": "Chief Risk Officer", "point1": "One.", "point2": "x" * 300,
        "point3": "Three.", "ask": "Stop."})).json()

    assert refused["response_action"] == "errors"
    assert list(refused["errors"]) == ["point2"]
    assert "300 characters" in refused["errors"]["point2"]
    assert workspace.count(Petition) == 0
