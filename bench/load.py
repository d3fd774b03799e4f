"""Signed `/pledge sign` load over HTTP and a stand-in for the Slack Web API, for the benchmarks
that drive a running Slack app (bench/slack_http.py, bench/workers.py). Not a benchmark itself.

Each request comes from a distinct user, so every one is a new member and a new signature.
Concerted answers a slash command by acking at once and posting the answer to the
request's response_url once the signature is committed; the stand-in records when each
answer arrives, so a request's answer latency is from sending it to its answer arriving.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

from bench.common import percentile

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-signing-secret"
TEAM = "T0BENCH"
LEAD = "U0LEAD"
CAMPAIGN = "bench"


@dataclass
class Result:
    """One run: when the last ack came, when the last answer came, each request's latencies."""

    requests: int
    acked: float
    answered: float | None
    latencies: list[float]
    answer_latencies: list[float] = field(default_factory=list)

    def rate(self, seconds: float) -> float:
        return self.requests / seconds

    def line(self, name: str, seconds: float, latency: bool = True) -> str:
        text = f"{name:<44} {self.rate(seconds):8.0f} req/s"
        if latency:
            text += (f"   ack p50 {percentile(self.latencies, 50) * 1000:6.1f} ms"
                     f"   ack p99 {percentile(self.latencies, 99) * 1000:6.1f} ms")
        return text

    def answer_line(self, name: str) -> str:
        return (f"{name:<44} {self.rate(self.answered):8.0f} req/s"
                f"   answer p50 {percentile(self.answer_latencies, 50) * 1000:6.1f} ms"
                f"   answer p99 {percentile(self.answer_latencies, 99) * 1000:6.1f} ms")


class FakeSlack:
    """auth.test, chat.postMessage and response_url, noting when each answer arrives."""

    def __init__(self) -> None:
        self.arrived: dict[int, float] = {}
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
        self.arrived, self.expected = {}, count
        self.answered.clear()

    async def _api(self, request: web.Request) -> web.Response:
        await request.read()
        return web.json_response({"ok": True, "team_id": TEAM, "user_id": "U0BOT",
                                  "bot_id": "B0BOT", "channel": "D0", "ts": "1.1"})

    async def _response(self, request: web.Request) -> web.Response:
        await request.read()
        self.arrived.setdefault(int(request.match_info["n"]), time.perf_counter())
        if len(self.arrived) >= self.expected:
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


async def load(url: str, users: list[str], fake: FakeSlack, concurrency: int,
               wait_for_answers: bool) -> Result:
    """Send one signed `/pledge sign` per user, `concurrency` at a time; wait for the answers."""
    bodies = [_body(user, f"{fake.url}/response/{i}") for i, user in enumerate(users)]
    queue = list(reversed(range(len(bodies))))
    latencies: list[float] = []
    sent: dict[int, float] = {}
    fake.expect(len(bodies))
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            while queue:
                n = queue.pop()
                body = bodies[n]
                sent[n] = started = time.perf_counter()
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
        answered = time.perf_counter() - started
        waits = [fake.arrived[n] - sent[n] for n in sent if n in fake.arrived]
        return Result(len(bodies), acked, answered, latencies, waits)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(api_url: str, database_url: str, key_file: Path, port: int) -> dict[str, str]:
    """What a Concerted Slack app in HTTP mode needs to serve the load against the stand-in."""
    return {**os.environ, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": f"{api_url}/api/", "CONCERTED_DATABASE_URL": database_url,
            "CONCERTED_KEY_FILE": str(key_file), "CONCERTED_HTTP_PORT": str(port),
            "CONCERTED_LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
            "PYTHONPATH": str(ROOT)}


async def started(port: int, process: subprocess.Popen) -> None:
    """Wait until something accepts connections on `port`, or the process has stopped."""
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


def prepare(database_url: str, key_file: Path) -> None:
    """The campaign and its pledge, made by a lead through the command layer."""
    from bots.runtime.bootstrap import build
    from campaigns.core.privacy import Person
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


def signatures(database_url: str) -> int:
    """How many signatures the database holds."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM signature")).scalar_one()
    finally:
        engine.dispose()


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and all its descendants, from /proc."""
    total, pending = 0.0, [pid]
    tick = os.sysconf("SC_CLK_TCK")
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pending.extend(int(child) for child in children)
        except (OSError, ValueError, IndexError):
            continue
    return total
