"""Requests Slack must not be able to fake or repeat: signatures, age, retries, double clicks."""

from __future__ import annotations

import asyncio
import time

from campaigns.core.models import Campaign, Signature
from petitions.models import Petition
from tests.e2e.slack_app.payloads import slash_command_body
from tests.e2e.slack_app.workspace import PEOPLE, start_campaign


async def _prepared(workspace) -> None:
    await start_campaign(workspace, liaison=None, members=())
    await workspace.command("alice", '/pledge create ethics --text "We will not build it"')
    workspace.mock._calls.clear()


async def test_a_request_with_a_bad_signature_gets_401_changes_nothing_and_calls_nothing(
    workspace,
):
    await _prepared(workspace)

    answer = await workspace.command("bob", "/pledge sign ethics", secret="an-attacker-guess")

    assert answer.status == 401
    assert answer.replies == []
    assert workspace.count(Signature) == 0
    assert workspace.mock.calls() == []


async def test_a_request_signed_more_than_five_minutes_ago_gets_401_and_changes_nothing(
    workspace,
):
    await _prepared(workspace)

    answer = await workspace.command("bob", "/pledge sign ethics",
                                     timestamp=int(time.time()) - 5 * 60 - 1)

    assert answer.status == 401
    assert workspace.count(Signature) == 0
    assert workspace.mock.calls() == []


async def test_a_retried_request_is_acknowledged_and_not_run_again(workspace):
    await _prepared(workspace)
    body = slash_command_body("/pledge", "sign ethics", user_id=PEOPLE["bob"],
                              response_url=workspace.mock.response_url("sign"))

    first = await workspace.post(body)
    retry = await workspace.post(body, retry_num=1)
    await workspace.settle()

    assert (first.status_code, retry.status_code) == (200, 200)
    assert workspace.count(Signature) == 1
    assert "You signed" in first.json()["text"]
    assert retry.text == ""
    assert workspace.mock.calls("response_url:sign") == []


async def test_the_same_command_sent_twice_at_once_signs_once(workspace):
    await _prepared(workspace)
    # Two deliveries of one command typed twice: each has its own trigger_id and signature
    # (an identical copy is a replay, acknowledged and not run: tests/privacy).
    bodies = [slash_command_body("/pledge", "sign ethics", user_id=PEOPLE["bob"],
                                 response_url=workspace.mock.response_url("sign"))
              for _ in range(2)]

    responses = await asyncio.gather(*(workspace.post(body) for body in bodies))
    await workspace.settle()

    assert [r.status_code for r in responses] == [200, 200]
    assert workspace.count(Signature) == 1
    replies = [r.json()["text"] for r in responses]
    assert any("You signed" in text for text in replies)
    assert not any("went wrong" in text for text in replies)


async def test_a_double_clicked_modal_submit_creates_one_draft_and_both_get_the_same_answer(
    workspace,
):
    await start_campaign(workspace, liaison="carol", members=("bob",))
    await workspace.command("bob", "/petition draft ethics")
    [opened] = workspace.opened_views()
    body = workspace.submission_body("bob", opened, {
        "title": "End nudify merchant accounts", "to": "Chief Risk Officer",
        "point1": "One.", "point2": "Two.", "point3": "Three.", "ask": "Stop it by June."})

    first, second = await asyncio.gather(workspace.post(body), workspace.post(body))

    assert first.json() == second.json()
    assert first.json()["response_action"] == "update"
    assert workspace.count(Petition) == 1


async def test_a_corrected_resubmission_of_a_refused_modal_runs_again(workspace):
    await workspace.command("alice", "/campaign create")
    [opened] = workspace.opened_views()
    values = {"name": "ethics", "title": "Ethics", "headcount": "forty"}

    refused = await workspace.submit("alice", opened, values)
    accepted = await workspace.submit("alice", opened, {**values, "headcount": "40"})

    assert refused.json()["response_action"] == "errors"
    assert accepted.json()["response_action"] == "update"
    assert workspace.count(Campaign) == 1


async def test_a_command_whose_text_says_payload_is_still_answered(workspace):
    await start_campaign(workspace, liaison=None, members=("bob",))

    answer = await workspace.command("bob", "/campaign team ethics payload platform")

    assert answer.status == 200
    assert "payload platform" in answer.text


async def test_acks_come_by_the_deadline_while_the_database_is_busy_and_answers_follow(
    workspace,
):
    await _prepared(workspace)
    workspace.live.slack.answer_within = 0.3
    release = asyncio.Event()
    blocked = asyncio.Event()

    def hold_the_database() -> None:
        # Another writer holds the database, as a long job or a slow disk would. SQLite has
        # one writer, so any write holds it; PostgreSQL locks rows, so there the table the
        # signatures go into is locked against writes (reads go on).
        with workspace.app.engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(
                    f"LOCK TABLE {Signature.__tablename__} IN EXCLUSIVE MODE")
            else:
                connection.exec_driver_sql("UPDATE campaign SET headcount = headcount")
            blocked.set()
            asyncio.run_coroutine_threadsafe(release.wait(), loop).result()
            connection.commit()

    loop = asyncio.get_running_loop()
    holder = asyncio.ensure_future(asyncio.to_thread(hold_the_database))
    await blocked.wait()
    bodies = [slash_command_body("/pledge", "sign ethics", user_id=f"U0LOAD{i:03d}",
                                 response_url=workspace.mock.response_url(f"l{i}"))
              for i in range(40)]

    started = time.perf_counter()
    acks = await asyncio.gather(*(workspace.post(body) for body in bodies))
    acked_in = time.perf_counter() - started
    release.set()
    await holder
    await workspace.settle()

    assert [ack.status_code for ack in acks] == [200] * 40
    assert acked_in < 1.5
    assert [ack.text for ack in acks] == [""] * 40
    assert workspace.count(Signature) == 40
    assert len([c for c in workspace.mock.calls() if c.method.startswith("response_url:l")]) == 40
