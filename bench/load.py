"""Signed `/pledge sign` load over HTTP and a stand-in for the Slack Web API, shared by the
benchmarks that drive a running Slack app (slack_http.py, workers.py, slack_wrk.py), and
an open-loop benchmark of its own: requests sent on a schedule, whatever the answers do.

    python bench/load.py --smoke                      # CI: 50 signatures/s for 2 s
    python bench/load.py --rate 100 --seconds 60      # the run in docs/PERFORMANCE.md
    python bench/load.py --rate 100 --seconds 60 --database postgresql+psycopg://...

Each request comes from a distinct user, so every one is a new member and a new signature.
Concerted answers a slash command in the HTTP response itself when the signature is
committed within its deadline, else it acks empty and posts the answer to the request's
response_url; the stand-in records when each posted answer arrives. An answer's latency
runs from the moment the request was due (open loop) or sent (closed loop) to the moment
its answer arrived, by either road.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402, F401 - the helpers other benchmarks import from here
    cpu_seconds,
    free_port,
    percentile,
    rss_mib,
    started,
    stop,
)

SECRET = "bench-signing-secret"
TEAM = "T0BENCH"
LEAD = "U0LEAD"
CAMPAIGN = "bench"


@cache
def busy_marker() -> str:
    """A stretch of the "busy" answer that survives JSON escaping: how a busy ack is told apart."""
    from bots.output.rendering import Renderer

    text = Renderer("slack").render("errors/busy.j2")
    plain = "".join(c if c.isascii() and c.isalnum() or c == " " else "\0" for c in text)
    return max(plain.split("\0"), key=len).strip()


def kind_of(body: bytes) -> str:
    """What an ack carried: `empty` (the answer follows on the response_url), `busy`, or `answer`."""
    if not body.strip():
        return "empty"
    return "busy" if busy_marker().encode() in body else "answer"


@dataclass
class Result:
    """One run: when the last ack came, when the last answer came, each request's latencies."""

    requests: int
    acked: float
    answered: float | None
    latencies: list[float]
    answer_latencies: list[float] = field(default_factory=list)
    busy: int = 0
    in_ack: int = 0  # answers that came in the HTTP response itself
    late: float = 0.0  # open loop: the latest a request was sent after its time, in seconds

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
                f"   answer p99 {percentile(self.answer_latencies, 99) * 1000:6.1f} ms"
                f"   ({self.in_ack} in the ack, {self.busy} busy)")


class FakeSlack:
    """auth.test, chat.postMessage, users.list and users.info for the workspace's `people`, and
    response_url, noting when each posted answer arrives."""

    def __init__(self) -> None:
        self.arrived: dict[int, float] = {}
        self.changed = asyncio.Event()
        self.runner: web.AppRunner | None = None
        self.url = ""
        # The workspace's members, as users.list pages through them (in pages of `limit`);
        # `listed` is set each time a listing reaches its last page.
        self.people: list[str] = []
        self.listed = asyncio.Event()
        self._member_set: set[str] = set()

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{n}", self._response)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        host, port = self.runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"

    async def stop(self) -> None:
        await self.runner.cleanup()

    async def wait_for(self, numbers: set[int], timeout: float = 600) -> bool:
        """Wait until an answer has arrived on each of these response_urls; False on timeout."""
        deadline = time.monotonic() + timeout
        while not numbers <= self.arrived.keys():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), timeout=min(left, 1.0))
            except TimeoutError:
                continue
        return True

    async def _api(self, request: web.Request) -> web.Response:
        args = {**request.query, **(await request.post())}
        method = request.match_info["method"]
        if method == "users.list":
            return web.json_response(self._users_list(args))
        if method == "users.info":
            found = args.get("user") in self._members()
            return web.json_response({"ok": True, "user": member(args["user"])} if found
                                     else {"ok": False, "error": "user_not_found"})
        return web.json_response({"ok": True, "team_id": TEAM, "user_id": "U0BOT",
                                  "bot_id": "B0BOT", "channel": "D0", "ts": "1.1"})

    def _members(self) -> set[str]:
        if len(self._member_set) != len(self.people):
            self._member_set = set(self.people)
        return self._member_set

    def _users_list(self, args: dict) -> dict:
        start = int(args.get("cursor") or 0)
        end = start + int(args.get("limit") or 100)
        if end >= len(self.people):
            self.listed.set()
        return {"ok": True, "members": [member(user) for user in self.people[start:end]],
                "response_metadata": {"next_cursor": str(end) if end < len(self.people) else ""}}

    async def _response(self, request: web.Request) -> web.Response:
        await request.read()
        self.arrived.setdefault(int(request.match_info["n"]), time.monotonic())
        self.changed.set()
        return web.Response(text="ok")


def member(user: str) -> dict:
    """A users.list member shaped like Slack's (trimmed), with `locale` as include_locale adds."""
    return {"id": user, "team_id": TEAM, "name": user.lower(), "deleted": False,
            "is_bot": False, "is_restricted": False, "tz": "Europe/London", "tz_offset": 0,
            "locale": "en-GB", "profile": {"real_name": user.lower(), "display_name": "",
                                           "status_text": "", "team": TEAM}}


def body(user: str, response_url: str) -> bytes:
    """The form body Slack posts for `/pledge sign bench` typed by `user`."""
    return urlencode({
        "token": "x", "team_id": TEAM, "team_domain": "bench", "channel_id": "C0BENCH",
        "channel_name": "general", "user_id": user, "user_name": user.lower(),
        "command": "/pledge", "text": f"sign {CAMPAIGN}", "api_app_id": "A0BENCH",
        "is_enterprise_install": "false", "response_url": response_url,
        "trigger_id": "1.2.3",
    }).encode()


def headers(content: bytes, stamp: int | None = None) -> dict[str, str]:
    """Slack's signature headers for a body, as Slack computes them."""
    stamp_text = str(int(time.time()) if stamp is None else stamp)
    digest = hmac.new(SECRET.encode(), b"v0:" + stamp_text.encode() + b":" + content,
                      hashlib.sha256)
    return {"Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp_text,
            "X-Slack-Signature": "v0=" + digest.hexdigest()}


class _Answers:
    """When each request was due and when its answer came, by whichever road it came."""

    def __init__(self, fake: FakeSlack):
        self.fake = fake
        self.due: dict[int, float] = {}
        self.in_ack: dict[int, float] = {}
        self.later: set[int] = set()
        self.busy: set[int] = set()
        self.ack_latencies: list[float] = []
        self.late = 0.0  # how far behind its time a request was sent, at worst

    async def send(self, session: aiohttp.ClientSession, url: str, n: int, content: bytes,
                   due: float) -> None:
        self.due[n] = due
        self.late = max(self.late, time.monotonic() - due)
        async with session.post(url, data=content, headers=headers(content)) as response:
            got = await response.read()
            if response.status != 200:
                raise RuntimeError(f"the app answered {response.status}")
        now = time.monotonic()
        self.ack_latencies.append(now - due)
        kind = kind_of(got)
        if kind == "answer":
            self.in_ack[n] = now
        elif kind == "busy":
            self.busy.add(n)
        else:
            self.later.add(n)

    async def result(self, started: float, acked: float, wait: bool) -> Result:
        if not wait:
            return Result(len(self.due), acked, None, self.ack_latencies, busy=len(self.busy),
                      late=self.late)
        if not await self.fake.wait_for(self.later):
            raise RuntimeError("answers promised by an empty ack never reached the response_url")
        arrived = {**{n: self.fake.arrived[n] for n in self.later}, **self.in_ack}
        last = max(arrived.values(), default=time.monotonic())
        waits = [arrived[n] - self.due[n] for n in arrived]
        return Result(len(self.due), acked, last - started, self.ack_latencies, waits,
                      busy=len(self.busy), in_ack=len(self.in_ack), late=self.late)


def numbered(users: list[str], fake: FakeSlack) -> tuple[int, list[bytes]]:
    # Response_urls are numbered across every run of this process, so none is reused.
    global _NEXT
    first, _NEXT = _NEXT, _NEXT + len(users)
    return first, [body(user, f"{fake.url}/response/{first + i}") for i, user in enumerate(users)]


_NEXT = 0


async def load(url: str, users: list[str], fake: FakeSlack, concurrency: int,
               wait_for_answers: bool) -> Result:
    """Closed loop: one signed `/pledge sign` per user, `concurrency` at a time; then wait
    for every answer."""
    first, bodies = numbered(users, fake)
    queue = list(reversed(range(len(bodies))))
    answers = _Answers(fake)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            while queue:
                n = queue.pop()
                await answers.send(session, url, first + n, bodies[n], time.monotonic())

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        acked = time.monotonic() - started
        return await answers.result(started, acked, wait_for_answers)


async def open_loop(url: str, users: list[str], fake: FakeSlack, rate: float,
                    wait: bool = True) -> Result:
    """Open loop: request i is sent at start + i/rate, whether or not earlier ones were
    answered; latencies run from when each was due, so a late send counts against it."""
    first, bodies = numbered(users, fake)
    answers = _Answers(fake)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=120)) as session:
        started = time.monotonic()
        sending = []
        for n, content in enumerate(bodies):
            due = started + n / rate
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            sending.append(asyncio.ensure_future(
                answers.send(session, url, first + n, content, due)))
        await asyncio.gather(*sending)
        acked = time.monotonic() - started
        return await answers.result(started, acked, wait)


def environment(api_url: str, database_url: str, key_file: Path, port: int) -> dict[str, str]:
    """What a Concerted Slack app in HTTP mode needs to serve the load against the stand-in."""
    return {**os.environ, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": f"{api_url}/api/", "CONCERTED_DATABASE_URL": database_url,
            "CONCERTED_KEY_FILE": str(key_file), "CONCERTED_HTTP_PORT": str(port),
            "CONCERTED_OUTPUT_DIR": str(key_file.parent / "out"),
            "CONCERTED_LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
            "PYTHONPATH": str(ROOT)}


def run_concerted(env: dict[str, str]) -> subprocess.Popen:
    """`concerted run` in Slack HTTP mode, as an operator starts it."""
    return subprocess.Popen([sys.executable, "-m", "bots.runtime.cli", "run"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=None)


def run_bare(env: dict[str, str]) -> subprocess.Popen:
    """A bare slack-bolt app that verifies each request's signature and acks (slack_http.py)."""
    return subprocess.Popen([sys.executable, str(ROOT / "bench" / "slack_http.py"), "--serve",
                             "bare"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=None)


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


async def _open_loop_run(args) -> int:
    import tempfile

    from bench.common import header, scratch_database

    count = int(args.rate * args.seconds)
    header("bench/load.py: open-loop /pledge sign over Slack HTTP, against a bare slack-bolt app",
           f"python bench/load.py --rate {args.rate:g} --seconds {args.seconds:g} --database "
           f"{args.database}{' --smoke' if args.smoke else ''}; {count} signed requests from "
           f"distinct users, each sent at its time whatever came back; `concerted run` and the "
           f"bare app under uvicorn, one process each, one after the other on 127.0.0.1; "
           f"{WARMUP} closed-loop warm-up requests each; the load and the Slack stand-in in "
           f"this process")
    with tempfile.TemporaryDirectory(prefix="concerted-bench-") as tmp, \
            scratch_database(args.database, Path(tmp)) as database_url:
        key_file = Path(tmp) / "bench.key"
        prepare(database_url, key_file)
        fake = FakeSlack()
        await fake.start()
        try:
            results = {}
            for kind, run in (("bare", run_bare), ("concerted", run_concerted)):
                env = environment(fake.url, database_url, key_file, free_port())
                results[kind] = await _scheduled(kind, run(env), env, fake, args, count)
        finally:
            await fake.stop()
        signed = signatures(database_url)
    (bare, bare_cpu), (ours, cpu) = results["bare"], results["concerted"]
    wanted = count - ours.busy
    print(f"offered: {args.rate:g} requests/s for {args.seconds:g} s ({count} requests), "
          f"sent {ours.requests}, at worst {ours.late * 1000:.1f} ms after its time (bare "
          f"{bare.late * 1000:.1f} ms)")
    print(f"{'bare bolt, acked':<34} ack p50 {_ms(bare.latencies, 50)}   "
          f"p99 {_ms(bare.latencies, 99)}   CPU {bare_cpu / bare.requests * 1000:.2f} ms/request")
    print(f"{'Concerted, committed and answered':<34} answer p50 {_ms(ours.answer_latencies, 50)}"
          f"   p99 {_ms(ours.answer_latencies, 99)}   max {_ms(ours.answer_latencies, 100)}"
          f"   CPU {cpu / max(1, wanted) * 1000:.2f} ms/signature")
    print(f"answers: {ours.in_ack} in the HTTP response, {wanted - ours.in_ack} through the "
          f"response_url, {ours.busy} busy")
    print(f"signatures committed: {signed - WARMUP} of {wanted} answered (and the {WARMUP} "
          f"warm-up ones)")
    return 0 if signed - WARMUP == wanted else 1


async def _scheduled(kind: str, process: subprocess.Popen, env: dict, fake: FakeSlack, args,
                     count: int) -> tuple[Result, float]:
    try:
        await started(int(env["CONCERTED_HTTP_PORT"]), process)
        url = f"http://127.0.0.1:{env['CONCERTED_HTTP_PORT']}/slack/events"
        prefix = "B" if kind == "bare" else "C"
        await load(url, [f"U{prefix}W{i:06d}" for i in range(WARMUP)], fake, 8,
                   kind == "concerted")
        before = cpu_seconds(process.pid)
        users = [f"U{prefix}{i:07d}" for i in range(count)]
        # The bare app answers nothing later: its ack is all there is.
        result = await open_loop(url, users, fake, args.rate, wait=kind == "concerted")
        return result, cpu_seconds(process.pid) - before
    finally:
        stop(process)


WARMUP = 50


def _ms(values: list[float], pct: float) -> str:
    return f"{percentile(values, pct) * 1000:7.1f} ms"


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100, help="requests per second (100)")
    parser.add_argument("--seconds", type=float, default=60, help="how long to send (60)")
    parser.add_argument("--database", default="sqlite", choices=["sqlite", "postgresql"],
                        help="a scratch database of this kind (sqlite)")
    parser.add_argument("--smoke", action="store_true", help="CI: 50 requests/s for 2 s")
    args = parser.parse_args()
    if args.smoke:
        args.rate, args.seconds = 50, 2
    if args.database == "postgresql":
        from bench.common import postgres_reachable

        if not postgres_reachable():
            print("PostgreSQL is not reachable on 127.0.0.1:5432: nothing measured.")
            return 0
    return asyncio.run(_open_loop_run(args))


if __name__ == "__main__":
    sys.exit(main())
