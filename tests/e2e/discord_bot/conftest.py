"""Fixtures for driving the real discord.py against a local fake Discord."""

import logging
from collections.abc import AsyncIterator

import pytest

from bots.discord_bot.client import ConcertedClient
from bots.discord_bot.notifier import DiscordNotifier
from bots.discord_bot.run import connect
from bots.discord_bot.transport import point_discord_at
from bots.runtime.bootstrap import build
from tests.e2e.discord_bot.driver import Bot
from tests.e2e.discord_bot.fake_discord import FakeDiscord, connected


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started fake Discord that discord.py is pointed at; Discord's own URLs come back after."""
    async with FakeDiscord() as fake:
        point_discord_at(fake.api_url, fake.gateway_url)
        try:
            yield fake
        finally:
            point_discord_at(None, None)


@pytest.fixture
def discord_app(settings, clock):
    """The app as the Discord runner builds it, with the test clock and jobs run on demand."""
    app = build(settings, clock=clock, notifier=DiscordNotifier(), realtime=False,
                logging_setup=False)
    yield app
    app.close()


@pytest.fixture
async def bot(fake_discord, discord_app, clock, caplog) -> AsyncIterator[Bot]:
    """Concerted's client, logged in to the fake. A command that fails fails the test."""
    caplog.set_level(logging.INFO, logger="concerted")
    client = ConcertedClient(discord_app, guild_ready_timeout=0.1)
    directory = connect(discord_app, client)
    driver = Bot(client, fake_discord, clock, caplog)
    try:
        async with connected(client, fake_discord):
            yield driver
            await discord_app.notifier.drain()
    finally:
        directory.uninstall()
    errors = [f"{r.name}: {r.getMessage()}" for r in caplog.records
              if r.name.startswith("concerted") and r.levelno >= logging.ERROR]
    assert client.failures == [], f"the bot failed: {client.failures!r} {errors}"
    assert errors == [], f"the bot logged errors: {errors}"
