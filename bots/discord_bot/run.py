"""`concerted run` with DISCORD_TOKEN set: connect, sync the commands, answer, run the jobs."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import discord

from bots.commands.replies import FollowUp
from bots.discord_bot.client import ConcertedClient
from bots.discord_bot.directory import Directory
from bots.discord_bot.notifier import DiscordNotifier
from bots.discord_bot.transport import point_discord_at
from bots.output.rendering import Renderer
from bots.runtime.bootstrap import App, build
from settings import Settings, SettingsError


def run_discord(settings: Settings) -> int:
    """Run the Discord bot until it is stopped; returns the process exit code."""
    if not settings.discord_token:
        raise SettingsError("Setting DISCORD_TOKEN is missing, and the Discord bot needs it.")
    try:
        point_discord_at(settings.discord_api_url, settings.discord_gateway_url)
    except ValueError as exc:
        raise SettingsError(str(exc)) from None
    return asyncio.run(serve(settings))


async def serve(settings: Settings, **build_options: Any) -> int:
    """Build the app on this event loop (its scheduler runs here too) and stay connected."""
    notifier = DiscordNotifier()
    app = build(settings, notifier=notifier, realtime=True, **build_options)
    client = ConcertedClient(app, sync_guild=settings.discord_guild_id)
    directory = connect(app, client)
    try:
        async with client:
            await client.start(settings.discord_token or "")
    except discord.PrivilegedIntentsRequired:
        return _refused("discord/intents_missing.j2")
    except discord.LoginFailure:
        return _refused("discord/login_failed.j2")
    finally:
        directory.uninstall()
        app.close()
    return 0


def connect(app: App, client: ConcertedClient) -> Directory:
    """Wire the client into the app: pings go out through it, headcounts are counted by it."""
    if isinstance(app.notifier, DiscordNotifier):
        app.notifier.attach(client)
    directory = Directory(app, client)
    client.answers.follow_ups[FollowUp.COUNT_WORKSPACE] = directory.count_now
    directory.install()
    return directory


def _refused(template: str) -> int:
    print(Renderer("console").render(template), file=sys.stderr)
    return 2
