"""A Slack user reads Concerted in the language and time zone Slack says they use (`users.info`
with `include_locale`), asked once and kept only in memory; others keep the campaign's."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bots.slack_app.app import EventsEndpoint
from bots.slack_app.run import running
from tests.e2e.slack_app.mock_slack import slack_user
from tests.e2e.slack_app.workspace import PEOPLE, Workspace


def _set(workspace, who: str, **fields: str) -> None:
    for user in workspace.mock.users:
        if user["id"] == PEOPLE[who]:
            user.update(fields)


async def test_a_user_whose_slack_says_es_es_gets_spanish_and_others_english(workspace):
    _set(workspace, "bob", locale="es-ES", tz="Europe/Madrid")
    await workspace.command("alice", "/campaign create ethics --headcount 40")
    await workspace.command("alice", '/pledge create ethics --text "We will not build it"')
    await workspace.advance(timedelta(hours=1))

    bob = await workspace.command("bob", "/pledge status ethics")
    again = await workspace.command("bob", "/pledge sign ethics")
    alice = await workspace.command("alice", "/pledge status ethics")

    assert "*Compromiso de ethics*" in bob.text and "Abierto a firmas." in bob.text
    assert "11:00 Europe/Madrid" in bob.text  # the 10:00 UTC count, in Madrid's winter time
    assert "Firmaste el compromiso de `ethics`." in again.text
    assert "*Pledge of ethics*" in alice.text and "10:00 UTC" in alice.text
    asked = [call.args for call in workspace.mock.calls("users.info")]
    assert {args["user"] for args in asked} == {PEOPLE["alice"], PEOPLE["bob"]}
    assert len(asked) == 2, "asked once per person, then kept in memory"
    assert all(str(args["include_locale"]).lower() in ("true", "1") for args in asked)


async def test_a_user_value_stays_escaped_inside_a_spanish_sentence(workspace):
    _set(workspace, "bob", locale="es-ES")
    await workspace.command("alice", "/campaign create ethics --headcount 40")
    refused = await workspace.command("bob", "/campaign timezone ethics <!channel>")
    assert "&lt;!channel&gt;" in refused.text and "<!channel>" not in refused.text
    assert "no es una zona horaria" in refused.text


async def test_a_slow_users_info_does_not_hold_the_answer_and_the_next_one_is_in_spanish(
        workspace):
    _set(workspace, "bob", locale="es-ES")
    await workspace.command("alice", "/campaign create ethics --headcount 40")
    await workspace.command("alice", '/pledge create ethics --text "We will not build it"')
    # Slack is rate-limiting users.info: the look-up is retried after a second.
    workspace.mock.throttle("users.info", times=1, retry_after=1)

    first = await workspace.command("bob", "/pledge sign ethics")
    await workspace.mock.wait_for("users.info", count=2, timeout=5)  # alice's, then bob's retry
    await asyncio.sleep(0.1)
    again = await workspace.command("bob", "/pledge sign ethics")

    assert first.in_ack is not None, "answered in the acknowledgement, not held by Slack"
    assert "You signed the pledge of `ethics`" in first.text
    assert "Ya habías firmado así el compromiso de `ethics`" in again.text
    assert len(workspace.mock.calls("ratelimited:users.info")) == 1
    assert len(workspace.mock.calls("users.info")) == 2, "bob's language was asked once"


@pytest.fixture
async def listed(slack_settings, clock, mock_slack, asgi_client):
    """A workspace of 500 people whose languages Concerted lists at start, as `concerted run`
    does (200 a page)."""
    mock_slack.users += [slack_user(f"U1{n:05d}", f"person{n}") for n in range(492)]
    _set_user(mock_slack, "bob", locale="es-ES", tz="Europe/Madrid")
    _set_user(mock_slack, "carol", locale="de-DE", tz="Europe/Berlin")
    mock_slack.throttle("users.list", times=1, retry_after=1)  # Slack says wait, once
    async with (
        running(slack_settings, socket_mode=False, clock=clock, realtime=False,
                logging_setup=False, list_people=True) as live,
        asgi_client(EventsEndpoint(live.bolt)) as http,
    ):
        async with asyncio.timeout(10):
            while live.slack.locales.cached(mock_slack.team_id, PEOPLE["carol"]).locale is None:
                await asyncio.sleep(0.05)
        yield Workspace(live, mock_slack, http, clock)


def _set_user(mock, who: str, **fields: str) -> None:
    for user in mock.users:
        if user["id"] == PEOPLE[who]:
            user.update(fields)


async def test_people_listed_at_start_are_answered_in_their_language_without_users_info(listed):
    await listed.command("alice", "/campaign create ethics --headcount 40")
    await listed.command("alice", '/pledge create ethics --text "We will not build it"')

    bob = await listed.command("bob", "/pledge sign ethics")
    carol = await listed.command("carol", "/pledge sign ethics")

    assert "Firmaste el compromiso de `ethics`." in bob.text
    assert "ethics" in carol.text and "You signed" not in carol.text  # German
    assert listed.mock.calls("users.info") == [], "nobody was looked up alone"
    assert len(listed.mock.calls("ratelimited:users.list")) == 1, "the 429 was waited out"
    pages = listed.mock.calls("users.list")
    assert len(pages) == 3, "every page of the listing was read, following next_cursor"
    assert all(str(call.args["include_locale"]).lower() in ("true", "1") for call in pages)


async def test_someone_who_joined_after_the_listing_is_looked_up_alone(listed):
    listed.mock.users.append(slack_user(PEOPLE["dave"], "dave", locale="es-ES"))
    await listed.command("alice", "/campaign create ethics --headcount 40")
    await listed.command("alice", '/pledge create ethics --text "We will not build it"')

    dave = await listed.command("dave", "/pledge sign ethics")

    assert "Firmaste el compromiso de `ethics`." in dave.text
    assert [call.args["user"] for call in listed.mock.calls("users.info")] == [PEOPLE["dave"]]
