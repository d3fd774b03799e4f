"""Fixtures for driving the real discord.py against a local fake Discord."""

from collections.abc import AsyncIterator

import pytest

from bots.discord_bot.transport import point_discord_at
from tests.e2e.discord_bot.fake_discord import FakeDiscord


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started fake Discord that discord.py is pointed at; Discord's own URLs come back after."""
    async with FakeDiscord() as fake:
        point_discord_at(fake.api_url, fake.gateway_url)
        try:
            yield fake
        finally:
            point_discord_at(None, None)
