"""`concerted run` on Discord serves the web dashboard on CONCERTED_HTTP_PORT alongside the bot."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest

from bots.discord_bot.run import serve
from tests.e2e.discord_bot.discord_payloads import APPLICATION_ID


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_the_discord_bot_serves_the_dashboard_on_its_port(fake_discord, settings):
    port = _free_port()
    settings = settings.model_copy(update={"discord_token": fake_discord.token, "http_port": port})
    running = asyncio.create_task(serve(settings, dashboard=True, logging_setup=False))
    try:
        await fake_discord.wait_for_call("PUT", f"/applications/{APPLICATION_ID}/commands")
        async with httpx.AsyncClient(timeout=5) as client:
            page = await client.get(f"http://127.0.0.1:{port}/")
    finally:
        running.cancel()
        with pytest.raises(asyncio.CancelledError):
            await running
    assert page.status_code == 200 and "Ask for a link in chat" in page.text
    assert page.headers["x-frame-options"] == "DENY"
