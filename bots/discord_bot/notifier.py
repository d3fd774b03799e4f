"""Content-free direct messages ("there is an update, run /campaign inbox"), and the weekly
anonymized counts in the channel a lead chose. Nothing sent here can ping anyone."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any

import discord

from bots.discord_bot.translate import NO_MENTIONS, PLATFORM, chunks
from bots.output.i18n import Locality
from bots.output.rendering import Renderer
from bots.runtime.pacing import paced
from campaigns.core.privacy import Person

log = logging.getLogger("concerted.discord.notifier")


class DiscordNotifier:
    """Sends on the client's event loop; called after a commit, often from a worker thread."""

    def __init__(self, client: discord.Client | None = None):
        self.client = client
        self.renderer = Renderer(PLATFORM)
        self._pending: set[Future | asyncio.Future] = set()
        self._lock = threading.Lock()

    def attach(self, client: discord.Client) -> None:
        self.client = client

    def ping(self, person: Person) -> None:
        """A DM saying only that something waits in `/campaign inbox`."""
        if person.platform == PLATFORM:
            self._schedule(lambda: self._ping(person), "ping")

    def digest(self, people: list[Person], spacing: float) -> None:
        """The daily digest ping to each, `spacing` seconds apart, in the order given.

        discord.py waits out Discord's rate limits itself. Called from the digest job's
        thread, this returns once the batch is sent, so the next one is read only then.
        """
        mine = [person for person in people if person.platform == PLATFORM]
        if not mine:
            return
        future = self._schedule(lambda: paced(mine, spacing, self._digest_one), "digest")
        running = None
        with contextlib.suppress(RuntimeError):
            running = asyncio.get_running_loop()
        if isinstance(future, Future) and running is None:
            with contextlib.suppress(Exception):
                future.result()

    async def _digest_one(self, person: Person) -> None:
        await self._delivered(self._ping(person, "notices/digest.j2"), "digest")

    def post_to_channel(self, person: Person, channel: str, template: str, data: dict, *,
                        language: str | None = None, zone: str | None = None) -> None:
        """Post anonymized counts in the channel a lead chose, in the campaign's language and
        zone; the post names nobody."""
        if person.platform == PLATFORM:
            text = self.renderer.render(template, Locality(language, zone), **data)
            self._schedule(lambda: self._post(int(channel), text), "channel_post")

    def _schedule(self, make: Any, what: str) -> Future | asyncio.Future | None:
        loop = self.client.loop if self.client is not None else None
        if not isinstance(loop, asyncio.AbstractEventLoop) or loop.is_closed():
            # Not connected: a ping's notice still waits in /campaign inbox.
            log.warning("discord.%s_dropped reason=not_connected", what)
            return None
        coroutine: Coroutine = self._delivered(make(), what)
        running = None
        with contextlib.suppress(RuntimeError):
            running = asyncio.get_running_loop()
        future: Future | asyncio.Future
        if running is loop:
            future = loop.create_task(coroutine)
        else:
            future = asyncio.run_coroutine_threadsafe(coroutine, loop)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future | asyncio.Future) -> None:
        with self._lock:
            self._pending.discard(future)

    async def _delivered(self, sending: Coroutine, what: str) -> None:
        try:
            await sending
            log.info("discord.%s_sent", what)
        except (discord.HTTPException, ValueError) as error:
            # Closed DMs and removed channels are common; only the kind of failure is logged.
            log.warning("discord.%s_failed error=%s", what, type(error).__name__)

    async def _ping(self, person: Person, template: str = "notices/ping.j2") -> None:
        channel = await self.client.create_dm(discord.Object(int(person.user)))
        guild = self.client.get_guild(int(person.workspace)) if person.workspace.isdigit() else None
        text = self.renderer.render(template, server=guild.name if guild else None)
        await channel.send(text, allowed_mentions=NO_MENTIONS)

    async def _post(self, channel_id: int, text: str) -> None:
        channel = self.client.get_partial_messageable(channel_id)
        for part in chunks(text):
            await channel.send(part, allowed_mentions=NO_MENTIONS)

    async def drain(self) -> None:
        """Wait for the messages already on their way (tests, and a clean shutdown)."""
        while True:
            with self._lock:
                pending = [f if isinstance(f, asyncio.Future) else asyncio.wrap_future(f)
                           for f in self._pending]
            if not pending:
                return
            await asyncio.gather(*pending, return_exceptions=True)
