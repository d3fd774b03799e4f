"""Fixtures for driving a Slack app offline: the Web API mock and ASGI servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import uvicorn

from bots.slack_app.app import EventsEndpoint
from bots.slack_app.run import running
from tests.e2e.slack_app.mock_slack import MockSlack
from tests.e2e.slack_app.workspace import SECRET, Workspace

_STARTUP_TIMEOUT = 5.0


@pytest.fixture
async def mock_slack() -> AsyncIterator[MockSlack]:
    """A fresh Slack Web API mock for one test."""
    async with MockSlack() as mock:
        yield mock


@pytest.fixture
def serve_asgi() -> Callable[[Any], contextlib.AbstractAsyncContextManager[str]]:
    """serve_asgi(app): an async context manager serving app over real HTTP, yielding its base URL."""
    return _serve_asgi


@pytest.fixture
def asgi_client() -> Callable[[Any], httpx.AsyncClient]:
    """asgi_client(app): an httpx client that calls app in process, without a socket."""
    return _asgi_client


class _Server(uvicorn.Server):
    # pytest owns SIGINT; uvicorn would otherwise swap in its own handler while serving.
    @contextlib.contextmanager
    def capture_signals(self):  # type: ignore[override]
        yield


@contextlib.asynccontextmanager
async def _serve_asgi(app: Any) -> AsyncIterator[str]:
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        lifespan="off",
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=1,
    )
    server = _Server(config)
    task = asyncio.create_task(server.serve())
    try:
        await _until_started(server, task)
        host, port = server.servers[0].sockets[0].getsockname()[:2]
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=_STARTUP_TIMEOUT)


async def _until_started(server: uvicorn.Server, task: asyncio.Task[None]) -> None:
    async with asyncio.timeout(_STARTUP_TIMEOUT):
        while not server.started:
            if task.done():
                raise RuntimeError("The uvicorn server stopped before it started listening.")
            await asyncio.sleep(0.01)


def _asgi_client(app: Any) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://slack.test", timeout=5.0)


@pytest.fixture
def slack_settings(settings, mock_slack):
    """The test settings with a bot token, a signing secret and the mock as the Web API."""
    return settings.model_copy(update={"slack_bot_token": "xoxb-concerted-test",
                                       "slack_signing_secret": SECRET,
                                       "slack_api_url": mock_slack.api_url})


@pytest.fixture
async def workspace(slack_settings, clock, mock_slack, asgi_client, caplog):
    """Concerted's Slack app as `concerted run` builds it, on the test clock, over ASGI.

    A command or listener that fails unexpectedly fails the test.
    """
    caplog.set_level(logging.INFO, logger="concerted")
    async with (
        running(slack_settings, socket_mode=False, clock=clock, realtime=False,
                logging_setup=False) as live,
        # As `concerted run` serves it (bots/slack_app/run.py).
        asgi_client(EventsEndpoint(live.bolt, slack=live.slack)) as http,
    ):
        yield Workspace(live, mock_slack, http, clock)
    errors = [f"{r.name}: {r.getMessage()}" for r in caplog.records
              if r.name.startswith(("concerted", "slack_bolt")) and r.levelno >= logging.ERROR]
    assert errors == [], f"Concerted or a listener logged errors: {errors}"
