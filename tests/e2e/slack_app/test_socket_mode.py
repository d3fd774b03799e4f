"""Socket Mode: the same app over Slack's WebSocket, with no public URL (SLACK_APP_TOKEN)."""

from __future__ import annotations

from urllib.parse import parse_qsl

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from sqlmodel import select

from bots.slack_app.run import running
from campaigns.core.models import Campaign
from tests.e2e.slack_app.payloads import slash_command_body


async def test_a_slash_command_over_socket_mode_is_acked_answered_and_run_once(
    slack_settings, clock, mock_slack,
):
    settings = slack_settings.model_copy(update={"slack_app_token": "xapp-concerted-test"})
    async with running(settings, socket_mode=True, clock=clock, realtime=False,
                       logging_setup=False) as live:
        handler = AsyncSocketModeHandler(live.bolt, settings.slack_app_token)
        await handler.connect_async()
        try:
            await mock_slack.wait_for_socket()
            body = slash_command_body("/campaign", "create ethics --headcount 40",
                                      response_url=mock_slack.response_url("socket"))
            payload = dict(parse_qsl(body.decode(), keep_blank_values=True))

            first = await mock_slack.send_envelope("slash_commands", payload)
            retried = await mock_slack.send_envelope("slash_commands", payload, retry_attempt=1)
            acks = await mock_slack.wait_for("socket:ack", 2)
            await live.slack.settle()
            with live.slack.app.unit() as uow:
                campaigns = uow.session.exec(select(Campaign.name)).all()
        finally:
            await handler.close_async()

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
