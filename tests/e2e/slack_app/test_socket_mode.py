"""Socket Mode: the same app over Slack's WebSocket, with no public URL (SLACK_APP_TOKEN)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from urllib.parse import parse_qsl

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from sqlmodel import select

from bots.slack_app.run import running
from campaigns.core.models import Campaign
from tests.e2e.slack_app.payloads import slash_command_body


@asynccontextmanager
async def _over_socket_mode(slack_settings, clock, mock_slack):
    """Concerted running in Socket Mode, connected to the mock's socket."""
    settings = slack_settings.model_copy(update={"slack_app_token": "xapp-concerted-test"})
    async with running(settings, socket_mode=True, clock=clock, realtime=False,
                       logging_setup=False) as live:
        handler = AsyncSocketModeHandler(live.bolt, settings.slack_app_token)
        await handler.connect_async()
        try:
            await mock_slack.wait_for_socket()
            yield live
        finally:
            await handler.close_async()


def _payload(mock_slack, user: str, command: str, text: str) -> dict:
    body = slash_command_body(command, text, user_id=user, user_name=user.lower(),
                              response_url=mock_slack.response_url("socket"))
    return dict(parse_qsl(body.decode(), keep_blank_values=True))


async def test_a_slash_command_over_socket_mode_is_acked_answered_and_run_once(
    slack_settings, clock, mock_slack,
):
    async with _over_socket_mode(slack_settings, clock, mock_slack) as live:
        payload = _payload(mock_slack, "U0ALICE", "/campaign", "create ethics --headcount 40")
        first = await mock_slack.send_envelope("slash_commands", payload)
        retried = await mock_slack.send_envelope("slash_commands", payload, retry_attempt=1)
        acks = await mock_slack.wait_for("socket:ack", 2)
        await live.slack.settle()
        with live.slack.app.unit() as uow:
            campaigns = uow.session.exec(select(Campaign.name)).all()

    [opened] = mock_slack.calls("apps.connections.open")
    assert opened.token == "xapp-concerted-test"
    assert sorted(ack.args["envelope_id"] for ack in acks) == sorted([first, retried])
    # The answer rides on the first envelope's ack; the retry's ack carries nothing.
    by_envelope = {ack.args["envelope_id"]: ack.args for ack in acks}
    reply = by_envelope[first]["payload"]
    assert reply["response_type"] == "ephemeral" and "you are its lead" in reply["text"]
    assert "payload" not in by_envelope[retried]
    assert mock_slack.calls("response_url:socket") == []
    assert campaigns == ["ethics"]


async def test_signatures_over_socket_mode_are_signed_together_and_answered_in_their_acks(
    slack_settings, clock, mock_slack,
):
    lines = [("U0ALICE", "/campaign", "create ethics --headcount 40"),
             ("U0ALICE", "/pledge", 'create ethics --text "We will not build it"')]
    signers = ["U0BOB", "U0CAROL", "U0DAN"]
    async with _over_socket_mode(slack_settings, clock, mock_slack) as live:
        for number, (user, command, text) in enumerate(lines, 1):
            await _envelope(mock_slack, user, command, text)
            await mock_slack.wait_for("socket:ack", number)
        sent = [await _envelope(mock_slack, user, "/pledge", "sign ethics") for user in signers]
        acks = await mock_slack.wait_for("socket:ack", len(lines) + len(signers))
        await live.slack.settle()
        lane = live.slack.lane

    by_envelope = {ack.args["envelope_id"]: ack.args for ack in acks}
    assert all("You signed the pledge" in by_envelope[envelope]["payload"]["text"]
               for envelope in sent)
    assert mock_slack.calls("response_url:socket") == []
    assert lane.commands == len(signers)  # on the lane, with whoever else signed at once


async def _envelope(mock_slack, user: str, command: str, text: str) -> str:
    return await mock_slack.send_envelope("slash_commands",
                                          _payload(mock_slack, user, command, text))
