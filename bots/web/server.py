"""Serving the dashboard: beside `/slack/events` in Slack HTTP mode, on its own elsewhere.

Every mode serves it on CONCERTED_HTTP_PORT: Slack HTTP mounts it beside the
events endpoint; Socket Mode and Discord run a server for it on their event
loop; the console runs one in a thread on 127.0.0.1 (on any free port when
that one is taken, since the console is for trying things out). uvicorn's
access log stays off: the link path holds a token.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from collections.abc import AsyncIterator

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from bots.runtime.bootstrap import App
from bots.web.app import build_web

log = logging.getLogger("concerted.web")


def listen(host: str, port: int, *, any_port_if_taken: bool = False) -> socket.socket:
    """A listening socket on `host:port` (port 0: any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        if not any_port_if_taken:
            sock.close()
            raise
        sock.bind((host, 0))
    sock.listen(128)
    return sock


def port_of(sock: socket.socket) -> int:
    return sock.getsockname()[1]


class _Server(uvicorn.Server):
    # The process's signals belong to whoever runs the bot, not to the dashboard's server.
    @contextlib.contextmanager
    def capture_signals(self):  # type: ignore[override]
        yield


def _server(asgi: ASGIApp) -> _Server:
    return _Server(uvicorn.Config(asgi, lifespan="off", log_config=None, access_log=False,
                                  timeout_graceful_shutdown=2))


def with_events(events: ASGIApp, web: ASGIApp, events_path: str) -> ASGIApp:
    """One ASGI app: `events_path` goes to the Slack endpoint, everything else to the dashboard."""

    async def route(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path") == events_path:
            await events(scope, receive, send)
        else:
            await web(scope, receive, send)

    return route


class BackgroundDashboard:
    """The dashboard on its own thread and event loop (the console, which blocks on input)."""

    def __init__(self, app: App, sock: socket.socket):
        self.sock = sock
        self.port = port_of(sock)
        self._server = _server(build_web(app))
        self._thread = threading.Thread(target=self._run, name="concerted-web", daemon=True)

    def _run(self) -> None:
        asyncio.run(self._server.serve(sockets=[self.sock]))

    def start(self) -> BackgroundDashboard:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=5)
        self.sock.close()


def start_console_dashboard(app: App) -> BackgroundDashboard:
    """Serve the dashboard on 127.0.0.1 for the console; the app's links point at it."""
    sock = listen("127.0.0.1", app.settings.http_port, any_port_if_taken=True)
    dashboard = BackgroundDashboard(app, sock).start()
    app.web_url = app.settings.dashboard_url(dashboard.port)
    log.info("web.started port=%d", dashboard.port)
    return dashboard


@contextlib.asynccontextmanager
async def dashboard_alongside(app: App, host: str = "0.0.0.0") -> AsyncIterator[int | None]:
    """Serve the dashboard on this event loop while the block runs (Socket Mode, Discord);
    yields its port, or None when CONCERTED_HTTP_PORT cannot be had."""
    try:
        sock = listen(host, app.settings.http_port)
    except OSError as exc:
        # The bot itself does not need the port: it keeps running, without a dashboard.
        log.warning("web.port_unavailable port=%d error=%s", app.settings.http_port,
                    type(exc).__name__)
        yield None
        return
    app.web_url = app.settings.dashboard_url(port_of(sock))
    server = _server(build_web(app))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    log.info("web.started port=%d", port_of(sock))
    try:
        yield port_of(sock)
    finally:
        server.should_exit = True
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=5)
        sock.close()
