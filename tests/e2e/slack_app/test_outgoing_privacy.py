"""Everything Concerted sends to Slack, read back: user text is escaped wherever it is shown,
and DMs carry no content at all."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from tests.e2e.slack_app.workspace import DIGEST, PING, find, mention

HOSTILE = "<!channel> <!here|here> <!everyone> <@U0MALLORY> <#C0SECRET> <http://evil.example|payroll> &"
RAW = ("<!channel>", "<!here", "<!everyone>", "<@U0MALLORY>", "<#C0SECRET>", "<http://evil")
# Input fields Slack shows as typed, never as mrkdwn; a returned form may keep what was typed.
_NOT_MARKUP = {"initial_value", "private_metadata"}


def _strings(value: Any, key: str = "") -> list[str]:
    if key in _NOT_MARKUP:
        return []
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            return [value]
        return _strings(decoded) if isinstance(decoded, (dict, list)) else [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, k)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


async def test_hostile_text_everywhere_is_shown_escaped_and_never_pings(workspace):
    await workspace.command("alice", "/campaign create ethics")
    [opened] = workspace.opened_views()
    await workspace.submit("alice", opened, {"name": "ethics", "title": HOSTILE[:90],
                                             "description": HOSTILE, "headcount": "40"})
    await workspace.command("alice", f"/campaign liaison add ethics {mention('carol')}")
    for name in ("bob", "dave", "erin"):
        await workspace.command(name, "/campaign join ethics")
    await workspace.command("bob", f'/campaign team ethics {HOSTILE}')
    await workspace.command("alice", f'/pledge create ethics --text "{HOSTILE}"')
    await workspace.command("bob", "/pledge sign ethics")
    await workspace.command("bob", f'/grievance ethics --text "{HOSTILE}" --solve --send-anyway')
    await workspace.command("carol", f"/liaison reply 1 {HOSTILE}")
    await workspace.command("carol", f"/liaison point ethics {HOSTILE}")
    await workspace.command("bob", "/petition draft ethics")
    petition_form = workspace.opened_views()[-1]
    drafted = await workspace.submit("bob", petition_form, {
        "title": "End it", "to": HOSTILE[:90], "point1": HOSTILE, "point2": "Two.",
        "point3": "Three.", "ask": HOSTILE[:190]})
    ref = find(r"P-[A-Z0-9]+", json.dumps(drafted.json()))
    await workspace.advance(timedelta(hours=1))

    for who, line in [
        ("bob", "/campaign info ethics"), ("bob", "/campaign list"), ("carol", "/campaign inbox"),
        ("bob", "/campaign inbox"), ("carol", "/liaison queue ethics"),
        ("bob", "/pledge status ethics"), ("bob", "/campaign points ethics"),
        ("bob", f"/petition show {ref}"), ("alice", "/threshold ethics"),
        ("bob", f'/campaign headcount ethics "{HOSTILE}"'),
    ]:
        answer = await workspace.command(who, line)
        assert answer.replies, f"{line} got no answer"
    for who in ("alice", "bob", "carol"):
        await workspace.open_home(who)
    await workspace.advance(timedelta(days=1))  # the digest, sent to everyone

    shown = ([s for call in workspace.mock.calls() for s in _strings(call.args)]
             + [s for response in workspace.responses for s in _strings(response)])
    assert any("&lt;!channel&gt;" in s for s in shown)
    assert any("&lt;@U0MALLORY&gt;" in s for s in shown)
    leaks = [s for s in shown if any(raw in s for raw in RAW)]
    assert leaks == []
    assert workspace.dms() and all(dm in ({"channel": dm["channel"], "text": PING},
                                          {"channel": dm["channel"], "text": DIGEST})
                                   for dm in workspace.dms())
    posts = workspace.mock.calls("chat.postMessage")
    assert all(str(call.args["channel"]).startswith("U") for call in posts)
