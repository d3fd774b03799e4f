"""The Slack app: slack-bolt's AsyncApp, wired to Concerted's one command layer.

bolt verifies every HTTP request's signature and age (older than five
minutes is refused with 401) before anything else runs. Requests Slack
sends again (`X-Slack-Retry-Num`) are acknowledged and not run twice, and so
is a copy of a request already run (`replays.py`). A slash command's answer
rides on its acknowledgement when it is ready in time (`listeners.py`), in
HTTP mode and Socket Mode alike.
"""

from __future__ import annotations

import contextlib
import logging

import aiohttp
from slack_bolt.adapter.asgi.async_handler import AsyncSlackRequestHandler
from slack_bolt.adapter.asgi.http_request import AsgiHttpRequest
from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bots.slack_app import home, listeners, modals
from bots.slack_app.adapter import Slack
from bots.slack_app.translate import retry_number, to_bolt_request
from settings import Settings

log = logging.getLogger("concerted.slack")
EVENTS_PATH = "/slack/events"
DEFAULT_API_URL = "https://slack.com/api/"


def web_client(settings: Settings, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """The Web API client: SLACK_API_URL when set (tests point it at a local mock)."""
    base = settings.slack_api_url or DEFAULT_API_URL
    client = AsyncWebClient(token=settings.slack_bot_token, base_url=base.rstrip("/") + "/",
                            session=session)
    # users.list pages through large workspaces under a tight rate limit.
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=5))
    return client


def build_bolt(slack: Slack, settings: Settings, *, socket_mode: bool = False) -> AsyncApp:
    """The bolt app with every listener; HTTP requests must carry a valid signature."""
    with _quiet(logging.getLogger("slack_bolt.AsyncApp")):
        # bolt warns that SLACK_BOT_TOKEN (from the environment) is unused: our client holds it.
        bolt = AsyncApp(
            client=slack.client,
            signing_secret=settings.slack_signing_secret or "",
            request_verification_enabled=not socket_mode,
            # Each listener acks when it has its answer (a slash command within its deadline)
            # and hands slower work to tasks of its own; bolt then has nothing to poll for.
            process_before_response=True,
        )
    bolt.middleware(_AcknowledgeRetries())
    listeners.register(bolt, slack)
    modals.register(bolt, slack)
    home.register(bolt, slack)
    return bolt


@contextlib.contextmanager
def _quiet(logger: logging.Logger):
    # A filter, since bolt resets its loggers' levels while it builds the app.
    drop = logging.Filter("nothing")
    logger.addFilter(drop)
    try:
        yield
    finally:
        logger.removeFilter(drop)


class _AcknowledgeRetries(AsyncMiddleware):
    """Slack repeats a request it thinks went unanswered; the first delivery is already at work.

    A middleware class rather than a function: for a function, bolt builds every argument a
    listener could ask for (a say, a respond, the payload read eight ways) on every request,
    a few per cent of a signature's CPU (bench/slack_wrk.py).
    """

    async def async_process(self, *, req, resp, next):  # noqa: A002 - bolt's own name
        attempt = retry_number(req.headers)
        if attempt > 0:
            log.info("slack.retry_acknowledged attempt=%d", attempt)
            return BoltResponse(status=200, body="")
        return await next()


class EventsEndpoint(AsyncSlackRequestHandler):
    """The ASGI app serving `/slack/events`, reading bodies with `to_bolt_request`; given the
    adapter, past the backlog's limit it says "busy" before bolt (`listeners.EarlyBusy`)."""

    def __init__(self, bolt: AsyncApp, path: str = EVENTS_PATH, *, slack: Slack | None = None):
        super().__init__(bolt, path)
        self.busy = listeners.EarlyBusy(slack) if slack is not None else None

    async def dispatch(self, request: AsgiHttpRequest) -> BoltResponse:
        raw = await request.get_raw_body()
        headers = request.get_headers()
        if self.busy is not None:
            refused = self.busy.answer(raw, headers)
            if refused is not None:
                return refused
        return await self.app.async_dispatch(to_bolt_request(raw, request.query_string, headers))
