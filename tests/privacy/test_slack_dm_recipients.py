"""The notification channel through the Slack HTTP app: what the workspace's owner can export
(every chat.postMessage and conversations.open the bot made) names no signer and no author."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

from tests.e2e.slack_app.workspace import DIGEST, PEOPLE, find, start_campaign

MEMBERS = ("bob", "dave", "erin", "frank")
EVERYONE = {PEOPLE[name] for name in ("alice", "carol", *MEMBERS)}


def _exported(workspace) -> tuple[Counter, int]:
    """DM recipients as an export shows them, and how many DM channels were opened."""
    sent = Counter(str(dm["channel"]) for dm in workspace.dms())
    return sent, len(workspace.mock.calls("conversations.open"))


async def test_an_expired_pledge_and_a_reply_leave_no_dm_that_names_a_signer_or_author(
        workspace):
    await start_campaign(workspace, members=MEMBERS, headcount=1000)
    await workspace.command("alice", '/pledge create ethics --text "We will not build it" '
                                     "--deadline 2h")
    await workspace.command("bob", "/pledge sign ethics")
    await workspace.command("erin", "/pledge sign ethics --conditional")
    filed = await workspace.command(
        "dave", '/grievance ethics --text "The rota leaves no rest between shifts." --solve')
    ref = find(r"G-[A-Z0-9]+", filed.text)
    await workspace.advance(timedelta(hours=1))  # the item reaches the queue with a snapshot
    queue = await workspace.command("carol", "/liaison queue ethics")
    item = find(r"#(\d+)", queue.text)
    await workspace.command("carol", f"/liaison reply {item} Thank you.")
    await workspace.advance(timedelta(hours=3))  # the pledge expires

    sent, opened = _exported(workspace)
    assert PEOPLE["bob"] not in sent and PEOPLE["erin"] not in sent, "signers stay unnamed"
    assert PEOPLE["dave"] not in sent, "the author of the grievance stays unnamed"
    assert opened == 0
    assert set(sent) <= {PEOPLE["carol"], PEOPLE["alice"]}, "role pings only"

    before = workspace.dms()
    await workspace.advance(timedelta(days=1))
    later = workspace.dms()[len(before):]
    digest = [dm["channel"] for dm in later if dm["text"] == DIGEST]
    assert Counter(digest) == Counter(dict.fromkeys(EVERYONE, 1))
    assert {dm["channel"] for dm in later if dm["text"] != DIGEST} <= {PEOPLE["carol"]}, \
        "besides the digest, only the liaison's queue reminder"
    assert len(workspace.mock.calls("conversations.open")) == 0
    status = await workspace.command("dave", f"/grievance status {ref}")
    assert "Thank you." in status.text


async def test_a_rate_limited_digest_waits_out_retry_after_and_still_reaches_everyone(
        workspace):
    await start_campaign(workspace, members=MEMBERS)
    workspace.mock.throttle("chat.postMessage", times=2, retry_after=1)
    started = time.monotonic()
    await workspace.advance(timedelta(days=1))
    assert time.monotonic() - started >= 1.0, "Retry-After was honoured"
    assert len(workspace.mock.calls("ratelimited:chat.postMessage")) == 2
    assert Counter(dm["channel"] for dm in workspace.dms()) == Counter(dict.fromkeys(EVERYONE, 1))
