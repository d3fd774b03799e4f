"""`concerted run` with DISCORD_TOKEN set: connect, sync the commands, answer, run the jobs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from typing import Any

import aiohttp
import discord

from bots.commands.replies import FollowUp
from bots.discord_bot.client import ConcertedClient
from bots.discord_bot.directory import Directory
from bots.discord_bot.notifier import DiscordNotifier
from bots.discord_bot.transport import point_discord_at
from bots.output.rendering import operator_renderer
from bots.runtime import eventloop
from bots.runtime.bootstrap import App, build
from bots.runtime.preflight import StartProblem
from bots.web.server import dashboard_alongside
from settings import Settings, SettingsError

log = logging.getLogger("concerted.discord.run")


def run_discord(settings: Settings) -> int:
    """Run the Discord bot until it is stopped; returns the process exit code."""
    if not settings.discord_token:
        raise SettingsError("Setting DISCORD_TOKEN is missing, and the Discord bot needs it.")
    try:
        point_discord_at(settings.discord_api_url, settings.discord_gateway_url)
    except ValueError as exc:
        raise SettingsError(str(exc)) from None
    return eventloop.run(serve(settings, dashboard=True))


def check_discord(settings: Settings) -> None:
    """Ask Discord who the bot is before building anything: a wrong token or no network is
    one sentence, and nothing is created."""
    asyncio.run(_whoami(settings))


async def _whoami(settings: Settings) -> None:
    api = (settings.discord_api_url or "https://discord.com/api/v10").rstrip("/")
    headers = {"Authorization": f"Bot {settings.discord_token}"}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as session:
        try:
            async with session.get(f"{api}/users/@me", headers=headers) as answer:
                status = answer.status
        except (TimeoutError, aiohttp.ClientError, OSError):
            raise StartProblem("operator/discord_unreachable.j2",
                               {"api": settings.discord_api_url or "discord.com"}) from None
    if status == 401:
        raise StartProblem("operator/discord_login_failed.j2", {})


async def serve(settings: Settings, *, dashboard: bool = False, **build_options: Any) -> int:
    """Build the app on this event loop (its scheduler runs here too) and stay connected;
    with `dashboard`, serve the web dashboard on CONCERTED_HTTP_PORT alongside."""
    notifier = DiscordNotifier()
    app = build(settings, notifier=notifier, realtime=True, **build_options)
    client = ConcertedClient(app, sync_guild=settings.discord_guild_id)
    directory = connect(app, client)
    web = dashboard_alongside(app) if dashboard else contextlib.nullcontext()
    try:
        async with web, client:
            await client.start(settings.discord_token or "")
    except discord.PrivilegedIntentsRequired:
        return _refused("operator/discord_intents_missing.j2")
    except discord.LoginFailure:
        return _refused("operator/discord_login_failed.j2")
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        # No traceback for a network that is away: one sentence naming the setting to check.
        log.warning("discord.unreachable error=%s", type(exc).__name__)
        return _refused("operator/discord_unreachable.j2", api=settings.discord_api_url or "discord.com")
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


def _refused(template: str, **params: object) -> int:
    print(operator_renderer().render(template, **params), file=sys.stderr)
    return 2
