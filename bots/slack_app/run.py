"""`concerted run` on Slack: Socket Mode with SLACK_APP_TOKEN, else HTTP under uvicorn."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import uvicorn
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bots.runtime import eventloop
from bots.runtime.bootstrap import build
from bots.runtime.preflight import StartProblem
from bots.slack_app import directory
from bots.slack_app.adapter import Slack
from bots.slack_app.app import EVENTS_PATH, EventsEndpoint, build_bolt, web_client
from bots.slack_app.notifier import SlackNotifier
from bots.web.app import build_web
from bots.web.server import dashboard_alongside, with_events
from settings import Settings

log = logging.getLogger("concerted.slack.run")


def run_slack(settings: Settings) -> int:
    """Serve Slack until interrupted; returns the process exit code."""
    if settings.http_workers > 1 and not settings.slack_app_token:
        from bots.slack_app.workers import serve_workers

        return serve_workers(settings)
    if settings.http_workers > 1:
        # Socket Mode holds one connection to Slack, from one process.
        log.warning("slack.workers_ignored mode=socket")
    with contextlib.suppress(KeyboardInterrupt):
        eventloop.run(_serve(settings))
    return 0


def check_slack(settings: Settings) -> None:
    """Ask Slack who we are before building anything: a wrong token or no network is one sentence."""
    asyncio.run(_auth_test(settings))


async def _auth_test(settings: Settings) -> None:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as session:
        try:
            await web_client(settings, session).auth_test()
        except SlackApiError:
            raise StartProblem("operator/slack_token_refused.j2", {}) from None
        except (TimeoutError, aiohttp.ClientError, OSError):
            raise StartProblem("operator/slack_unreachable.j2",
                               {"api": settings.slack_api_url or "slack.com"}) from None


@dataclass
class Running:
    slack: Slack
    bolt: AsyncApp
    notifier: SlackNotifier


@contextlib.asynccontextmanager
async def running(settings: Settings, *, socket_mode: bool, list_people: bool | None = None,
                  **build_options) -> AsyncIterator[Running]:
    """Everything a Slack deployment needs, built on the running loop and closed afterwards.

    With `list_people` (by default when the clock is real), everyone's language is read from
    the workspace's listing at start and every ten minutes after (`locales.py`).
    """
    loop = asyncio.get_running_loop()
    session = aiohttp.ClientSession()
    client = web_client(settings, session)
    notifier = SlackNotifier(client, loop)
    app = build(settings, notifier=notifier, **build_options)
    slack = Slack(app, client, http=session)
    slack.listen(loop)
    bolt = build_bolt(slack, settings, socket_mode=socket_mode)
    directory.install(slack, loop)
    if list_people is None:
        list_people = build_options.get("realtime", True)
    listing = asyncio.ensure_future(slack.locales.refresh(client)) if list_people else None
    try:
        yield Running(slack, bolt, notifier)
    finally:
        if listing is not None:
            listing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listing
        directory.uninstall(slack)
        await slack.settle()
        await notifier.drain()
        slack.close()
        app.close()
        await session.close()


async def _serve(settings: Settings) -> None:
    socket_mode = bool(settings.slack_app_token)
    async with running(settings, socket_mode=socket_mode, realtime=True) as live:
        if socket_mode:
            log.info("slack.socket_mode_starting")
            handler = AsyncSocketModeHandler(live.bolt, settings.slack_app_token)
            try:
                async with dashboard_alongside(live.slack.app):
                    await handler.start_async()
            finally:
                await handler.close_async()
            return
        log.info("slack.http_starting port=%d path=%s", settings.http_port, EVENTS_PATH)
        config = uvicorn.Config(http_app(live), host="0.0.0.0", port=settings.http_port,
                                lifespan="off", log_config=None, access_log=False)
        await uvicorn.Server(config).serve()


def http_app(live: Running):
    """What Slack HTTP mode serves on its port: `/slack/events`, and the dashboard beside it."""
    return with_events(EventsEndpoint(live.bolt, slack=live.slack), build_web(live.slack.app),
                       EVENTS_PATH)
