"""A local fake Discord (REST and gateway on 127.0.0.1) that the real discord.py can log in to."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import secrets
import socket
import zlib
from collections.abc import AsyncIterator, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import discord
from aiohttp import WSMsgType, web

from tests.e2e.discord_bot.discord_payloads import (
    APPLICATION_ID,
    BOT_USER_ID,
    CHANNEL_ID,
    GUILD_ID,
    command_payload,
    dm_channel_id,
    dm_channel_object,
    guild_object,
    member_object,
    message_object,
    modal_submit_payload,
    person_id,
    person_object,
    snowflake,
    user_object,
)

__all__ = [
    "APPLICATION_ID", "BOT_TOKEN", "BOT_USER_ID", "CHANNEL_ID", "GUILD_ID", "FakeDiscord",
    "RecordedCall", "command_payload", "connected", "modal_submit_payload", "person_id",
]

API_PREFIX = "/api/v10"
BOT_TOKEN = "fake-discord-bot-token"
_LOADING = 128  # message flag of a deferred answer still "thinking"


@dataclass
class RecordedCall:
    """One REST request the fake received; path has no /api/v10 prefix."""

    method: str
    path: str
    query: dict[str, str]
    json: Any = None
    files: list[str] = field(default_factory=list)


_current_call: ContextVar[RecordedCall] = ContextVar("current_call")


def _json(data: Any, status: int = 200) -> web.Response:
    # discord.py parses a body only when Content-Type is exactly application/json (no charset).
    body = json.dumps(data).encode()
    return web.Response(body=body, status=status, content_type="application/json")


def _error(status: int, code: int, message: str) -> web.Response:
    return _json({"message": message, "code": code}, status)


class _GatewaySession:
    def __init__(self, ws: web.WebSocketResponse, compress: str | None) -> None:
        self.ws = ws
        self.sequence = 0
        # Only zlib-stream is spoken; discord.py also reads plain text frames, whatever it asked.
        self._zlib = zlib.compressobj() if compress == "zlib-stream" else None
        self._lock = asyncio.Lock()

    async def send(self, payload: dict[str, Any]) -> None:
        async with self._lock:  # zlib-stream frames decode only in the order they were compressed
            if payload["op"] == 0:
                self.sequence += 1
                payload = {**payload, "s": self.sequence}
            text = json.dumps(payload)
            if self._zlib is None:
                await self.ws.send_str(text)
            else:
                frame = self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
                await self.ws.send_bytes(frame)

    async def dispatch(self, event: str, data: Any) -> None:
        await self.send({"op": 0, "t": event, "d": data})


class FakeDiscord:
    """Discord's REST API and gateway on 127.0.0.1 at a free port; records what the bot sends."""

    def __init__(self, *, headcount: int = 5, token: str = BOT_TOKEN) -> None:
        self.token = token
        self.bot_user = {**user_object(BOT_USER_ID, "concerted", bot=True), "verified": True}
        people = [person_object(person_id(f"member{n}")) for n in range(1, headcount + 1)]
        self.members = [member_object(self.bot_user), *map(member_object, people)]
        self.calls: list[RecordedCall] = []
        self.callbacks: dict[str, dict[str, Any]] = {}
        self.commands: dict[str | None, list[dict[str, Any]]] = {}
        self.messages: dict[str, dict[str, Any]] = {}
        self.gateway_queries: list[dict[str, str]] = []
        self.identify: dict[str, Any] | None = None
        self.port = 0
        self._interactions: dict[str, dict[str, Any]] = {}
        self._originals: dict[str, str] = {}
        self._session: _GatewaySession | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def start(self) -> None:
        """Listen on a free loopback port."""
        app = web.Application(middlewares=[self._record])
        app.router.add_get("/", self._gateway, name="gateway")
        for method, path, handler in self._routes():
            app.router.add_route(method, API_PREFIX + path, handler)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))  # port 0: the OS picks a free one
        self.port = listener.getsockname()[1]
        await web.SockSite(self._runner, listener).start()

    async def stop(self) -> None:
        """Close open gateway sockets and stop listening."""
        for ws in list(self._sockets):
            await ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- what tests call ---------------------------------------------------------

    async def dispatch(self, event: str, data: Any) -> None:
        """Send a raw dispatch (op 0) to the bot that identified last."""
        if self._session is None:
            raise RuntimeError("No bot has identified with the fake gateway; connect one first.")
        await self._session.dispatch(event, data)

    async def dispatch_interaction(self, payload: dict[str, Any]) -> None:
        """Send a raw INTERACTION_CREATE, exactly as Discord does."""
        self._interactions[payload["id"]] = payload
        await self.dispatch("INTERACTION_CREATE", payload)

    async def wait_for_callback(self, interaction_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """The body the bot posted to /interactions/{id}/{token}/callback."""
        what = f"callback for interaction {interaction_id}"
        await self._wait(lambda: interaction_id in self.callbacks, timeout, what)
        return self.callbacks[interaction_id]

    async def wait_for_call(
        self, method: str, path_pattern: str, timeout: float = 5.0
    ) -> RecordedCall:
        """The first recorded call with this method whose path fully matches path_pattern."""
        what = f"{method} {path_pattern}"
        await self._wait(lambda: self.calls_to(method, path_pattern), timeout, what)
        return self.calls_to(method, path_pattern)[0]

    def calls_to(self, method: str, path_pattern: str) -> list[RecordedCall]:
        """Every recorded call with this method whose path fully matches path_pattern."""
        return [c for c in self.calls if c.method == method and re.fullmatch(path_pattern, c.path)]

    def dms_to(self, user_id: int) -> list[Any]:
        """Bodies of the messages the bot posted in its DM channel with user_id."""
        path = f"/channels/{dm_channel_id(user_id)}/messages"
        return [call.json for call in self.calls_to("POST", path)]

    async def _wait(self, done: Callable[[], object], timeout: float, what: str) -> None:
        async def until_done() -> None:
            async with self._changed:
                await self._changed.wait_for(done)

        try:
            await asyncio.wait_for(until_done(), timeout)
        except TimeoutError:
            seen = ", ".join(f"{c.method} {c.path}" for c in self.calls) or "nothing"
            message = f"The fake Discord got no {what} within {timeout}s; it got {seen}."
            raise TimeoutError(message) from None

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # -- REST --------------------------------------------------------------------

    def _routes(self) -> list[tuple[str, str, Callable[[web.Request], Any]]]:
        commands = "/applications/{app}/commands"
        guild_commands = "/applications/{app}/guilds/{guild}/commands"
        webhook_message = "/webhooks/{app}/{token}/messages/{message}"
        return [
            ("GET", "/gateway", self._gateway_info),
            ("GET", "/gateway/bot", self._gateway_info),
            ("GET", "/users/@me", self._me),
            ("GET", "/oauth2/applications/@me", self._application),
            ("PUT", commands, self._put_commands),
            ("PUT", guild_commands, self._put_commands),
            ("GET", commands, self._get_commands),
            ("GET", guild_commands, self._get_commands),
            ("POST", "/interactions/{id}/{token}/callback", self._callback),
            ("POST", "/webhooks/{app}/{token}", self._followup),
            ("GET", webhook_message, self._webhook_message),
            ("PATCH", webhook_message, self._webhook_message),
            ("DELETE", webhook_message, self._webhook_message),
            ("POST", "/users/@me/channels", self._open_dm),
            ("POST", "/channels/{channel}/messages", self._channel_message),
            ("GET", "/guilds/{guild}", self._guild),
            ("GET", "/guilds/{guild}/members", self._members),
        ]

    @web.middleware
    async def _record(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.match_info.route.name == "gateway":
            return await handler(request)
        path = request.path.removeprefix(API_PREFIX)
        call = RecordedCall(request.method, path, dict(request.query))
        if request.content_type == "multipart/form-data":
            form = await request.post()
            call.json = json.loads(str(form["payload_json"])) if "payload_json" in form else None
            call.files = [v.filename for v in form.values() if isinstance(v, web.FileField)]
        elif request.content_type == "application/json":
            call.json = await request.json()
        elif request.can_read_body:
            call.json = await request.text()
        self.calls.append(call)
        _current_call.set(call)
        try:
            # Interaction tokens authorize callbacks and webhooks; the rest needs the bot token.
            if not call.path.startswith(("/interactions/", "/webhooks/")) and (
                request.headers.get("Authorization") != f"Bot {self.token}"
            ):
                return _error(401, 0, "401: Unauthorized")
            return await handler(request)
        except web.HTTPException as exc:  # unknown route or method: answer in JSON, as Discord does
            return _error(exc.status, 0, f"{exc.status}: {exc.reason}")
        finally:
            await self._notify()

    async def _gateway_info(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return _json({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

    async def _me(self, request: web.Request) -> web.Response:
        return _json(self.bot_user)

    async def _application(self, request: web.Request) -> web.Response:
        return _json({
            "id": str(APPLICATION_ID), "name": "Concerted", "description": "", "icon": None,
            "bot_public": False, "bot_require_code_grant": False, "verify_key": "0" * 64,
            "flags": 0, "owner": person_object(person_id("alice")), "team": None,
            "interactions_endpoint_url": None, "bot": self.bot_user,
        })

    async def _put_commands(self, request: web.Request) -> web.Response:
        guild = request.match_info.get("guild")
        known = {c["name"]: c["id"] for c in self.commands.get(guild, [])}
        scope = {"guild_id": guild} if guild else {}
        defaults = {"type": 1, "default_member_permissions": None, "nsfw": False, "options": []}
        self.commands[guild] = [
            {**defaults, **command, **scope, "id": known.get(command["name"]) or snowflake(),
             "application_id": request.match_info["app"], "version": snowflake()}
            for command in _current_call.get().json
        ]
        return _json(self.commands[guild])

    async def _get_commands(self, request: web.Request) -> web.Response:
        return _json(self.commands.get(request.match_info.get("guild"), []))

    async def _callback(self, request: web.Request) -> web.Response:
        interaction = self._interactions.get(request.match_info["id"])
        if interaction is None or interaction["token"] != request.match_info["token"]:
            return _error(404, 10062, "Unknown interaction")
        if interaction["id"] in self.callbacks:
            return _error(400, 40060, "Interaction has already been acknowledged.")
        body = _current_call.get().json
        self.callbacks[interaction["id"]] = body
        # discord.py asks ?with_response=1 and reads this InteractionCallbackResponse.
        answer: dict[str, Any] = {
            "interaction": {"id": interaction["id"], "type": interaction["type"]},
        }
        if body["type"] in (4, 5, 7):  # these answers create (or, for 7, update) a message
            deferred = body["type"] == 5
            flags = (body.get("data") or {}).get("flags", 0) | (_LOADING if deferred else 0)
            message = self._store(interaction["channel_id"], body.get("data") or {}, flags, True)
            self._originals[interaction["token"]] = message["id"]
            answer["interaction"].update(
                response_message_id=message["id"], response_message_loading=deferred,
                response_message_ephemeral=bool(flags & 64),
            )
            answer["resource"] = {"type": body["type"], "message": message}
        return _json(answer)

    async def _followup(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        interaction = next((i for i in self._interactions.values() if i["token"] == token), None)
        if interaction is None:
            return _error(404, 10015, "Unknown Webhook")
        body = _current_call.get().json or {}
        return _json(self._store(interaction["channel_id"], body, body.get("flags", 0), True))

    async def _webhook_message(self, request: web.Request) -> web.Response:
        message_id = request.match_info["message"]
        if message_id == "@original":
            message_id = self._originals.get(request.match_info["token"], "")
        message = self.messages.get(message_id)
        if message is None:
            return _error(404, 10008, "Unknown Message")
        if request.method == "DELETE":
            del self.messages[message_id]
            return web.Response(status=204)
        if request.method == "PATCH":
            edit = _current_call.get().json or {}
            editable = ("content", "embeds", "components")
            message.update({k: v for k, v in edit.items() if k in editable})
            message["flags"] &= ~_LOADING  # an edit ends a deferred answer's "thinking..."
            message["edited_timestamp"] = datetime.now(UTC).isoformat()
        return _json(message)

    async def _open_dm(self, request: web.Request) -> web.Response:
        recipient = int(_current_call.get().json["recipient_id"])
        return _json(dm_channel_object(person_object(recipient)))

    async def _channel_message(self, request: web.Request) -> web.Response:
        channel = request.match_info["channel"]
        dm_channels = {str(dm_channel_id(int(m["user"]["id"]))) for m in self.members}
        if channel != str(CHANNEL_ID) and channel not in dm_channels:
            return _error(404, 10003, "Unknown Channel")
        body = _current_call.get().json or {}
        return _json(self._store(channel, body, body.get("flags", 0), False))

    async def _guild(self, request: web.Request) -> web.Response:
        if request.match_info["guild"] != str(GUILD_ID):
            return _error(404, 10004, "Unknown Guild")
        guild = guild_object(self.members)
        del guild["members"], guild["channels"]
        if request.query.get("with_counts", "").lower() in ("1", "true"):
            guild["approximate_member_count"] = len(self.members)
            guild["approximate_presence_count"] = len(self.members) // 2
        return _json(guild)

    async def _members(self, request: web.Request) -> web.Response:
        if request.match_info["guild"] != str(GUILD_ID):
            return _error(404, 10004, "Unknown Guild")
        limit = min(int(request.query.get("limit", 1)), 1000)
        after = int(request.query.get("after", 0))
        ordered = sorted(self.members, key=lambda m: int(m["user"]["id"]))
        return _json([m for m in ordered if int(m["user"]["id"]) > after][:limit])

    def _store(
        self, channel_id: str, body: dict[str, Any], flags: int, webhook: bool
    ) -> dict[str, Any]:
        author = self.bot_user
        message = message_object(channel_id, body, author=author, flags=flags, webhook=webhook)
        self.messages[message["id"]] = message
        return message

    # -- gateway -----------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.gateway_queries.append(dict(request.query))
        session = _GatewaySession(ws, request.query.get("compress"))
        self._sockets.add(ws)
        try:
            await session.send({"op": 10, "d": {"heartbeat_interval": 41250}})
            async for frame in ws:
                if frame.type is WSMsgType.TEXT:
                    await self._on_gateway_message(session, json.loads(frame.data))
        finally:
            self._sockets.discard(ws)
        return ws

    async def _on_gateway_message(self, session: _GatewaySession, message: dict[str, Any]) -> None:
        op, data = message["op"], message.get("d")
        if op == 1:  # heartbeat
            await session.send({"op": 11})
        elif op == 2 and data["token"] != self.token:
            await session.ws.close(code=4004, message=b"Authentication failed.")
        elif op == 2:  # identify
            self.identify = {k: v for k, v in data.items() if k != "token"}
            self._session = session
            await session.dispatch("READY", {
                "v": 10, "user": self.bot_user, "session_id": secrets.token_hex(16),
                "resume_gateway_url": self.gateway_url, "shard": data.get("shard", [0, 1]),
                "application": {"id": str(APPLICATION_ID), "flags": 0},
                "guilds": [{"id": str(GUILD_ID), "unavailable": True}], "private_channels": [],
                "relationships": [], "session_type": "normal", "geo_ordered_rtc_regions": [],
            })
            await session.dispatch("GUILD_CREATE", guild_object(self.members))
        elif op == 6:  # resume
            self._session = session
            await session.dispatch("RESUMED", {})
        elif op == 8:  # request guild members, which discord.py sends to fill a large guild
            await session.dispatch("GUILD_MEMBERS_CHUNK", {
                "guild_id": str(GUILD_ID), "members": self.members, "chunk_index": 0,
                "chunk_count": 1, "not_found": [], "nonce": data.get("nonce"),
            })
        await self._notify()


@contextlib.asynccontextmanager
async def connected(
    client: discord.Client, fake: FakeDiscord, *, timeout: float = 5.0
) -> AsyncIterator[None]:
    """Log client in to fake, keep it connected once ready, and close it afterwards.

    Build the client with guild_ready_timeout=0.1: discord.py waits that long after
    the last GUILD_CREATE before it calls itself ready (2 s by default).
    """
    await asyncio.wait_for(client.login(fake.token), timeout)
    running = asyncio.create_task(client.connect(reconnect=False))
    ready = asyncio.create_task(client.wait_until_ready())
    try:
        first = asyncio.FIRST_COMPLETED
        done, _ = await asyncio.wait({running, ready}, timeout=timeout, return_when=first)
        if running in done:
            running.result()
            raise RuntimeError("The client stopped before it became ready.")
        if ready not in done:
            raise TimeoutError(f"The client was not ready within {timeout}s.")
        yield
    finally:
        ready.cancel()
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(running, timeout)
