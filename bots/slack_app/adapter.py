"""What every Slack listener shares: the Concerted app, the renderers, and the way to run work.

Database work always runs in a worker thread, so the event loop stays free to
acknowledge other requests within Slack's three seconds, however busy the
database is; past the backlog's limit a command is told at once to try again.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bots.commands.dispatch import Dispatcher, Outcome
from bots.commands.parser import Invocation
from bots.commands.replies import FollowUp, Reply
from bots.output.i18n import Locality
from bots.output.rendering import Renderer
from bots.runtime.backlog import Backlog
from bots.runtime.bootstrap import App
from bots.runtime.lane import Lane
from bots.runtime.threads import database_pool, lane_threads
from bots.slack_app.locales import Locales
from campaigns.core.privacy import Person
from campaigns.core.write_turns import write_turns

T = TypeVar("T")
# How long a slash command may take to be answered in its acknowledgement; Slack waits three
# seconds for that, and a slower answer goes to the response_url instead.
ANSWER_WITHIN = 2.0


class Once:
    """Remembers recent deliveries by key, so a repeat gets the first answer, not a second run.

    Slack can deliver one modal submission twice (a double click, a retry);
    the repeat waits for the first run and is given its result.
    """

    def __init__(self, ttl: float = 300.0, limit: int = 10_000):
        self.ttl, self.limit = ttl, limit
        self._seen: dict[str, tuple[float, asyncio.Future]] = {}

    async def run(self, key: str, work: Callable[[], Awaitable[T]],
                  keep: Callable[[T], bool] = lambda _: True) -> T:
        """Run `work` once per key; repeats share its result while `keep(result)` says so."""
        now = time.monotonic()
        self._forget_before(now - self.ttl)
        if key in self._seen:
            return await asyncio.shield(self._seen[key][1])
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self._seen[key] = (now, future)
        try:
            result = await work()
        except BaseException as exc:
            self._seen.pop(key, None)
            if isinstance(exc, asyncio.CancelledError):
                future.cancel()
            else:
                future.set_exception(exc)
                future.exception()  # marks it retrieved when no repeat is waiting
            raise
        future.set_result(result)
        if not keep(result):
            self._seen.pop(key, None)
        return result

    def _forget_before(self, cutoff: float) -> None:
        expired = [key for key, (at, _) in self._seen.items() if at < cutoff]
        for key in expired:
            del self._seen[key]
        while len(self._seen) > self.limit:
            del self._seen[next(iter(self._seen))]


@dataclass
class Slack:
    """The Concerted side of the Slack app, handed to every listener."""

    app: App
    client: AsyncWebClient
    http: aiohttp.ClientSession | None = None
    renderer: Renderer = field(default_factory=lambda: Renderer("slack"))
    # plain_text surfaces (modal field errors) show markup as typed, so they get plain text.
    plain: Renderer = field(default_factory=lambda: Renderer("console"))
    submissions: Once = field(default_factory=Once)
    background: set[asyncio.Task] = field(default_factory=set)
    workers: ThreadPoolExecutor | None = None
    # What each follow-up does on Slack, given the person whose command asked for it.
    follow_ups: dict[FollowUp, Callable[[Person], Awaitable[None]]] = field(default_factory=dict)
    loop: asyncio.AbstractEventLoop | None = None
    # Each person's Slack language and time zone, in memory only.
    locales: Locales = field(default_factory=Locales)

    answer_within: float = ANSWER_WITHIN
    backlog: Backlog = field(init=False)
    forgot_seen_at: float = 0.0  # when expired replay records were last deleted (replays.py)
    _lane: Lane | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.backlog = Backlog(self.app.settings.backlog, "slack")
        # The deployment's language and zone, and its catalogs, for everything rendered here.
        self.renderer = Renderer("slack", languages=self.app.languages)
        self.plain = Renderer("console", languages=self.app.languages)

    @property
    def dispatcher(self) -> Dispatcher:
        return self.app.dispatcher("slack")

    def listen(self, loop: asyncio.AbstractEventLoop) -> None:
        """Become the dispatcher's after-command hook; follow-ups then run on `loop`."""
        self.loop = loop
        self.dispatcher.after_command(self.after_command)

    def after_command(self, person: Person, follow_up: FollowUp) -> None:
        """The dispatcher's hook, called in a worker thread: start the follow-up on the loop."""
        work = self.follow_ups.get(follow_up)
        if work is not None and self.loop is not None:
            # Spawned on the loop before the command's answer returns, so settle() awaits it.
            self.loop.call_soon_threadsafe(lambda: self.spawn(work(person)))

    async def invoke(self, person: Person, inv: Invocation, channel: str | None, *,
                     forms: bool = False, asker: Locality | None = None) -> Outcome:
        """Run a command read once (typed, or bound from a form), off the event loop."""
        return await self.in_thread(
            functools.partial(self.dispatcher.invoke, person, inv, forms=forms, channel=channel,
                              asker=asker))

    async def in_thread(self, work: Callable[..., T], *args: Any) -> T:
        """Run blocking (database) work in the worker pool, keeping the event loop free."""
        if self.workers is None:
            self.workers = database_pool(self.app.settings.database_url, "concerted-slack")
        return await asyncio.get_running_loop().run_in_executor(self.workers, work, *args)

    @property
    def lane(self) -> Lane:
        """Where commands that run well together queue for their batch (bots/runtime/lane.py)."""
        if self._lane is None:
            self._lane = Lane(self.dispatcher, name="concerted-slack-lane",
                              threads=lane_threads(self.app.settings.database_url),
                              turns=write_turns(self.app.engine))
        return self._lane

    def close(self) -> None:
        if self._lane is not None:
            self._lane.close()
        if self.workers is not None:
            self.workers.shutdown(wait=True)

    def render(self, template: str, data: dict, locality: Locality | None = None) -> str:
        return self.renderer.render(template, locality, **data)

    def render_reply(self, reply: Reply) -> str:
        return self.renderer.render_answer(reply.template, reply.locality, reply.data,
                                           shared=reply.shared)

    async def post_response(self, response_url: str, message: dict) -> None:
        """Answer through a command's response_url, only ever visible to the person who asked."""
        webhook = AsyncWebhookClient(response_url, session=self.http)
        await webhook.send_dict({**message, "response_type": "ephemeral"})

    def spawn(self, work: Awaitable[Any]) -> None:
        """Run follow-up work after the answer, keeping a reference until it is done."""
        task = asyncio.ensure_future(work)
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    async def settle(self) -> None:
        """Wait for follow-up work (tests and shutdown)."""
        while self.background:
            await asyncio.gather(*list(self.background), return_exceptions=True)
