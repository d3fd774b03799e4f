"""Slash commands: read the command once, open its form or run it off the loop, and answer
privately: in the acknowledgement itself when the answer is ready within the deadline, else
through the response_url once it is.

A command past the backlog's limit is answered at once that Concerted is busy; it is not
run, and nothing about it is recorded.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from dataclasses import replace
from urllib.parse import parse_qsl

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bots.commands.dispatch import Outcome, Request
from bots.commands.forms import forms, translated
from bots.commands.parser import Invocation
from bots.commands.replies import FormRequest, Reply
from bots.output.i18n import Locality
from bots.slack_app.adapter import Slack
from bots.slack_app.files import file_blocks
from bots.slack_app.modals import open_form
from bots.slack_app.replays import Delivery, delivery, is_first, request_digest
from bots.slack_app.translate import header, retry_number, to_messages, to_person, to_text
from bots.slack_app.views import Opening, form_to_open

log = logging.getLogger("concerted.slack.commands")
ANY_COMMAND = re.compile(r"^/[\w-]+$")
BUSY = "errors/busy.j2"
# How long an answer waits for Slack to say the person's language (users.info) before it
# reads in the campaign's; the look-up goes on for the person's next command.
LOCALE_WAIT = 0.5


def register(bolt, slack: Slack) -> None:
    """Answer every slash command through the shared command layer."""
    bolt.middleware(SlashCommands(slack))


class SlashCommands(AsyncMiddleware):
    """Every slash command, answered from the middleware chain rather than a bolt listener.

    It runs after bolt's own middleware (the request's signature and age are
    checked by then). As a listener, each command also paid for bolt matching
    it against every listener and building every argument a listener could ask
    for (a say, a respond, the payload read eight ways): a sixth of the event
    loop's time in a burst (bench/slack_wrk.py). Anything that is not a slash
    command goes on to bolt's listeners.
    """

    def __init__(self, slack: Slack):
        self.slack = slack

    async def async_process(self, *, req, resp, next):  # noqa: A002 - bolt's own name
        command = req.body
        if not isinstance(command.get("command"), str) or not ANY_COMMAND.match(
                command["command"]):
            return await next()
        ack = req.context.ack
        await self.answer(ack, command, req.context.client, req.headers)
        return ack.response

    async def answer(self, ack, command: dict, client: AsyncWebClient, headers: dict) -> None:
        slack = self.slack
        if not slack.backlog.take():
            await ack(**_busy(slack, command), response_type="ephemeral")
            return
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[list[dict] | None] = loop.create_future()
        # Past the deadline the acknowledgement goes empty (None), and the answer takes the
        # response_url once it is ready.
        deadline = loop.call_later(slack.answer_within, _too_late, ready)
        slack.spawn(_answer(slack, command, client, headers, ready))
        messages = await ready
        deadline.cancel()
        if messages is not None and len(messages) == 1:
            await ack(**messages[0], response_type="ephemeral")
            return
        await ack()


class EarlyBusy:
    """Past the backlog's limit, a slash command told "busy" before bolt builds anything.

    Under overload most requests are refused, and through bolt each refusal
    cost more than a bare acknowledgement (a request object, a Web API client,
    the middleware chain): at twice capacity the refusals took most of the
    process and few signatures got through (bench/slack_wrk.py --overload).
    Here the refusal needs only the signature check, which it still makes: a
    request that fails it, a Slack retry, anything not a slash command, or any
    request while there is room goes on to bolt as before (None).
    """

    def __init__(self, slack: Slack):
        self.slack = slack
        self._verifier = SignatureVerifier(slack.app.settings.slack_signing_secret or "")

    def answer(self, raw: str, headers: dict) -> BoltResponse | None:
        backlog = self.slack.backlog
        if backlog.taken < backlog.limit or "command=" not in raw or retry_number(headers):
            return None
        if not self._verifier.is_valid(raw, header(headers, "x-slack-request-timestamp") or "",
                                       header(headers, "x-slack-signature") or ""):
            return None  # bolt answers 401
        command = dict(parse_qsl(raw, keep_blank_values=True))
        if not ANY_COMMAND.match(command.get("command", "")):
            return None
        if backlog.take():  # room again meanwhile: bolt runs it as usual
            backlog.done()
            return None
        return BoltResponse(status=200, body={**_busy(self.slack, command),
                                              "response_type": "ephemeral"})


def _busy(slack: Slack, command: dict) -> dict:
    """The "busy, try again in a minute" message, in the person's language if it is known."""
    known = slack.locales.cached(command.get("team_id", ""), command.get("user_id", ""))
    [busy] = to_messages([(slack.render(BUSY, {}, known), [])])
    return busy


def _too_late(ready: asyncio.Future) -> None:
    if not ready.done():
        ready.set_result(None)


async def _answer(slack: Slack, command: dict, client: AsyncWebClient, headers: dict,
                  ready: asyncio.Future[list[dict] | None]) -> None:
    # The listener takes one message for its acknowledgement while it still waits; anything
    # else (later, or several messages, which must arrive in order) goes to the response_url.
    try:
        try:
            messages = await answer(slack, command, client, headers)
        except Exception as exc:  # noqa: BLE001 - the person is still told, with no detail
            incident = secrets.token_hex(3)
            log.error("slack.command_failed incident=%s error=%s", incident, type(exc).__name__)
            messages = await to_slack_messages(
                slack, [Reply("errors/unexpected.j2", {"incident": incident})])
        if not ready.done():
            ready.set_result(messages)
            if len(messages) == 1:
                return
        await send_messages(slack, command["response_url"], messages)
    finally:
        if not ready.done():
            ready.set_result([])
        slack.backlog.done()


async def answer(slack: Slack, command: dict, client: AsyncWebClient,
                 headers: dict | None = None) -> list[dict]:
    """Open the form while the trigger is fresh, else run the command: its answer as messages.

    A copy of a signed request already run (on any worker) stops here, with no answer.
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
        return []
    person = to_person(command["team_id"], command["user_id"])
    # The person's language and zone as Slack says them (kept in memory for a while).
    asker = await slack.locales.within(client, command["team_id"], command["user_id"],
                                       LOCALE_WAIT)
    once = delivery(slack, headers) if headers is not None and not isinstance(read, Reply) \
        else None
    if not isinstance(read, Reply) and slack.lane.takes(read) and (
            once is not None or headers is None or request_digest(headers) is None):
        # Run with the others that arrive at the same moment, recorded with them. A request
        # with no signature (Socket Mode, whose retries are acknowledged before they get
        # here) has nothing to record; one whose record waits for expired ones to be
        # deleted first runs on its own (`_once`).
        outcome = await slack.lane.invoke(Request(person, read, channel, asker, once,
                                                  forms=True))
    else:
        # The replay check and the command share one trip to a worker thread.
        outcome = await slack.in_thread(_once, slack, headers, person, read, channel, asker,
                                        once)
    if outcome is None:
        return []
    if isinstance(outcome, FormRequest):
        await open_form(client, command.get("trigger_id"), _opening_for(outcome, channel))
        return []
    return await to_slack_messages(slack, outcome)


def _once(slack: Slack, headers: dict | None, person, read: Invocation | Reply,
          channel: str | None, asker: Locality, once: Delivery | None) -> Outcome | None:
    # In a worker thread: None for a copy of a request already run, else the outcome. A
    # command records its request in its own transaction; anything else, beforehand.
    if once is None and headers is not None and not is_first(slack, headers):
        return None
    if isinstance(read, Reply):
        return slack.dispatcher.localize([read], asker)
    return slack.dispatcher.invoke(person, read, forms=True, channel=channel, asker=asker,
                                   once=once)


def _opening_for(request: FormRequest, channel: str | None) -> Opening:
    return Opening(forms()[request.form], request.campaign, channel)


async def to_slack_messages(slack: Slack, outcome: Outcome) -> list[dict]:
    """The replies rendered for Slack, packed into as few messages as fit."""
    parts = []
    for reply in outcome:
        extra = await file_blocks(slack, reply.files) if reply.files else []
        parts.append((slack.render_reply(reply), extra))
    return to_messages(parts)


async def send_messages(slack: Slack, response_url: str, messages: list[dict]) -> None:
    """Messages through the response_url, in order, as ephemeral: only the asker sees them."""
    for message in messages:
        try:
            await slack.post_response(response_url, message)
        except Exception as exc:  # noqa: BLE001 - a lost answer must not hide the next one
            log.warning("slack.reply_failed error=%s", type(exc).__name__)
