"""Forms as Discord modals, built from the shared forms (bots/commands/forms.py).

Discord holds at most five inputs in a modal, so fields marked
`discord_option` (a petition's addressee, a grievance's vent or solve) are
command options instead. What the command already said waits in the modal,
in memory only, until the form comes back.
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING

import discord

from bots.commands.forms import Form, FormField
from bots.commands.parser import Invocation
from bots.discord_bot.translate import PLATFORM

if TYPE_CHECKING:
    from bots.discord_bot.answers import Answers

PREFIX = "concerted-form:"
TIMEOUT = 60 * 60  # seconds a form stays open: long enough to write a grievance
INPUTS_MAX = 5
TITLE_MAX, LABEL_MAX, DESCRIPTION_MAX, PLACEHOLDER_MAX = 45, 45, 100, 100
_CLAUSE = re.compile(r"(?<=[?.:!])\s+|\s+(?=\()")


def split_label(label: str) -> tuple[str, str | None]:
    """A label as Discord's 45-character label and a description under it."""
    label = " ".join(label.split())
    if len(label) <= LABEL_MAX:
        return label, None
    head, _, rest = (part.strip() for part in _partition(label))
    if not head or len(head) > LABEL_MAX:
        head, rest = label[: LABEL_MAX - 1].rstrip() + "…", label
    return head, rest[:DESCRIPTION_MAX] or None


def _partition(label: str) -> tuple[str, str, str]:
    match = _CLAUSE.search(label)
    if match is None:
        return label, "", ""
    return label[: match.start()], match.group(), label[match.end():]


def _prefill(field: FormField, base: Invocation) -> str | None:
    value = base.args.get(field.arg) if field.arg else base.options.get(field.option or "")
    if not isinstance(value, str) or not value:
        return None
    return value[: field.max_length] if field.max_length else value


class FormModal(discord.ui.Modal):
    """One form, opened for one command; its submission runs that command."""

    def __init__(self, form: Form, base: Invocation, answers: Answers):
        super().__init__(title=form.title[:TITLE_MAX], timeout=TIMEOUT,
                         custom_id=PREFIX + secrets.token_hex(16))
        self.form, self.base, self.answers = form, base, answers
        self.inputs: dict[str, discord.ui.TextInput] = {}
        fields = form.modal_fields(PLATFORM)
        if len(fields) > INPUTS_MAX:
            raise ValueError(f"The form '{form.name}' has more inputs than a Discord modal holds.")
        for field in fields:
            text_input = discord.ui.TextInput(
                custom_id=field.key,
                style=discord.TextStyle.paragraph if field.multiline else discord.TextStyle.short,
                required=field.required,
                max_length=field.max_length,
                placeholder=(field.placeholder or "")[:PLACEHOLDER_MAX] or None,
                default=_prefill(field, base),
            )
            text, description = split_label(field.label)
            self.add_item(discord.ui.Label(text=text, description=description,
                                           component=text_input))
            self.inputs[field.key] = text_input

    async def on_submit(self, interaction: discord.Interaction) -> None:
        values = {key: text_input.value for key, text_input in self.inputs.items()}
        await self.answers.submitted(interaction, self, values)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await self.answers.failed(interaction, error, f"form:{self.form.name}")

    async def on_timeout(self) -> None:
        self.answers.open_forms.pop(self.custom_id, None)
