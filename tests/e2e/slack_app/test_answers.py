"""Where a slash command's answer goes: in the acknowledgement when it is ready within the
deadline, on the response_url when it is not, and "busy" at once past the backlog's limit."""

from __future__ import annotations

import asyncio
import threading
import time

from bots.commands.replies import Reply
from bots.output.rendering import Renderer
from campaigns.core.models import Signature
from tests.e2e.slack_app.payloads import slash_command_body
from tests.e2e.slack_app.workspace import PEOPLE, find, start_campaign

BUSY = Renderer("slack").render("errors/busy.j2")


async def _pledge(workspace) -> None:
    await start_campaign(workspace, liaison=None, members=())
    await workspace.command("alice", '/pledge create ethics --text "We will not build it"')


def _held(workspace, monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Commands wait inside the dispatcher until `release` is set; `running` says one does."""
    dispatcher = workspace.live.slack.dispatcher
    running, release = threading.Event(), threading.Event()

    def holding(run):
        def held(*args, **kwargs):
            running.set()
            release.wait(10)
            return run(*args, **kwargs)
        return held

    # One by one, or together with others that arrive at once (bots/runtime/lane.py).
    for name in ("invoke", "invoke_many"):
        monkeypatch.setattr(dispatcher, name, holding(getattr(dispatcher, name)))
    return running, release


async def test_a_quick_command_is_answered_in_the_http_response_and_nothing_is_posted(
    workspace,
):
    await _pledge(workspace)

    answer = await workspace.command("bob", "/pledge sign ethics")

    assert answer.status == 200
    assert answer.in_ack["response_type"] == "ephemeral"
    assert "You signed the pledge" in answer.in_ack["text"]
    assert answer.in_ack["blocks"][0]["type"] == "section"
    assert answer.posted == []
    assert workspace.count(Signature) == 1


async def test_a_command_slower_than_the_deadline_is_acked_empty_and_answered_later(
    workspace, monkeypatch,
):
    await _pledge(workspace)
    workspace.live.slack.answer_within = 0.2
    running, release = _held(workspace, monkeypatch)
    body = slash_command_body("/pledge", "sign ethics", user_id=PEOPLE["bob"],
                              response_url=workspace.mock.response_url("slow"))

    began = time.monotonic()
    ack = await workspace.post(body)
    acked_after = time.monotonic() - began
    assert running.is_set() and workspace.count(Signature) == 0, "acked before it committed"
    release.set()
    [reply] = await workspace.mock.wait_for("response_url:slow")

    assert ack.status_code == 200 and ack.text == ""
    assert 0.2 <= acked_after < 2.0
    assert reply.args["response_type"] == "ephemeral"
    assert "You signed the pledge" in reply.args["text"]
    assert workspace.count(Signature) == 1


async def test_past_the_backlog_a_command_is_told_busy_at_once_and_nothing_is_done(
    workspace, monkeypatch,
):
    await _pledge(workspace)
    workspace.live.slack.backlog.limit = 1
    running, release = _held(workspace, monkeypatch)
    backlog = workspace.live.slack.backlog
    take = backlog.take

    def refused_then_release() -> bool:
        # The harness returns an answer once every task has settled, the held one included:
        # the held command goes on as soon as the second one has been turned away.
        taken = take()
        if not taken:
            release.set()
        return taken

    monkeypatch.setattr(backlog, "take", refused_then_release)
    first = asyncio.ensure_future(workspace.command("bob", "/pledge sign ethics"))
    await asyncio.to_thread(running.wait, 5)

    second = await workspace.command("carol", "/pledge sign ethics")
    answered = await first
    after = await workspace.command("carol", "/pledge sign ethics")

    assert second.status == 200
    assert second.in_ack["response_type"] == "ephemeral"
    assert second.in_ack["text"] == BUSY and "try again in a minute" in BUSY
    assert second.posted == []
    assert "You signed the pledge" in answered.text
    assert "You signed the pledge" in after.text, "a request told busy is not remembered"
    assert workspace.count(Signature) == 2
    assert workspace.live.slack.backlog.taken == 0


async def test_past_the_backlog_a_form_stays_open_saying_busy_and_files_nothing(
    workspace, monkeypatch,
):
    await start_campaign(workspace, liaison="carol", members=("bob",))
    await workspace.command("bob", "/grievance ethics")
    [opened] = workspace.opened_views()
    workspace.live.slack.backlog.limit = 0

    refused = await workspace.submit("bob", opened, {
        "text": "The on-call rota leaves no rest between shifts.", "tag": "solve"})

    assert refused.json()["response_action"] == "errors"
    [(field, text)] = refused.json()["errors"].items()
    assert field == "text" and "try again in a minute" in text
    assert workspace.live.slack.backlog.taken == 0


async def test_an_answer_of_several_messages_comes_in_order_on_the_response_url(
    workspace, monkeypatch,
):
    await _pledge(workspace)
    # Forty replies at once need more blocks than one Slack message holds.
    replies = [Reply("errors/unexpected.j2", {"incident": f"{n:06d}"}) for n in range(40)]
    monkeypatch.setattr(workspace.live.slack.dispatcher, "invoke", lambda *a, **k: replies)

    answer = await workspace.command("bob", "/pledge status ethics")

    assert answer.status == 200 and answer.ack == ""
    assert len(answer.posted) == 2
    sections = [block["text"]["text"] for message in answer.posted
                for block in message["blocks"] if block["type"] == "section"]
    assert [find(r"\d{6}", text) for text in sections] == [f"{n:06d}" for n in range(40)]


async def test_past_the_backlog_busy_is_said_before_bolt_and_only_to_genuine_requests(
    workspace, monkeypatch,
):
    await _pledge(workspace)
    backlog = workspace.live.slack.backlog
    backlog.limit, backlog.taken = 1, 1  # one command at work, and no room for another

    def no_bolt(request):
        raise AssertionError("bolt was asked to dispatch")

    monkeypatch.setattr(workspace.live.bolt, "async_dispatch", no_bolt)
    busy = await workspace.command("carol", "/pledge sign ethics")
    assert busy.status == 200 and busy.in_ack["text"] == BUSY
    assert busy.in_ack["response_type"] == "ephemeral" and busy.posted == []
    monkeypatch.undo()

    # Anything the early answer cannot vouch for goes to bolt, which says what it always says.
    forged = await workspace.command("carol", "/pledge sign ethics", secret="an-attacker-guess")
    stale = await workspace.command("carol", "/pledge sign ethics",
                                    timestamp=int(time.time()) - 5 * 60 - 1)
    body = slash_command_body("/pledge", "sign ethics", user_id=PEOPLE["carol"],
                              response_url=workspace.mock.response_url("retry"))
    retry = await workspace.post(body, retry_num=1)

    assert (forged.status, stale.status) == (401, 401)
    assert retry.status_code == 200 and retry.text == ""
    assert workspace.count(Signature) == 0
    assert backlog.taken == 1, "a refusal takes nothing on"


async def test_with_room_again_a_command_goes_to_bolt_and_runs(workspace):
    await _pledge(workspace)
    backlog = workspace.live.slack.backlog
    backlog.limit, backlog.taken = 1, 1
    assert (await workspace.command("carol", "/pledge sign ethics")).in_ack["text"] == BUSY
    backlog.taken = 0

    answer = await workspace.command("carol", "/pledge sign ethics")

    assert "You signed the pledge" in answer.text
    assert workspace.count(Signature) == 1 and backlog.taken == 0
