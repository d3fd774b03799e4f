"""A grievance over Slack: a modal, a front-page warning inside it, the liaison's queue and reply."""

from __future__ import annotations

import json
from datetime import timedelta

from campaigns.grievances.models import Grievance
from tests.e2e.slack_app.workspace import DIGEST, PING, find, start_campaign

HOSTILE = "The rota <!channel> leaves no rest; ask <@U0DAVE> or read <http://evil.example|the handbook> & more"
ESCAPED = ("The rota &lt;!channel&gt; leaves no rest; ask &lt;@U0DAVE&gt; or read "
           "&lt;http://evil.example|the handbook&gt; &amp; more")


async def test_a_grievance_is_filed_in_a_modal_read_by_the_liaison_and_answered(workspace):
    await start_campaign(workspace, liaison="carol", members=("bob",))
    await workspace.command("bob", "/grievance ethics")
    [opened] = workspace.opened_views()
    fields = [block["block_id"] for block in opened["blocks"]]
    assert fields[:2] == ["text", "tag"]

    warned = (await workspace.submit("bob", opened, {"text": HOSTILE, "tag": "solve"})).json()

    # A front-page warning: the mention is flagged inside the modal, the text kept, and nothing stored yet.
    again = warned["view"]
    assert warned["response_action"] == "update" and again["callback_id"] == opened["callback_id"]
    assert "front page" in json.dumps(again) and "&lt;@U0DAVE&gt;" in json.dumps(again)
    assert next(b for b in again["blocks"] if b.get("block_id") == "text")[
        "element"]["initial_value"] == HOSTILE
    assert workspace.count(Grievance) == 0

    if "send" in fields:  # forms.json offers a "send anyway" box: it must be ticked
        assert opened["blocks"][2]["element"]["type"] == "checkboxes"
        still = (await workspace.submit("bob", again, {"text": HOSTILE, "tag": "solve"})).json()
        assert "front page" in json.dumps(still["view"]) and workspace.count(Grievance) == 0
        sent = {"text": HOSTILE, "tag": "solve", "send": "send-anyway"}
    else:  # the reopened form itself confirms: sending it again sends as it is
        assert "press Send again" in json.dumps(again)
        sent = {"text": HOSTILE, "tag": "solve"}
    filed = (await workspace.submit("bob", again, sent)).json()

    ref = find(r"G-[A-Z0-9]+", json.dumps(filed["view"]))
    assert workspace.count(Grievance) == 1
    await workspace.advance(timedelta(hours=1))  # the queue shows what the last snapshot published
    queue = await workspace.command("carol", "/liaison queue ethics")
    assert ESCAPED in queue.text
    item = find(r"#(\d+)", queue.text)

    await workspace.command("carol", f"/liaison reply {item} We hear you. Raise it with <!here> & us")
    status = await workspace.command("bob", f"/grievance status {ref}")

    assert "We hear you. Raise it with &lt;!here&gt; &amp; us" in status.text
    assert ESCAPED in status.text
    assert [dm for dm in workspace.dms() if dm["channel"] == "U0BOB"] == [], \
        "a reply pings nobody at that moment: its time would point at the author"
    await workspace.advance(timedelta(days=1))
    assert [dm["text"] for dm in workspace.dms() if dm["channel"] == "U0BOB"] == [DIGEST]
    for dm in workspace.dms():
        assert dm["text"] in (PING, DIGEST) and "blocks" not in dm


async def test_a_grievance_typed_with_options_is_filed_without_a_modal(workspace):
    await start_campaign(workspace, liaison="carol", members=("bob",))

    answer = await workspace.command(
        "bob", '/grievance ethics --text "The payload team works every weekend" --vent')

    assert workspace.opened_views() == []
    assert "Your grievance is in the queue of `ethics`" in answer.text
    assert workspace.count(Grievance) == 1
