"""Slash commands: ack at once, open a form or run the command off the loop, answer privately."""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from slack_sdk.web.async_client import AsyncWebClient

from bots.commands.dispatch import Outcome
from bots.commands.forms import forms
from bots.commands.replies import FormRequest
from bots.slack_app import directory
from bots.slack_app.adapter import Slack
from bots.slack_app.files import file_blocks
from bots.slack_app.modals import open_form
from bots.slack_app.replays import is_first_delivery
from bots.slack_app.translate import to_messages, to_person, to_text
from bots.slack_app.views import Opening, form_to_open, is_refusal

log = logging.getLogger("concerted.slack.commands")
ANY_COMMAND = re.compile(r"^/[\w-]+$")


def register(bolt, slack: Slack) -> None:
    """Answer every slash command through the shared command layer."""

    async def slash_command(ack, command: dict, client: AsyncWebClient, request) -> None:
        await ack()
        slack.spawn(answer(slack, command, client, request.headers))

    bolt.command(ANY_COMMAND)(slash_command)


async def answer(slack: Slack, command: dict, client: AsyncWebClient,
                 headers: dict | None = None) -> None:
    """Ack is done: open the form while the trigger is fresh, else run and reply ephemerally.

    A copy of a signed request already run (on any worker) stops here, acknowledged.
    """
    text = to_text(command["command"], command.get("text", ""))
    channel = command.get("channel_id")
    opening = form_to_open(slack.dispatcher.registry, text)
    if opening is not None:
        # trigger_id lives three seconds: the modal opens before any database work.
        await open_form(client, command.get("trigger_id"), replace(opening, channel=channel))
        return
    if headers is not None and not await is_first_delivery(slack, headers):
        return
    person = to_person(command["team_id"], command["user_id"])
    outcome = await slack.run(person, text, channel)
    if isinstance(outcome, FormRequest):
        await open_form(client, command.get("trigger_id"), _opening_for(outcome, channel))
        return
    await send_replies(slack, command["response_url"], outcome)
    if _counts_workspace(slack, text, outcome):
        slack.spawn(directory.refresh_now(slack, command["team_id"]))


def _opening_for(request: FormRequest, channel: str | None) -> Opening:
    return Opening(forms()[request.form], request.campaign, channel)


async def send_replies(slack: Slack, response_url: str, outcome: Outcome) -> None:
    """The replies as ephemeral messages through the response_url: only the asker sees them."""
    parts = []
    for reply in outcome:
        extra = await file_blocks(slack, reply.files) if reply.files else []
        parts.append((slack.render(reply.template, reply.data), extra))
    for message in to_messages(parts):
        try:
            await slack.post_response(response_url, message)
        except Exception as exc:  # noqa: BLE001 - a lost answer must not hide the next one
            log.warning("slack.reply_failed error=%s", type(exc).__name__)


def _counts_workspace(slack: Slack, text: str, outcome: Outcome) -> bool:
    # `headcount NAME auto` needs the workspace's people, which only the adapter can count.
    if any(is_refusal(reply) for reply in outcome):
        return False
    try:
        inv = slack.dispatcher.registry.parse(text)
    except Exception:  # noqa: BLE001 - the command already ran; this is only a follow-up
        return False
    path = getattr(getattr(inv, "spec", None), "path", None)
    return path == ("campaign", "headcount") and str(inv.args.get("n", "")).lower() == "auto"
