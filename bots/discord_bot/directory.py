"""Headcount `auto` on Discord: the server's members less its bots, counted from the member list.

Counting pages through the member list over REST (1,000 a page), which needs
the Server Members intent. Nobody's id is kept: only the number leaves here.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord

from bots.discord_bot.translate import PLATFORM
from bots.runtime import jobs
from campaigns.core.privacy import Person
from campaigns.membership.administration import record_workspace_headcount

if TYPE_CHECKING:
    from bots.runtime.bootstrap import App

log = logging.getLogger("concerted.discord.directory")
COUNT_TIMEOUT = 15 * 60  # seconds a daily count may take, for servers with many members


class Directory:
    def __init__(self, app: App, client: discord.Client):
        self.app = app
        self.client = client

    async def count(self, guild: discord.abc.Snowflake) -> int:
        """People in one server: every member that is not a bot."""
        found = self.client.get_guild(guild.id) or await self.client.fetch_guild(guild.id)
        return sum([not member.bot async for member in found.fetch_members(limit=None)])

    async def count_all(self) -> dict[str, int]:
        """People in each server the bot is in, by server id."""
        return {str(guild.id): await self.count(guild) for guild in self.client.guilds}

    def count_from_thread(self) -> dict[str, int]:
        """`count_all` for the job's worker thread, run on the client's event loop."""
        future = asyncio.run_coroutine_threadsafe(self.count_all(), self.client.loop)
        return future.result(timeout=COUNT_TIMEOUT)

    async def refresh(self, guild_id: int) -> int:
        """Count one server now and store it for its `auto` campaigns; returns how many changed."""
        people = await self.count(discord.Object(guild_id))
        updated = await asyncio.to_thread(self._record, str(guild_id), people)
        log.info("headcount.counted campaigns=%d", updated)
        return updated

    def _record(self, workspace: str, people: int) -> int:
        with self.app.unit() as uow:
            ref = uow.keys.workspace_ref(PLATFORM, workspace)
            return record_workspace_headcount(uow, ref, people)

    async def count_now(self, person: Person) -> None:
        """After `/campaign headcount NAME auto` succeeded, count at once rather than tomorrow."""
        if not person.workspace.isdigit():
            return  # not a server (a DM): nobody to count
        try:
            await self.refresh(int(person.workspace))
        except discord.DiscordException as error:
            log.warning("headcount.count_failed error=%s", type(error).__name__)

    def install(self) -> None:
        """Let the daily headcount job count through this client."""
        jobs.register_directory(self.app, PLATFORM, self.count_from_thread)
        jobs.install_headcount_refresh(self.app)

    def uninstall(self) -> None:
        jobs.forget_directory(self.app, PLATFORM)
