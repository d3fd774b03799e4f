"""Content-free DMs, paced digest pings, and the posts a lead chose to have in a channel.

Use cases commit in worker threads and hand pings over right after; the
message itself is sent on the event loop, so a slow Slack never holds a
database transaction or a worker thread. Every send honours Slack's rate
limits: a 429 answer holds all of this notifier's sends for its Retry-After
and the message is tried again.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.output.i18n import Locality
from bots.output.rendering import Renderer
from bots.runtime.pacing import paced
from bots.slack_app.translate import PLATFORM, to_message
from campaigns.core.privacy import Person

log = logging.getLogger("concerted.slack.notifier")
PING = "notices/ping.j2"
DIGEST = "notices/digest.j2"
# Tries per message when Slack answers 429; each waits out the Retry-After it was given.
ATTEMPTS = 5


class SlackNotifier:
    """Implements campaigns.core.unit_of_work.Notifier, bots.runtime.digests.DigestSender and
    campaigns.reports.schedules.ReportChannels."""

    concurrency = 8  # messages in flight at once during a digest

    def __init__(self, client: AsyncWebClient, loop: asyncio.AbstractEventLoop | None = None):
        self.client = client
        self.loop = loop
        self.renderer = Renderer(PLATFORM)
        self._pending: set[concurrent.futures.Future] = set()
        self._lock = threading.Lock()  # pings arrive from worker threads
        self._hold_until = 0.0  # loop time before which nothing is sent (Retry-After)

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Send on this loop from now on (the one the Slack app runs on)."""
        self.loop = loop

    def ping(self, person: Person) -> None:
        """A DM saying only that there is something in `/campaign inbox` (role work)."""
        if person.platform != PLATFORM:
            return
        text = self.renderer.render(PING)
        self._send(lambda: self._post("ping", channel=person.user, text=text), "ping")

    def digest(self, people: list[Person], spacing: float) -> None:
        """The daily digest ping to each, `spacing` seconds apart, in the order given.

        Called from the digest job's thread, it returns once the batch is sent, so the
        job reads the next batch only then; called on the loop itself, it does not wait.
        """
        mine = [person.user for person in people if person.platform == PLATFORM]
        if not mine:
            return
        text = self.renderer.render(DIGEST)

        async def send(user: str) -> None:
            await self._post("digest", channel=user, text=text)

        future = self._send(lambda: paced(mine, spacing, send, concurrency=self.concurrency),
                            "digest")
        if future is not None and not self._on_loop():
            with contextlib.suppress(Exception):
                future.result()

    def post_to_channel(self, person: Person, channel: str, template: str, data: dict, *,
                        language: str | None = None, zone: str | None = None) -> None:
        """Post anonymized counts in the channel a lead chose, in the campaign's language and
        zone; the post names nobody."""
        if person.platform != PLATFORM:
            return
        message = to_message(self.renderer.render(template, Locality(language, zone), **data))
        self._send(lambda: self._post("channel_post", channel=channel, **message),
                   "channel_post")

    async def _post(self, what: str, **message) -> None:
        loop = asyncio.get_running_loop()
        for attempt in range(1, ATTEMPTS + 1):
            wait = self._hold_until - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                await self.client.chat_postMessage(**message)
                return
            except SlackApiError as exc:
                if exc.response.status_code == 429 and attempt < ATTEMPTS:
                    pause = _retry_after(exc.response.headers)
                    self._hold_until = max(self._hold_until, loop.time() + pause)
                    log.info("slack.%s_rate_limited retry_after=%.0f", what, pause)
                    continue
                log.warning("slack.%s_failed error=%s", what,
                            exc.response.get("error", "unknown"))
                return
            except Exception as exc:  # noqa: BLE001 - a lost ping is logged, never raised
                log.warning("slack.%s_failed error=%s", what, type(exc).__name__)
                return

    def _on_loop(self) -> bool:
        try:
            return asyncio.get_running_loop() is self.loop
        except RuntimeError:
            return False

    def _send(self, make, what: str) -> concurrent.futures.Future | None:
        if self.loop is None or self.loop.is_closed():
            log.warning("slack.%s_dropped reason=no_loop", what)
            return None
        future = asyncio.run_coroutine_threadsafe(make(), self.loop)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)
        return future

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


def _retry_after(headers) -> float:
    """Slack's Retry-After, in seconds; one second when it is missing or unreadable."""
    value = None
    with contextlib.suppress(AttributeError):
        value = headers.get("Retry-After") or headers.get("retry-after")
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    try:
        return max(float(value), 0.0)
    except (TypeError, ValueError):
        return 1.0
