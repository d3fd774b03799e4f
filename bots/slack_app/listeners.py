"""Slash commands: ack at once, read the command once, open its form or run it off the loop,
answer privately."""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from slack_sdk.web.async_client import AsyncWebClient

from bots.commands.dispatch import Outcome
from bots.commands.forms import forms, translated
from bots.commands.replies import FormRequest, Reply
from bots.slack_app.adapter import Slack
from bots.slack_app.files import file_blocks
from bots.slack_app.modals import open_form
from bots.slack_app.replays import is_first_delivery
from bots.slack_app.translate import to_messages, to_person, to_text
from bots.slack_app.views import Opening, form_to_open

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
    channel = command.get("channel_id")
    read = slack.dispatcher.read(to_text(command["command"], command.get("text", "")))
    opening = form_to_open(read, channel)
    if opening is not None:
        # Labels in the person's language when Slack already told it (no time to ask now).
        known = slack.locales.cached(command["team_id"], command["user_id"]).locale
        opening = replace(opening, form=translated(opening.form, slack.app.languages, known))
        # trigger_id lives three seconds: the modal opens before any database work.
        await open_form(client, command.get("trigger_id"), opening)
        # The person's language, ready for when the form comes back.
        slack.spawn(slack.locales.of(client, command["team_id"], command["user_id"]))
        return
    if headers is not None and not await is_first_delivery(slack, headers):
        return
    asker = await slack.locales.of(client, command["team_id"], command["user_id"])
    if isinstance(read, Reply):
        outcome: Outcome = slack.dispatcher.localize([read], asker)
    else:
        person = to_person(command["team_id"], command["user_id"])
        outcome = await slack.invoke(person, read, channel, forms=True, asker=asker)
    if isinstance(outcome, FormRequest):
        await open_form(client, command.get("trigger_id"), _opening_for(outcome, channel))
        return
    await send_replies(slack, command["response_url"], outcome)


def _opening_for(request: FormRequest, channel: str | None) -> Opening:
    return Opening(forms()[request.form], request.campaign, channel)


async def send_replies(slack: Slack, response_url: str, outcome: Outcome) -> None:
    """The replies as ephemeral messages through the response_url: only the asker sees them."""
    parts = []
    for reply in outcome:
        extra = await file_blocks(slack, reply.files) if reply.files else []
        parts.append((slack.render(reply.template, reply.data, reply.locality), extra))
    for message in to_messages(parts):
        try:
            await slack.post_response(response_url, message)
        except Exception as exc:  # noqa: BLE001 - a lost answer must not hide the next one
            log.warning("slack.reply_failed error=%s", type(exc).__name__)
