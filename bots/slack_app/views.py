"""Slack views built from the shared forms (bots/commands/forms.py), and read back on submission."""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field as default
from functools import cache

from bots.commands.forms import Form, FormField, forms
from bots.commands.parser import Invocation, arg_key, missing_arguments
from bots.commands.replies import Reply
from bots.output.rendering import TEMPLATES
from bots.slack_app.translate import plain, to_blocks

CALLBACK = "concerted-form"
TITLE_MAX = 24
LABEL_MAX = 2000
PLACEHOLDER_MAX = 150
ERROR_MAX = 2000


@cache
def labels() -> dict[str, str]:
    """Button and view labels; user-facing, so they live with the templates."""
    return json.loads((TEMPLATES / "slack" / "adapter" / "labels.json").read_text())


# What a form says above itself when it opens again because its submission needs
# confirming (a front-page warning warns, never blocks), by form: the values come back as sent.
CONFIRMATIONS = {"grievance": "adapter/confirm_grievance.j2"}


@dataclass(frozen=True)
class Opening:
    """A form to open: which one, the campaign NAME it is for, and the channel it came from.

    When a submission needs confirming, the form opens again with the values
    as sent, a `notice` above them and, unless a field sets it, the `confirm` flag.
    """

    form: Form
    campaign: str | None = None
    channel: str | None = None
    values: dict[str, str] = default(default_factory=dict)
    notice: str | None = None
    confirm: str | None = None


def form_to_open(read: Invocation | Reply, channel: str | None = None) -> Opening | None:
    """The form a command read once opens: one with a form, without any option
    (`/grievance ethics`), lacking no argument the form does not ask for itself
    (`/campaign create` alone may open its form, since NAME is one of its fields)."""
    if not isinstance(read, Invocation) or not read.spec.form or read.options:
        return None
    form = forms().get(read.spec.form)
    if form is None or not _fields_cover(form, missing_arguments(read)):
        return None
    return Opening(form, read.args.get("name"), channel)


def _fields_cover(form: Form, missing: tuple[str, ...]) -> bool:
    fields = {field.arg for field in form.fields if field.arg}
    return {arg_key(name) for name in missing} <= fields


def modal(opening: Opening) -> dict:
    """The modal for a form; private_metadata holds the form, campaign NAME and channel only
    (and the flag a reopened form confirms)."""
    form = opening.form
    metadata = {"form": form.name, "campaign": opening.campaign, "channel": opening.channel}
    if opening.confirm:
        metadata["confirm"] = opening.confirm
    notice = to_blocks(opening.notice) if opening.notice else []
    return {
        "type": "modal",
        "callback_id": CALLBACK,
        "title": plain(form.title, TITLE_MAX),
        "submit": plain(labels()["submit"], TITLE_MAX),
        "close": plain(labels()["cancel"], TITLE_MAX),
        "private_metadata": json.dumps(metadata, separators=(",", ":")),
        "blocks": notice + [_input(field, opening) for field in form.modal_fields("slack")],
    }


def _input(field: FormField, opening: Opening) -> dict:
    block = {
        "type": "input",
        "block_id": field.key,
        "label": plain(field.label, LABEL_MAX),
        "optional": not field.required,
        "element": _element(field),
    }
    initial = opening.values.get(field.key) or (opening.campaign if field.arg == "name" else None)
    if initial and field.choice is not None and initial in field.choice:
        chosen = {"text": plain(field.choice[initial]), "value": initial}
        if block["element"]["type"] == "checkboxes":
            block["element"]["initial_options"] = [chosen]
        else:
            block["element"]["initial_option"] = chosen
    elif initial and field.choice is None:
        block["element"]["initial_value"] = initial[: field.max_length or None]
    return block


def _element(field: FormField) -> dict:
    if field.choice is not None:
        options = [{"text": plain(text), "value": value} for value, text in field.choice.items()]
        # One optional choice is a yes-or-no: a checkbox, since a radio button cannot be cleared.
        kind = "checkboxes" if len(options) == 1 and not field.required else "radio_buttons"
        return {"type": kind, "action_id": field.key, "options": options}
    element = {"type": "plain_text_input", "action_id": field.key, "multiline": field.multiline}
    if field.max_length:
        element["max_length"] = field.max_length
    if field.placeholder:
        element["placeholder"] = plain(field.placeholder, PLACEHOLDER_MAX)
    return element


@dataclass(frozen=True)
class Submission:
    form: Form
    campaign: str | None
    channel: str | None
    values: dict[str, str]
    confirm: str | None = None


def read_submission(view: dict) -> Submission | None:
    """A submitted modal's form and values by field key; None if it is not one of ours."""
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
        form = forms()[metadata["form"]]
    except (ValueError, KeyError, TypeError):
        return None
    state = (view.get("state") or {}).get("values") or {}
    values = {}
    for field in form.fields:
        element = (state.get(field.key) or {}).get(field.key) or {}
        values[field.key] = _element_value(element)
    confirm = metadata.get("confirm")
    return Submission(form, metadata.get("campaign"), metadata.get("channel"), values,
                      confirm if isinstance(confirm, str) else None)


def has_field_for(form: Form, flag: str) -> bool:
    """Whether one of the form's fields can set the flag option (a choice naming it)."""
    return any(flag in (field.choice or {}) for field in form.modal_fields("slack"))


def _element_value(element: dict) -> str:
    if element.get("type") in ("radio_buttons", "static_select"):
        return ((element.get("selected_option") or {}).get("value")) or ""
    if element.get("type") == "checkboxes":
        chosen = element.get("selected_options") or [{}]
        return chosen[0].get("value") or ""
    return element.get("value") or ""


def error_block(form: Form, reply: Reply) -> str:
    """The input block a refusal belongs to: the field it names, else the first one."""
    shown = form.modal_fields("slack")
    for field in shown:
        if reply.field and reply.field in (field.key, field.option, field.arg):
            return field.key
    return shown[0].key


def problem_block(form: Form, problem) -> str:
    """The input block one broken drafting rule is about (`point_too_long` of point 2: point2)."""
    subject = str(problem.rule).split("_")[0]
    wanted = {"addressee": "to", "point": f"point{getattr(problem, 'which', 0) or 1}"}.get(
        subject, subject)
    keys = [field.key for field in form.modal_fields("slack")]
    return wanted if wanted in keys else keys[0]


def clip(text: str, limit: int = ERROR_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def result_view(form: Form, text: str) -> dict:
    """What the modal turns into after a successful submission: the answer, seen by the submitter only."""
    return {
        "type": "modal",
        "callback_id": CALLBACK + "-done",
        "title": plain(form.title, TITLE_MAX),
        "close": plain(labels()["done"], TITLE_MAX),
        "blocks": to_blocks(text) or [{"type": "section", "text": plain(labels()["done"])}],
    }
