"""The Discord client: minimal intents, no mentions ever, commands from the shared registry.

Intents: `guilds` (servers, channels, slash commands) and `members`, a
privileged intent, only so that `/campaign headcount NAME auto` can page
through a server's member list; members are neither cached nor chunked.
Errors are logged by event name and exception type only: discord.py's own
handlers would print tracebacks whose messages may quote what people typed.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bots.discord_bot import stale
from bots.discord_bot.answers import Answers
from bots.discord_bot.modals import PREFIX
from bots.discord_bot.translate import NO_MENTIONS
from bots.discord_bot.translator import CatalogTranslator
from bots.discord_bot.tree import build_commands

if TYPE_CHECKING:
    from bots.runtime.bootstrap import App

log = logging.getLogger("concerted.discord")
GUILDS_ONLY = app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False)
SERVER_INSTALL = app_commands.AppInstallationType(guild=True, user=False)


def intents() -> discord.Intents:
    """What the bot asks Discord for: its servers, and their member lists for headcounts."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.members = True
    return wanted


class CommandTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction,
                       error: app_commands.AppCommandError) -> None:
        # Reached only for failures before our callback runs (such as options that do not fit).
        client: ConcertedClient = interaction.client  # type: ignore[assignment]
        try:
            if isinstance(error, stale.STALE):
                await client.answers.stale(interaction)
            else:
                await client.answers.failed(interaction, error, "tree")
        finally:
            client.dispatch("concerted_answered", interaction)


class ConcertedClient(discord.Client):
    """One bot connection; `failures` keeps what went wrong, for tests and health checks."""

    def __init__(self, app: App, *, sync_guild: int | None = None, **options: Any):
        super().__init__(
            intents=intents(),
            allowed_mentions=NO_MENTIONS,
            chunk_guilds_at_startup=False,
            member_cache_flags=discord.MemberCacheFlags.none(),
            **options,
        )
        self.app = app
        self.sync_guild = sync_guild
        self.failures: list[BaseException] = []
        self.answers = Answers(app, self)
        self.tree = CommandTree(self, allowed_contexts=GUILDS_ONLY,
                                allowed_installs=SERVER_INSTALL)
        for command in build_commands(self.answers.registry, self.answers.command,
                                      self.answers.help, app.languages):
            self.tree.add_command(command)

    async def setup_hook(self) -> None:
        """Sync the commands: to one server at once when DISCORD_GUILD_ID is set, else to all,
        with their descriptions in every shipped language."""
        await self.tree.set_translator(CatalogTranslator(self.app.languages))
        if self.sync_guild:
            guild = discord.Object(self.sync_guild)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("discord.commands_synced scope=guild count=%d", len(synced))
        else:
            synced = await self.tree.sync()
            log.info("discord.commands_synced scope=global count=%d", len(synced))

    async def close(self) -> None:
        """Disconnect, then stop the threads that ran commands."""
        await super().close()
        self.answers.close()

    async def on_ready(self) -> None:
        log.info("discord.ready servers=%d", len(self.guilds))

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Answer a form that nobody waits for any more, instead of leaving it to fail."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        custom_id = str((interaction.data or {}).get("custom_id", ""))
        if custom_id.startswith(PREFIX) and custom_id not in self.answers.open_forms:
            log.info("discord.form_expired")
            await self.answers.expired(interaction)

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        error = sys.exc_info()[1]
        log.error("discord.event_failed event=%s error=%s", event_method,
                  type(error).__name__ if error else "unknown")
        if error is not None:
            self.failures.append(error)
