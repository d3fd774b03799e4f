"""Second thoughts after a front-page warning (it warns, never blocks), as buttons under the warning.

On Discord a warned author need not type the text again: "Send it as it is"
runs the same command with the flag the warning names (`send-anyway`), "Edit
it" opens the form again with the text in it. The text waits in memory only,
for as long as the buttons do.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

import discord

from bots.commands.forms import forms
from bots.commands.parser import Invocation
from bots.commands.replies import Kind, Reply
from bots.discord_bot.translate import NO_MENTIONS
from bots.output.rendering import button_labels

if TYPE_CHECKING:
    from bots.discord_bot.answers import Answers

PREFIX = "concerted-choice:"
TIMEOUT = 30 * 60


def send_anyway_flag(inv: Invocation, replies: list[Reply]) -> str | None:
    """The flag that sends a command anyway, when it was answered with a warning; else None."""
    for reply in replies:
        flag = reply.confirm if reply.kind is Kind.WARNING else None
        can = any(o.name == flag and o.kind == "flag" for o in inv.spec.options)
        if flag and can and not inv.options.get(flag):
            return flag
    return None


class SecondThoughts(discord.ui.View):
    """The two buttons under one warning; either one closes the choice."""

    def __init__(self, answers: Answers, inv: Invocation, owner: int, flag: str,
                 locale: str | None = None):
        super().__init__(timeout=TIMEOUT)
        self.answers, self.inv, self.owner, self.flag = answers, inv, owner, flag
        token = secrets.token_hex(12)

        def label(key: str) -> str:
            # As the warning above the buttons names them, in the person's language.
            return answers.app.languages.gettext(locale or "", button_labels()[key])

        send = discord.ui.Button(label=label("send_anyway"), style=discord.ButtonStyle.primary,
                                 custom_id=f"{PREFIX}send:{token}")
        send.callback = self._send
        self.add_item(send)
        self.form = forms().get(inv.spec.form) if inv.spec.form else None
        if self.form is not None:
            edit = discord.ui.Button(label=label("edit"), style=discord.ButtonStyle.secondary,
                                     custom_id=f"{PREFIX}edit:{token}")
            edit.callback = self._edit
            self.add_item(edit)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.owner

    async def _send(self, interaction: discord.Interaction) -> None:
        self.stop()
        # Acknowledge by taking the buttons off the warning, then answer as for a command.
        await interaction.response.edit_message(view=None, allowed_mentions=NO_MENTIONS)
        again = Invocation(self.inv.spec, self.inv.args, {**self.inv.options, self.flag: True})
        await self.answers.again(interaction, again)

    async def _edit(self, interaction: discord.Interaction) -> None:
        self.stop()
        await self.answers.reopen(interaction, self.form, self.inv)

    async def on_error(self, interaction: discord.Interaction, error: Exception,
                       item: discord.ui.Item) -> None:
        await self.answers.failed(interaction, error, "second_thoughts")
