"""Slack over HTTP in several processes (CONCERTED_HTTP_WORKERS), all on one port.

uvicorn's supervisor starts the workers and replaces one that dies; each
worker builds its own Concerted (engine, scheduler, Slack client) when its
lifespan starts, on its own event loop. They share the PostgreSQL database,
and only the worker holding the advisory lock runs scheduled jobs
(bots/runtime/joblock.py): the others keep their schedulers paused and take over
if that worker goes away.
"""

from __future__ import annotations

import contextlib
import logging

import uvicorn

from bots.runtime.bootstrap import build
from bots.slack_app.app import EVENTS_PATH
from settings import Settings, load_settings

log = logging.getLogger("concerted.slack.workers")


def serve_workers(settings: Settings) -> int:
    """Serve `/slack/events` from `settings.http_workers` processes until interrupted."""
    # Upgrade the schema and check the key once, here: workers starting together would
    # otherwise race to migrate, and a wrong key would fail every worker in turn.
    build(settings, realtime=False).close()
    log.info("slack.http_starting port=%d path=%s workers=%d", settings.http_port, EVENTS_PATH,
             settings.http_workers)
    uvicorn.run("bots.slack_app.workers:worker_app", factory=True,
                workers=settings.http_workers, host="0.0.0.0", port=settings.http_port,
                lifespan="on", log_config=None, access_log=False)
    return 0


def worker_app() -> WorkerApp:
    """What each worker process serves; uvicorn calls this in the worker."""
    return WorkerApp(load_settings())


class WorkerApp:
    """One worker's ASGI app: Concerted is built at lifespan start-up and closed at shutdown."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.endpoint = None  # the events endpoint and the dashboard, once built

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif self.endpoint is not None:
            await self.endpoint(scope, receive, send)

    async def _lifespan(self, receive, send) -> None:
        from bots.slack_app.run import http_app, running

        async with contextlib.AsyncExitStack() as stack:
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    try:
                        live = await stack.enter_async_context(
                            running(self.settings, socket_mode=False, realtime=True))
                    except Exception as exc:  # noqa: BLE001 - told to uvicorn, which stops
                        log.error("slack.worker_start_failed error=%s", type(exc).__name__)
                        await send({"type": "lifespan.startup.failed", "message": ""})
                        return
                    self.endpoint = http_app(live)
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    self.endpoint = None
                    await stack.aclose()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
