"""Modal submissions: the form's values become the command's Invocation, run like any other.

A refusal keeps the modal open with the reason under the field it concerns
(`response_action: errors`); success turns the modal into the answer
(`response_action: update`), so nothing lands in the channel.
"""

from __future__ import annotations

import hashlib
import json
import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.commands.forms import form_invocation
from bots.commands.parser import Invocation, Spec
from bots.commands.replies import Kind
from bots.slack_app.adapter import Slack
from bots.slack_app.replays import is_first_delivery
from bots.slack_app.translate import to_person
from bots.slack_app.views import (
    CALLBACK,
    CONFIRMATIONS,
    Opening,
    clip,
    error_block,
    has_field_for,
    modal,
    problem_block,
    read_submission,
    result_view,
)

log = logging.getLogger("concerted.slack.modals")
PROBLEM = "petition/problem.j2"
BUSY = "errors/busy.j2"


async def open_form(client: AsyncWebClient, trigger_id: str | None, opening: Opening) -> None:
    """Open a form's modal; the trigger_id must be used within three seconds of the click."""
    try:
        await client.views_open(trigger_id=trigger_id, view=modal(opening))
    except SlackApiError as exc:
        log.warning("slack.form_not_opened form=%s error=%s", opening.form.name,
                    exc.response.get("error", "unknown"))


def register(bolt, slack: Slack) -> None:
    """Handle submissions of every form modal."""

    async def form_submitted(ack, body: dict, view: dict, request) -> None:
        # One submission, one run: a double click or a repeat gets the first answer. A refusal
        # is not kept, so the same values sent again after fixing the cause are run again.
        async def once() -> dict:
            # A copy of a submission another worker already ran is acknowledged, not run.
            if not await is_first_delivery(slack, request.headers):
                return {}
            return await submit(slack, body, view)

        if not slack.backlog.take():
            # The form stays open with its values, saying why, so it can be sent again.
            await ack(**_busy(slack, body, view))
            return
        try:
            answer = await slack.submissions.run(_key(view), once,
                                                 keep=lambda ack_args: "errors" not in ack_args)
        finally:
            slack.backlog.done()
        await ack(**answer)

    bolt.view(CALLBACK)(form_submitted)


async def submit(slack: Slack, body: dict, view: dict) -> dict:
    """Run the submitted form; returns the arguments of the ack that answers it."""
    submission = read_submission(view)
    if submission is None:
        log.warning("slack.form_unknown")
        return {}
    form = submission.form
    person = to_person(_team(body, view), body["user"]["id"])
    inv = form_invocation(slack.dispatcher.registry, form, submission.values,
                          {"name": submission.campaign} if submission.campaign else None)
    if submission.confirm and _is_flag(inv.spec, submission.confirm):
        inv = Invocation(inv.spec, inv.args, {**inv.options, submission.confirm: True})
    outcome = await slack.invoke(person, inv, submission.channel,
                                 asker=slack.locales.cached(person.workspace, person.user))
    replies = list(outcome) if isinstance(outcome, list) else []
    refusals = [reply for reply in replies if reply.kind is Kind.REFUSAL]
    if refusals:
        return {"response_action": "errors", "errors": _errors(slack, form, refusals)}
    asking = next((reply for reply in replies
                   if reply.kind is Kind.WARNING and reply.confirm and form.name in CONFIRMATIONS),
                  None)
    if asking is not None:
        tick = has_field_for(form, asking.confirm)
        notice = slack.render(CONFIRMATIONS[form.name], {**asking.data, "tick": tick},
                              asking.locality)
        again = Opening(form, submission.campaign, submission.channel, submission.values,
                        notice, None if tick else asking.confirm)
        return {"response_action": "update", "view": modal(again)}
    text = "\n\n".join(slack.render(reply.template, reply.data, reply.locality)
                       for reply in replies)
    return {"response_action": "update", "view": result_view(form, text)}


def _busy(slack: Slack, body: dict, view: dict) -> dict:
    submission = read_submission(view)
    if submission is None:
        return {}
    first = submission.form.modal_fields("slack")[0].key
    known = slack.locales.cached(_team(body, view), body["user"]["id"])
    return {"response_action": "errors", "errors": {first: clip(slack.plain.render(BUSY, known))}}


def _errors(slack: Slack, form, refusals) -> dict[str, str]:
    errors: dict[str, str] = {}

    def add(block: str, text: str) -> None:
        errors[block] = clip(f"{errors[block]} {text}" if block in errors else text)

    for reply in refusals:
        problems = reply.data.get("problems") or []
        if problems and all(hasattr(p, "rule") for p in problems):
            # A refused draft lists each broken rule: each goes under the field it is about.
            for problem in problems:
                add(problem_block(form, problem),
                    slack.plain.render(PROBLEM, problem=problem).rstrip(".") + ".")
            continue
        add(error_block(form, reply), slack.plain.render(reply.template, reply.locality,
                                                         **reply.data))
    return errors


def _is_flag(spec: Spec, name: str) -> bool:
    # The flag comes back in the view's metadata: only a flag of the command itself counts.
    return any(option.name == name and option.kind == "flag" for option in spec.options)


def _key(view: dict) -> str:
    state = json.dumps((view.get("state") or {}).get("values") or {}, sort_keys=True)
    seen = f"{view.get('id')}:{view.get('hash')}:{state}"
    return hashlib.sha256(seen.encode()).hexdigest()


def _team(body: dict, view: dict) -> str:
    return (body.get("team") or {}).get("id") or body["user"].get("team_id") or view["team_id"]
