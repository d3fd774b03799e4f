"""Content-free DMs, and the anonymized counts a lead chose to have posted in a channel.

Use cases commit in worker threads and hand pings over right after; the
message itself is sent on the event loop, so a slow Slack never holds a
database transaction or a worker thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.output.rendering import Renderer
from bots.slack_app.translate import PLATFORM, to_message
from campaigns.core.privacy import Person

log = logging.getLogger("concerted.slack.notifier")
PING = "notices/ping.j2"


class SlackNotifier:
    """Implements campaigns.core.unit_of_work.Notifier and campaigns.reports.schedules.ReportChannels."""

    def __init__(self, client: AsyncWebClient, loop: asyncio.AbstractEventLoop | None = None):
        self.client = client
        self.loop = loop
        self.renderer = Renderer(PLATFORM)
        self._pending: set[concurrent.futures.Future] = set()
        self._lock = threading.Lock()  # pings arrive from worker threads

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Send on this loop from now on (the one the Slack app runs on)."""
        self.loop = loop

    def ping(self, person: Person) -> None:
        """A DM saying only that there is something in `/campaign inbox`."""
        if person.platform != PLATFORM:
            return
        text = self.renderer.render(PING)
        self._send(self.client.chat_postMessage(channel=person.user, text=text), "ping")

    def post_to_channel(self, person: Person, channel: str, template: str, data: dict) -> None:
        """Post anonymized counts in the channel a lead chose; the post names nobody."""
        if person.platform != PLATFORM:
            return
        message = to_message(self.renderer.render(template, **data))
        self._send(self.client.chat_postMessage(channel=channel, **message), "channel_post")

    def _send(self, call, what: str) -> None:
        if self.loop is None or self.loop.is_closed():
            call.close()
            log.warning("slack.%s_dropped reason=no_loop", what)
            return
        future = asyncio.run_coroutine_threadsafe(_delivered(call, what), self.loop)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)

    def _done(self, future: concurrent.futures.Future) -> None:
        with self._lock:
            self._pending.discard(future)

    async def drain(self) -> None:
        """Wait until every message handed over so far has been sent (tests and shutdown)."""
        while True:
            with self._lock:
                pending = list(self._pending)
            if not pending:
                return
            await asyncio.gather(*(asyncio.wrap_future(f) for f in pending),
                                 return_exceptions=True)


async def _delivered(call, what: str) -> None:
    try:
        await call
    except SlackApiError as exc:
        log.warning("slack.%s_failed error=%s", what, exc.response.get("error", "unknown"))
    except Exception as exc:  # noqa: BLE001 - a lost ping is logged, never raised into a job
        log.warning("slack.%s_failed error=%s", what, type(exc).__name__)
