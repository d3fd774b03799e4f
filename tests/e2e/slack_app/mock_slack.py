"""A local stand-in for the Slack Web API that records every call it receives."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from tests.e2e.slack_app.rate_limits import RateLimit

TEAM_ID = "T0CONCERT"
BOT_USER_ID = "U0CONCERTBOT"
BOT_ID = "B0CONCERT"

# Slack rejects views that break these limits; mirroring them catches template bugs early.
_MODAL_TITLE_MAX = 24
_PRIVATE_METADATA_MAX = 3000


@dataclass(frozen=True)
class Call:
    """One request the mock received: a Web API method, a file upload or a response_url post."""

    method: str
    args: dict[str, Any]
    authorization: str | None
    path: str
    body: bytes = b""

    @property
    def token(self) -> str | None:
        """The token the caller sent, from the Authorization header or a token argument."""
        if self.authorization and self.authorization.startswith("Bearer "):
            return self.authorization.removeprefix("Bearer ")
        return self.args.get("token")


def slack_user(
    user_id: str,
    name: str,
    *,
    team_id: str = TEAM_ID,
    is_bot: bool = False,
    deleted: bool = False,
    is_restricted: bool = False,
    is_ultra_restricted: bool = False,
    locale: str | None = None,
    tz: str | None = None,
) -> dict[str, Any]:
    """A user object shaped like the members of users.list (`locale` only with include_locale)."""
    extra = {key: value for key, value in (("locale", locale), ("tz", tz)) if value}
    return {**extra,
        "id": user_id,
        "team_id": team_id,
        "name": name,
        "deleted": deleted,
        "real_name": name.title(),
        "is_admin": False,
        "is_owner": False,
        "is_restricted": is_restricted,
        "is_ultra_restricted": is_ultra_restricted,
        "is_bot": is_bot,
        "is_app_user": False,
        "profile": {"real_name": name.title(), "display_name": name, "team": team_id},
    }


def default_roster(team_id: str = TEAM_ID) -> list[dict[str, Any]]:
    """Three employees plus every kind of account a headcount must leave out."""
    return [
        slack_user("U0ALICE", "alice", team_id=team_id),
        slack_user("U0BOB", "bob", team_id=team_id),
        slack_user("U0CAROL", "carol", team_id=team_id),
        slack_user(BOT_USER_ID, "concerted", team_id=team_id, is_bot=True),
        # Slackbot is not flagged as a bot; only its id gives it away.
        slack_user("USLACKBOT", "slackbot", team_id=team_id),
        slack_user("U0GONE", "gone", team_id=team_id, deleted=True),
        slack_user("U0GUEST", "guest", team_id=team_id, is_restricted=True),
        slack_user(
            "U0SINGLE", "single", team_id=team_id, is_restricted=True, is_ultra_restricted=True
        ),
    ]


class MockSlack:
    """An aiohttp server on 127.0.0.1 answering Slack-shaped JSON; use as an async context manager."""

    def __init__(
        self,
        *,
        users: list[dict[str, Any]] | None = None,
        team_id: str = TEAM_ID,
        bot_user_id: str = BOT_USER_ID,
        page_size: int = 100,
        keep_calls: bool = True,
    ) -> None:
        self.users = list(users) if users is not None else default_roster(team_id)
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.page_size = page_size
        self._calls: list[Call] = []
        self._changed = asyncio.Condition()
        self._failures: dict[str, list[str]] = {}
        self._serial = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._root = ""
        self._sockets: list[web.WebSocketResponse] = []
        self._throttled: dict[str, list[int]] = {}
        self._limits: dict[str, RateLimit] = {}
        # Benchmarks send 100,000 messages: then only counts are kept, not every call.
        self.keep_calls = keep_calls
        self.counts: Counter[str] = Counter()

    async def __aenter__(self) -> MockSlack:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def start(self) -> MockSlack:
        """Listen on a free port of 127.0.0.1."""
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_post("/response/{name}", self._response)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self._root = f"http://{host}:{port}"
        return self

    async def stop(self) -> None:
        """Close the server."""
        for socket in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def api_url(self) -> str:
        """The base_url for AsyncWebClient; slack_sdk needs the trailing slash."""
        return f"{self._root}/api/"

    def response_url(self, name: str = "default") -> str:
        """A response_url on the mock; posts to it are recorded as method 'response_url:NAME'."""
        return f"{self._root}/response/{name}"

    def calls(self, method: str | None = None) -> list[Call]:
        """Recorded calls in arrival order, all of them or those to one method."""
        return [call for call in self._calls if method is None or call.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until at least count calls to method arrived, then return them."""
        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(lambda: len(self.calls(method)) >= count)
        except TimeoutError:
            seen = ", ".join(call.method for call in self._calls) or "nothing"
            raise AssertionError(
                f"The Slack mock expected {count} call(s) to {method} within {timeout}s, "
                f"but it received: {seen}."
            ) from None
        return self.calls(method)

    async def wait_until(self, condition: Callable[[], bool], timeout: float) -> None:
        """Wait until condition() holds, checked again after every recorded call."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(condition)

    def throttle(self, method: str, *, times: int = 1, retry_after: int = 1) -> None:
        """Make the next calls to method answer HTTP 429 with this Retry-After, as Slack does."""
        self._throttled.setdefault(method, []).extend([retry_after] * times)

    def limit(self, method: str, limit: RateLimit) -> None:
        """Enforce a rate limit on method from now on; calls over it get HTTP 429."""
        self._limits[method] = limit

    def fail(self, method: str, error: str, *, times: int = 1) -> None:
        """Make the next calls to method answer ok:false with this error code."""
        self._failures.setdefault(method, []).extend([error] * times)

    async def _record(
        self, method: str, args: dict[str, Any], request: web.Request, body: bytes
    ) -> Call:
        call = Call(method, args, request.headers.get("Authorization"), request.path, body)
        self.counts[method] += 1
        if not self.keep_calls:
            return call
        async with self._changed:
            self._calls.append(call)
            self._changed.notify_all()
        return call

    async def _api(self, request: web.Request) -> web.Response:
        body = await request.read()
        args = _read_args(request, body)
        method = request.match_info["method"]
        retry_after = self._over_limit(method, args)
        if retry_after is not None:
            # Rejected calls are kept apart, so `calls(method)` lists what Slack accepted.
            await self._record(f"ratelimited:{method}", args, request, body)
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                     headers={"Retry-After": str(retry_after)})
        call = await self._record(method, args, request, body)
        return web.json_response(self._answer(call))

    def _over_limit(self, method: str, args: dict[str, Any]) -> int | None:
        if self._throttled.get(method):
            return self._throttled[method].pop(0)
        limit = self._limits.get(method)
        return limit.check(str(args.get("channel") or args.get("users") or "")) if limit else None

    def _answer(self, call: Call) -> dict[str, Any]:
        handler = getattr(self, "_" + call.method.replace(".", "_"), None)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        if self._failures.get(call.method):
            return {"ok": False, "error": self._failures[call.method].pop(0)}
        if not call.token:
            return {"ok": False, "error": "not_authed"}
        return {"ok": True, **handler(call.args)}

    async def _upload(self, request: web.Request) -> web.Response:
        body = await request.read()
        args = {"file_id": request.match_info["file_id"], "length": len(body)}
        await self._record("upload", args, request, body)
        return web.Response(text=f"OK - {len(body)}", content_type="text/plain")

    async def _response(self, request: web.Request) -> web.Response:
        body = await request.read()
        method = f"response_url:{request.match_info['name']}"
        await self._record(method, json.loads(body) if body else {}, request, body)
        return web.Response(text="ok", content_type="text/html")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        # Socket Mode: Slack says hello, then sends envelopes; the app acks each by envelope_id.
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": 1,
                                "connection_info": {"app_id": "A0CONCERT"}})
        async with self._changed:
            self._changed.notify_all()
        try:
            async for message in socket:
                if message.type == web.WSMsgType.TEXT:
                    await self._record("socket:ack", json.loads(message.data), request,
                                       message.data.encode())
        finally:
            self._sockets.remove(socket)
        return socket

    async def wait_for_socket(self, timeout: float = 5.0) -> None:
        """Wait until an app has connected in Socket Mode."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: bool(self._sockets))

    async def send_envelope(self, kind: str, payload: dict[str, Any], *,
                            retry_attempt: int = 0) -> str:
        """Deliver one Socket Mode envelope (slash_commands, interactive, events_api)."""
        envelope_id = f"env-{next(self._serial):06d}"
        await self._sockets[-1].send_json({
            "envelope_id": envelope_id, "type": kind, "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": retry_attempt, "retry_reason": "timeout" if retry_attempt else "",
        })
        return envelope_id

    def _apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": self._root.replace("http://", "ws://") + "/socket"}

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._serial):06d}"

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://concerted-test.slack.com/",
            "team": "Concerted Test",
            "user": "concerted",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        if not _has_content(args):
            return {"ok": False, "error": "no_text"}
        ts = self._next_ts()
        message = {"type": "message", "user": self.bot_user_id, "bot_id": BOT_ID, "ts": ts}
        message.update({key: args[key] for key in ("text", "blocks") if key in args})
        return {"channel": args.get("channel"), "ts": ts, "message": message}

    def _chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        if not _has_content(args):
            return {"ok": False, "error": "no_text"}
        return {"message_ts": self._next_ts()}

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = str(args.get("users", "")).split(",")[0]
        return {"no_op": True, "already_open": True, "channel": {"id": "D" + user_id[1:]}}

    def _view_answer(self, args: dict[str, Any]) -> dict[str, Any]:
        view = _json_arg(args.get("view"))
        problems = _view_problems(view)
        if problems:
            return {
                "ok": False,
                "error": "invalid_arguments",
                "response_metadata": {"messages": problems},
            }
        view_id = args.get("view_id") or f"V{next(self._serial):08d}"
        return {"view": _view_record(view, view_id, self.team_id)}

    _views_open = _views_update = _views_publish = _view_answer

    def _files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._serial):08d}"
        return {"upload_url": f"{self._root}/upload/{file_id}", "file_id": file_id}

    def _files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = _json_arg(args.get("files")) or []
        return {
            "files": [
                {"id": f["id"], "title": f.get("title", ""), "name": f.get("title", "")}
                for f in files
            ]
        }

    def _users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        start = _cursor_position(args.get("cursor"), self.users)
        if start is None:
            return {"ok": False, "error": "invalid_cursor"}
        limit = int(args.get("limit") or 0) or self.page_size
        page = self.users[start : start + limit]
        end = start + len(page)
        next_cursor = _cursor_for(self.users[end]["id"]) if end < len(self.users) else ""
        return {
            "members": [_with_locale(user, args) for user in page],
            "cache_ts": int(time.time()),
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        for user in self.users:
            if user["id"] == args.get("user"):
                return {"user": _with_locale(user, args)}
        return {"ok": False, "error": "user_not_found"}


def _with_locale(user: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
    # Slack sends a user's locale only when asked for it.
    wanted = str(args.get("include_locale", "")).lower() in ("true", "1")
    return user if wanted else {k: v for k, v in user.items() if k != "locale"}


def _read_args(request: web.Request, body: bytes) -> dict[str, Any]:
    args: dict[str, Any] = dict(request.query)
    if not body:
        return args
    if request.content_type == "application/json":
        args.update(json.loads(body))
    elif request.content_type == "application/x-www-form-urlencoded":
        args.update(parse_qsl(body.decode(), keep_blank_values=True))
    return args


def _json_arg(value: Any) -> Any:
    # Form-encoded calls carry structured arguments as JSON strings; JSON calls carry them as is.
    return json.loads(value) if isinstance(value, str) else value


def _has_content(args: dict[str, Any]) -> bool:
    return any(args.get(key) for key in ("text", "blocks", "attachments"))


def _view_problems(view: Any) -> list[str]:
    if not isinstance(view, dict):
        return ["[ERROR] missing required field: view"]
    problems = []
    title = (view.get("title") or {}).get("text", "")
    if view.get("type") == "modal" and len(title) > _MODAL_TITLE_MAX:
        problems.append("[ERROR] must be less than 25 characters [json-pointer:/view/title/text]")
    if len(view.get("private_metadata", "")) > _PRIVATE_METADATA_MAX:
        problems.append(
            "[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]"
        )
    return problems


def _view_record(view: dict[str, Any], view_id: str, team_id: str) -> dict[str, Any]:
    # Slack echoes the view back with its own bookkeeping added.
    return {
        "private_metadata": "",
        "callback_id": "",
        "external_id": "",
        **view,
        "id": view_id,
        "team_id": team_id,
        "state": {"values": {}},
        "hash": f"{int(time.time())}.{view_id}",
        "root_view_id": view_id,
        "app_id": "A0CONCERT",
        "bot_id": BOT_ID,
    }


def _cursor_for(user_id: str) -> str:
    return base64.b64encode(f"user:{user_id}".encode()).decode()


def _cursor_position(cursor: str | None, users: list[dict[str, Any]]) -> int | None:
    if not cursor:
        return 0
    try:
        user_id = base64.b64decode(cursor, validate=True).decode().removeprefix("user:")
    except ValueError:
        return None
    ids = [user["id"] for user in users]
    return ids.index(user_id) if user_id in ids else None
