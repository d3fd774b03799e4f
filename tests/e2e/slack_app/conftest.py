"""Fixtures for driving a Slack app offline: the Web API mock and ASGI servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import uvicorn

from tests.e2e.slack_app.mock_slack import MockSlack

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
