"""Attack: post a captured, validly signed Slack request again within its five minutes.

Whoever sees one signed request (a proxy log, a browser extension, a capture)
could send it again before bolt's age check refuses it. Each copy must be
acknowledged and not run, on whichever worker it lands; Slack's own retries
are acknowledged as before, and what is stored to remember a request says
nothing about who sent what.
"""

from __future__ import annotations

import time

from sqlalchemy import text

from bots.slack_app.app import EventsEndpoint
from bots.slack_app.replays import FORGET_EVERY
from bots.slack_app.run import running
from campaigns.grievances.models import Grievance
from tests.e2e.slack_app.payloads import sign, slash_command_body
from tests.e2e.slack_app.workspace import PEOPLE, SECRET, find, start_campaign

GRIEVANCE = 'ethics --text "The on-call rota leaves no rest between shifts." --solve'


def _filing(workspace, where: str = "file") -> tuple[bytes, dict]:
    body = slash_command_body("/grievance", GRIEVANCE, user_id=PEOPLE["bob"], user_name="bob",
                              response_url=workspace.mock.response_url(where))
    return body, sign(body, SECRET)


async def test_the_same_signed_grievance_posted_three_times_files_one(workspace):
    await start_campaign(workspace, liaison="carol", members=("bob",))
    body, headers = _filing(workspace)

    answers = [await workspace.http.post("/slack/events", content=body, headers=headers)
               for _ in range(3)]
    await workspace.settle()

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert workspace.count(Grievance) == 1
    assert find(r"G-[A-Z0-9]{6}", answers[0].json()["text"])
    assert [a.text for a in answers[1:]] == ["", ""], "a copy is acknowledged with nothing"
    assert workspace.mock.calls("response_url:file") == []


async def test_a_copy_sent_to_another_worker_is_not_run_there_either(
        workspace, slack_settings, clock, asgi_client):
    await start_campaign(workspace, liaison="carol", members=("bob",))
    body, headers = _filing(workspace)
    async with (
        running(slack_settings, socket_mode=False, clock=clock, realtime=False,
                logging_setup=False) as other,
        asgi_client(EventsEndpoint(other.bolt)) as second,
    ):
        first = await workspace.http.post("/slack/events", content=body, headers=headers)
        await workspace.settle()
        copy = await second.post("/slack/events", content=body, headers=headers)
        await other.slack.settle()

    assert (first.status_code, copy.status_code) == (200, 200)
    assert workspace.count(Grievance) == 1


async def test_a_replayed_modal_submission_files_one_grievance(workspace, slack_settings, clock,
                                                               asgi_client):
    await start_campaign(workspace, liaison="carol", members=("bob",))
    await workspace.command("bob", "/grievance ethics")
    [opened] = workspace.opened_views()
    body = workspace.submission_body("bob", opened, {
        "text": "The on-call rota leaves no rest between shifts.", "tag": "solve"})
    headers = sign(body, SECRET)
    first = await workspace.http.post("/slack/events", content=body, headers=headers)
    again = await workspace.http.post("/slack/events", content=body, headers=headers)
    async with (
        running(slack_settings, socket_mode=False, clock=clock, realtime=False,
                logging_setup=False) as other,
        asgi_client(EventsEndpoint(other.bolt)) as second,
    ):
        elsewhere = await second.post("/slack/events", content=body, headers=headers)
    await workspace.settle()

    assert first.json() == again.json(), "a double click still gets the first answer"
    assert elsewhere.status_code == 200 and not elsewhere.content.strip()
    assert workspace.count(Grievance) == 1


async def test_slack_retries_are_still_acknowledged_and_a_new_request_still_runs(workspace):
    await start_campaign(workspace, liaison="carol", members=("bob",))
    body, headers = _filing(workspace)
    await workspace.http.post("/slack/events", content=body, headers=headers)
    retry = await workspace.post(body, retry_num=1)
    fresh = await workspace.command("bob", "/grievance " + GRIEVANCE)

    assert retry.status_code == 200 and fresh.status == 200
    assert workspace.count(Grievance) == 2
    assert find(r"G-[A-Z0-9]{6}", fresh.replies[0]["text"])


async def test_what_is_kept_is_a_hash_and_an_expiry_and_old_ones_are_purged(workspace):
    from campaigns.core.models import SeenRequest

    await start_campaign(workspace, liaison=None, members=())
    with workspace.app.unit() as uow:
        uow.session.add(SeenRequest(digest="0" * 64, expires_at=int(time.time()) - 1))
        uow.commit()
    body, headers = _filing(workspace)
    # Expired rows are deleted as requests arrive, at most once a minute: a minute has passed.
    workspace.live.slack.forgot_seen_at -= FORGET_EVERY
    await workspace.http.post("/slack/events", content=body, headers=headers)

    with workspace.app.engine.connect() as conn:
        rows = conn.execute(text("SELECT digest, expires_at FROM seen_request")).all()
    assert "0" * 64 not in [digest for digest, _ in rows], "expired rows are deleted"
    stamp = int(headers["X-Slack-Request-Timestamp"])
    for digest, expires_at in rows:
        assert len(digest) == 64 and int(digest, 16) >= 0
        assert headers["X-Slack-Signature"].removeprefix("v0=") not in digest
        assert stamp < expires_at <= stamp + 6 * 60
    assert all(PEOPLE["bob"] not in str(row) and "rota" not in str(row) for row in rows)


async def _posted_twice(workspace, who: str, line: str, where: str):
    command, _, words = line.partition(" ")
    body = slash_command_body(command, words, user_id=PEOPLE[who], user_name=who,
                              response_url=workspace.mock.response_url(where))
    headers = sign(body, SECRET)
    first = await workspace.http.post("/slack/events", content=body, headers=headers)
    copy = await workspace.http.post("/slack/events", content=body, headers=headers)
    await workspace.settle()
    return first, copy


async def test_a_copy_of_a_refused_or_a_read_only_command_is_not_answered_either(workspace):
    # Their record is written with the command: one that fails, or writes nothing, keeps it.
    await start_campaign(workspace, liaison="carol", members=("bob",))
    refused, refused_copy = await _posted_twice(workspace, "bob", "/pledge sign nosuch", "r")
    status, status_copy = await _posted_twice(workspace, "bob", "/campaign status ethics", "s")

    assert refused.json()["text"] and status.json()["text"]
    assert refused_copy.text == status_copy.text == "", "each copy is acknowledged with nothing"
    assert workspace.mock.calls("response_url:r") == workspace.mock.calls("response_url:s") == []


async def test_copies_of_a_signature_sent_at_once_sign_once(workspace):
    import asyncio

    from campaigns.core.models import Signature

    await start_campaign(workspace, liaison="carol", members=("bob",))
    await workspace.command("alice", '/pledge create ethics --text "We will not build it"')
    body = slash_command_body("/pledge", "sign ethics", user_id=PEOPLE["dave"],
                              user_name="dave", response_url=workspace.mock.response_url("p"))
    headers = sign(body, SECRET)

    answers = await asyncio.gather(*(workspace.http.post("/slack/events", content=body,
                                                         headers=headers) for _ in range(8)))
    await workspace.settle()

    assert sorted(bool(answer.text) for answer in answers) == [False] * 7 + [True]
    assert workspace.count(Signature) == 1
