"""Signed `/pledge sign` requests over real HTTP: Concerted's Slack app against a bare slack-bolt
app that only verifies and acks, measured side by side in one run.

    python bench/slack_http.py --smoke                # CI: 200 requests each
    python bench/slack_http.py --requests 5000 --direct 300   # the run in docs/PERFORMANCE.md

Each request comes from a distinct user, so every one is a new member and a new signature.
Each app runs under uvicorn in a process of its own on 127.0.0.1; the load and a stand-in
for the Slack Web API (auth.test, chat.postMessage, response_url) run in this process.
Concerted's throughput counts a request as done only when its answer has reached the
response_url, which it sends after the signature is committed; at the end the signatures
are counted in the database.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402

from bench.common import header, percentile  # noqa: E402

SECRET = "bench-signing-secret"
TEAM = "T0BENCH"
LEAD = "U0LEAD"
CAMPAIGN = "bench"
WARMUP = 50


@dataclass
class Result:
    """One app's run: when the last ack came, when the last answer came, each ack's latency."""

    requests: int
    acked: float
    answered: float | None
    latencies: list[float]

    def rate(self, seconds: float) -> float:
        return self.requests / seconds

    def line(self, name: str, seconds: float, latency: bool = True) -> str:
        text = f"{name:<44} {self.rate(seconds):8.0f} req/s"
        if latency:
            text += (f"   ack p50 {percentile(self.latencies, 50) * 1000:6.1f} ms"
                     f"   ack p99 {percentile(self.latencies, 99) * 1000:6.1f} ms")
        return text


class FakeSlack:
    """auth.test, chat.postMessage and response_url, counting the answers that arrive."""

    def __init__(self) -> None:
        self.answers = 0
        self.answered = asyncio.Event()
        self.expected = 0
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/response/{n}", self._response)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        host, port = self.runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"

    async def stop(self) -> None:
        await self.runner.cleanup()

    def expect(self, count: int) -> None:
        self.answers, self.expected = 0, count
        self.answered.clear()

    async def _api(self, request: web.Request) -> web.Response:
        await request.read()
        return web.json_response({"ok": True, "team_id": TEAM, "user_id": "U0BOT",
                                  "bot_id": "B0BOT", "channel": "D0", "ts": "1.1"})

    async def _response(self, request: web.Request) -> web.Response:
        await request.read()
        self.answers += 1
        if self.answers >= self.expected:
            self.answered.set()
        return web.Response(text="ok")


def _body(user: str, response_url: str) -> bytes:
    return urlencode({
        "token": "x", "team_id": TEAM, "team_domain": "bench", "channel_id": "C0BENCH",
        "channel_name": "general", "user_id": user, "user_name": user.lower(),
        "command": "/pledge", "text": f"sign {CAMPAIGN}", "api_app_id": "A0BENCH",
        "is_enterprise_install": "false", "response_url": response_url,
        "trigger_id": "1.2.3",
    }).encode()


def _headers(body: bytes) -> dict[str, str]:
    stamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256)
    return {"Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=" + digest.hexdigest()}


async def _load(url: str, users: list[str], fake: FakeSlack, concurrency: int,
                wait_for_answers: bool) -> Result:
    bodies = [_body(user, f"{fake.url}/response/{i}") for i, user in enumerate(users)]
    queue = list(reversed(bodies))
    latencies: list[float] = []
    fake.expect(len(bodies))
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            while queue:
                body = queue.pop()
                started = time.perf_counter()
                async with session.post(url, data=body, headers=_headers(body)) as response:
                    await response.read()
                    if response.status != 200:
                        raise RuntimeError(f"the app answered {response.status}")
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        acked = time.perf_counter() - started
        if not wait_for_answers:
            return Result(len(bodies), acked, None, latencies)
        await asyncio.wait_for(fake.answered.wait(), timeout=600)
        return Result(len(bodies), acked, time.perf_counter() - started, latencies)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(api_url: str, database_url: str, key_file: Path, port: int) -> dict[str, str]:
    return {**os.environ, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": f"{api_url}/api/", "CONCERTED_DATABASE_URL": database_url,
            "CONCERTED_KEY_FILE": str(key_file), "CONCERTED_HTTP_PORT": str(port),
            "CONCERTED_LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"), "PYTHONPATH": str(ROOT)}


async def _started(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped at start (exit {process.returncode})")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError("the server did not start within 60 seconds")


async def _measure(kind: str, env: dict, fake: FakeSlack, args, prefix: str) -> Result:
    port = int(env["CONCERTED_HTTP_PORT"])
    process = subprocess.Popen([sys.executable, __file__, "--serve", kind], env=env,
                               stdout=subprocess.DEVNULL, stderr=None)
    try:
        await _started(port, process)
        url = f"http://127.0.0.1:{port}/slack/events"
        answers = kind == "concerted"
        await _load(url, [f"U{prefix}W{i:06d}" for i in range(WARMUP)], fake, 8, answers)
        users = [f"U{prefix}{i:07d}" for i in range(args.requests)]
        return await _load(url, users, fake, args.concurrency, answers)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _prepare(database_url: str, key_file: Path) -> None:
    from bots.bootstrap import build
    from campaigns.privacy import Person
    from settings import load_settings

    settings = load_settings(CONCERTED_DATABASE_URL=database_url, CONCERTED_KEY_FILE=key_file)
    app = build(settings, realtime=False, logging_setup=False)
    try:
        lead = Person("slack", TEAM, LEAD)
        dispatcher = app.dispatcher("slack")
        for line in (f"/campaign create {CAMPAIGN} --headcount 100000",
                     f'/pledge create {CAMPAIGN} --text "We sign for the benchmark"'):
            [reply] = dispatcher.run(lead, line)
            if reply.template.startswith("errors/"):
                raise RuntimeError(f"could not prepare the campaign: {reply.template}")
    finally:
        app.close()


def _command_layer(database_url: str, key_file: Path, count: int) -> float:
    """Seconds the command layer alone takes for `count` signs, in this process, one thread."""
    from bots.bootstrap import build
    from campaigns.privacy import Person
    from settings import load_settings

    settings = load_settings(CONCERTED_DATABASE_URL=database_url, CONCERTED_KEY_FILE=key_file)
    app = build(settings, realtime=False, logging_setup=False)
    try:
        dispatcher = app.dispatcher("slack")
        started = time.perf_counter()
        for i in range(count):
            dispatcher.run(Person("slack", TEAM, f"U0DIRECT{i:07d}"), f"/pledge sign {CAMPAIGN}")
        return time.perf_counter() - started
    finally:
        app.close()


def _signatures(database_url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM signature")).scalar_one()
    finally:
        engine.dispose()


async def _run(args) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="concerted-bench-"))
    database_url = args.database or f"sqlite:///{workdir / 'bench.db'}"
    key_file = workdir / "bench.key"
    header("Slack over HTTP: signed /pledge sign, Concerted against a bare slack-bolt app",
           f"python bench/slack_http.py --requests {args.requests} --concurrency "
           f"{args.concurrency}; database {database_url.split(':', 1)[0]}; uvicorn on 127.0.0.1, "
           f"one process per app; {WARMUP} warm-up requests each; distinct users")
    from bots.commands import registry

    if ("pledge", "sign") not in registry().specs:
        print("RESULT: /pledge sign does not exist yet; nothing to measure.")
        return 1
    _prepare(database_url, key_file)
    fake = FakeSlack()
    await fake.start()
    try:
        bare = await _measure("bare", _environment(fake.url, database_url, key_file,
                                                   _free_port()), fake, args, "B")
        ours = await _measure("concerted", _environment(fake.url, database_url, key_file,
                                                         _free_port()), fake, args, "C")
    finally:
        await fake.stop()
    signed = _signatures(database_url)
    expected = args.requests + WARMUP
    direct = _command_layer(database_url, key_file, args.direct)
    print(bare.line("bare bolt, verified and acked", bare.acked))
    print(ours.line("Concerted, acked", ours.acked))
    print(ours.line("Concerted, committed and answered", ours.answered, latency=False))
    print(f"{'Concerted command layer alone, no HTTP':<44} {args.direct / direct:8.0f} signs/s"
          f"   ({direct / args.direct * 1000:.1f} ms each, one thread)")
    print(f"ratio, acked:                 {ours.rate(ours.acked) / bare.rate(bare.acked):.2f}"
          " of the bare app's throughput")
    print(f"ratio, committed and answered: {ours.rate(ours.answered) / bare.rate(bare.acked):.2f}"
          " of the bare app's throughput")
    print(f"signatures committed: {signed} of {expected}")
    return 0 if signed == expected else 1


def _serve(kind: str) -> None:
    import uvicorn

    from bots.slack_app.app import EventsEndpoint
    from settings import load_settings

    settings = load_settings()
    if kind == "bare":
        from slack_bolt.adapter.asgi.async_handler import AsyncSlackRequestHandler
        from slack_bolt.async_app import AsyncApp
        from slack_sdk.web.async_client import AsyncWebClient

        os.environ.pop("SLACK_BOT_TOKEN")  # bolt would warn that the client's token wins
        bare = AsyncApp(signing_secret=settings.slack_signing_secret,
                        client=AsyncWebClient(token=settings.slack_bot_token,
                                              base_url=settings.slack_api_url))

        @bare.command("/pledge")
        async def acknowledge(ack):
            await ack()

        uvicorn.run(AsyncSlackRequestHandler(bare), host="127.0.0.1", port=settings.http_port,
                    lifespan="off", log_level="warning", access_log=False)
        return
    from bots.slack_app.run import running

    async def serve() -> None:
        async with running(settings, socket_mode=False, realtime=True) as live:
            config = uvicorn.Config(EventsEndpoint(live.bolt), host="127.0.0.1",
                                    port=settings.http_port, lifespan="off", log_config=None,
                                    access_log=False)
            await uvicorn.Server(config).serve()

    asyncio.run(serve())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per app (200)")
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight (32)")
    parser.add_argument("--database", help="a database URL; a temporary SQLite file if unset")
    parser.add_argument("--direct", type=int, default=100,
                        help="signs through the command layer alone, for comparison (100)")
    parser.add_argument("--smoke", action="store_true",
                        help="the short run CI makes: 200 requests, 20 direct signs")
    parser.add_argument("--serve", choices=["bare", "concerted"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.smoke:
        args.requests, args.direct = 200, 20
    if args.serve:
        _serve(args.serve)
        return 0
    return asyncio.run(_run(args))


if __name__ == "__main__":
    sys.exit(main())
