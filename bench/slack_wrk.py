"""Concerted against a bare slack-bolt app under wrk: signed `/pledge sign` requests from distinct
users, alternating rounds, on SQLite and PostgreSQL; and an overload run above capacity.

    python bench/slack_wrk.py --smoke          # CI: one short round on SQLite, a short overload
    python bench/slack_wrk.py                  # 3 alternating rounds of 10 s, SQLite and PostgreSQL
    python bench/slack_wrk.py --overload       # 60 s at twice capacity: memory, busy, losses

wrk (Debian's package: `apt-get install -y wrk`) sends the load, so the load generator
is not the bottleneck. Its Lua has no HMAC, so the requests are signed here beforehand,
one per user, and bench/slack_wrk.lua cycles through them and counts what each ack
carried: the answer itself, nothing (the answer follows on the response_url), or "busy".
Both apps run under uvicorn in processes of their own on 127.0.0.1 (Concerted as
`concerted run` starts it); a stand-in for the Slack Web API in this process takes the
response_url posts. Concerted's rate counts a signature only when it is committed (counted
in the database afterwards) and answered (in the ack or on the response_url, waited for
after wrk stops). CPU is read from /proc/<pid>/stat before and after each round.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import header, postgres_reachable, py_spy_binary, scratch_database  # noqa: E402
from bench.load import (  # noqa: E402
    FakeSlack,
    busy_marker,
    cpu_seconds,
    environment,
    free_port,
    headers,
    numbered,
    prepare,
    rss_mib,
    run_bare,
    run_concerted,
    signatures,
    started,
    stop,
)

LUA = Path(__file__).with_suffix(".lua")
MOST_PER_SECOND = 4000  # more than either app answers here: enough signed requests never to wrap
# wrk may run this much longer than it sends, so every request sent is answered before it
# stops: more than its 3-second timeout. It stops as soon as none is left (slack_wrk.lua).
TAIL = 4


@dataclass
class Round:
    """What wrk saw in one run, and what the server did with it."""

    sent: int
    first: float  # time.monotonic() of the first request sent
    last: float  # and of the last ack read
    answer: int
    busy: int
    empty: int
    failed: int
    wrapped: int
    timeouts: int
    socket_errors: str  # connect/read/write
    p50_ms: float
    p99_ms: float
    late_ms: float  # how far behind its schedule wrk sent, at worst (open loop)
    cpu: float = 0.0
    posted: int = 0  # answers that came on the response_url
    committed: int = 0
    elapsed: float = 0.0  # until the last answer arrived, wrk's run included

    @property
    def answered(self) -> int:
        return min(self.committed, self.answer + self.posted)

    @property
    def acked(self) -> int:
        return self.answer + self.busy + self.empty

    def acked_rate(self) -> float:
        return self.acked / (self.last - self.first)

    def answered_rate(self) -> float:
        return self.answered / self.elapsed


def _write_requests(path: Path, users: list[str], fake: FakeSlack) -> range:
    first, bodies = numbered(users, fake)
    with path.open("w") as out:
        for content in bodies:
            signed = headers(content)
            out.write(f"{signed['X-Slack-Request-Timestamp']} {signed['X-Slack-Signature']} "
                      f"{content.decode()}\n")
    return range(first, first + len(bodies))


async def _wrk(url: str, requests: Path, seconds: int, connections: int, threads: int,
               rate: float) -> Round:
    process = await asyncio.create_subprocess_exec(
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds + TAIL}s", "--timeout", "3s",
        "-s", str(LUA), url, "--", str(requests), busy_marker(), str(threads), str(seconds),
        str(rate / threads),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await process.communicate()
    found = re.search(r"CONCERTED-WRK (.*)", out.decode())
    if process.returncode != 0 or found is None:
        raise RuntimeError(f"wrk failed: {err.decode().strip() or out.decode().strip()}")
    values = dict(pair.split("=") for pair in found.group(1).split())
    return Round(int(values["sent"]), float(values["first"]), float(values["last"]),
                 *(int(values[name]) for name in ("answer", "busy", "empty", "failed",
                                                   "wrapped", "timeouts")),
                 values["socket_errors"],
                 int(values["p50_us"]) / 1000, int(values["p99_us"]) / 1000,
                 float(values["late_ms"]))


class Server:
    """One app under load: its process, its URL, and the users it has been sent so far."""

    def __init__(self, kind: str, env: dict, fake: FakeSlack, workdir: Path, database_url: str):
        self.kind, self.env, self.fake, self.workdir = kind, env, fake, workdir
        self.database_url = database_url
        self.url = f"http://127.0.0.1:{env['CONCERTED_HTTP_PORT']}/slack/events"
        self.process = (run_concerted if kind == "concerted" else run_bare)(env)
        self.batches = 0

    async def start(self) -> None:
        await started(int(self.env["CONCERTED_HTTP_PORT"]), self.process)

    async def run(self, seconds: int, connections: int, threads: int, watch=None,
                  rate: float = 0) -> Round:
        """Load it with wrk for `seconds`, as fast as it answers or at `rate` requests a second;
        for Concerted, wait for every answer an empty ack promised."""
        self.batches += 1
        count = int(seconds * (rate * 1.2 + 100 if rate else MOST_PER_SECOND))
        users = _users(self.kind, self.batches, count)
        requests = self.workdir / f"{self.kind}-{self.batches}.txt"
        numbers = _write_requests(requests, users, self.fake)
        before_cpu = cpu_seconds(self.process.pid)
        before_signed = signatures(self.database_url) if self.kind == "concerted" else 0
        began = time.monotonic()
        watching = asyncio.ensure_future(watch(self.process.pid, began)) if watch else None
        result = await _wrk(self.url, requests, seconds, connections, threads, rate)
        if watching is not None:
            await watching
        requests.unlink()
        if self.kind == "concerted":
            await self._drain(result, numbers)
            result.committed = signatures(self.database_url) - before_signed
        last = max((self.fake.arrived[n] for n in numbers if n in self.fake.arrived),
                   default=0.0)
        result.elapsed = max(result.last, last) - result.first
        result.cpu = cpu_seconds(self.process.pid) - before_cpu
        result.posted = sum(1 for n in numbers if n in self.fake.arrived)
        return result

    async def _drain(self, result: Round, numbers: range, stalled: float = 15) -> None:
        # Each empty ack promised an answer on the response_url: wait for them all, as long
        # as they keep coming (a backlog can take minutes to drain).
        seen, since = -1, time.monotonic()
        while True:
            arrived = sum(1 for n in numbers if n in self.fake.arrived)
            if arrived >= result.empty:
                return
            if arrived != seen:
                seen, since = arrived, time.monotonic()
            elif time.monotonic() - since > stalled:
                return
            await asyncio.sleep(0.1)

    def close(self) -> None:
        stop(self.process)


def _py_spy(args, name: str):
    # Samples of the server's GIL holder during the round, as py-spy's raw collapsed stacks.
    async def watch(pid: int, began: float) -> None:
        out = Path(args.py_spy) / f"{name}.txt"
        out.parent.mkdir(parents=True, exist_ok=True)
        process = await asyncio.create_subprocess_exec(
            py_spy_binary(), "record", "--gil", "--rate", "500", "--format", "raw",
            "--output", str(out), "--duration", str(max(1, args.seconds - 1)),
            "--pid", str(pid), "--nonblocking",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        _, err = await process.communicate()
        if process.returncode == 0 and out.exists():
            print(f"{'':<10} py-spy samples of this round: {out}")
        else:
            print(f"{'':<10} py-spy recorded nothing: {err.decode().strip()[-200:]}")
    return watch


def _users(kind: str, batch: int, count: int) -> list[str]:
    return [f"U{kind[0].upper()}{batch:02d}x{i:07d}" for i in range(count)]


def _workspace(fake: FakeSlack, args) -> None:
    # Everyone who will sign is in the workspace already, as in a real one, and Concerted
    # reads their languages with users.list when it starts: wait for that before measuring.
    plan = ([args.warmup] if args.warmup else []) + [args.seconds] * args.rounds
    fake.people = [user for batch, seconds in enumerate(plan, 1)
                   for user in _users("concerted", batch, seconds * MOST_PER_SECOND)]
    fake.listed.clear()


def _line(label: str, kind: str, result: Round) -> str:
    if kind == "bare":
        return (f"{label:<10} bare bolt   {result.acked_rate():7.0f} req/s acked"
                f"{'':>30}ack p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms   "
                f"CPU {result.cpu / max(1, result.acked) * 1000:5.2f} ms/request"
                f"{_cores(result)}")
    return (f"{label:<10} Concerted   {result.answered_rate():7.0f} signatures/s "
            f"committed and answered ({result.answer} in the ack, {result.posted} by "
            f"response_url, {result.busy} busy)   ack p50 {result.p50_ms:6.1f} ms  p99 "
            f"{result.p99_ms:6.1f} ms   CPU {result.cpu / max(1, result.answered) * 1000:5.2f}"
            f" ms/signature{_cores(result)}" + _problems(result))


def _cores(result: Round) -> str:
    # How busy the server was: near 1.0, one Python process is saturated (the GIL); well
    # below, something else (latency, too few connections) held its rate down.
    return f" ({result.cpu / result.elapsed:.2f} cores)" if result.elapsed else ""


def _problems(result: Round) -> str:
    said = []
    if result.wrapped:
        said.append(f"wrk ran out of signed requests {result.wrapped} times: repeats were "
                    "replays, acknowledged and not run")
    if result.failed or result.timeouts or result.socket_errors != "0/0/0":
        said.append(f"{result.failed} non-200 answers, {result.timeouts} timeouts (3 s), "
                    f"socket errors (connect/read/write) {result.socket_errors}: read errors "
                    f"are mostly idle connections uvicorn closed after 5 s")
    if result.committed != result.answer + result.posted or result.posted != result.empty:
        said.append(f"{result.committed} committed, {result.answer + result.posted} answered, "
                    f"{result.posted} answers on the response_url for {result.empty} empty acks")
    return "".join(f"\n{'':<11}NOTE: {text}" for text in said)


async def _side_by_side(kind: str, args, fake: FakeSlack, workdir: Path) -> list[float]:
    with scratch_database(kind, workdir) as database_url:
        key_file = workdir / f"{kind}.key"
        prepare(database_url, key_file)
        _workspace(fake, args)
        servers = {name: Server(name, environment(fake.url, database_url, key_file, free_port()),
                                fake, workdir, database_url) for name in ("bare", "concerted")}
        try:
            for server in servers.values():
                await server.start()
            began = time.monotonic()
            await asyncio.wait_for(fake.listed.wait(), timeout=300)
            print(f"{kind}: Concerted listed the workspace's {len(fake.people):,} people "
                  f"(users.list) in {time.monotonic() - began:.1f} s after it started")
            for server in servers.values():
                if args.warmup:
                    await server.run(args.warmup, args.connections, args.threads)
            ratios = []
            for number in range(1, args.rounds + 1):
                bare = await servers["bare"].run(args.seconds, args.connections, args.threads)
                ours = await servers["concerted"].run(
                    args.seconds, args.connections, args.threads,
                    _py_spy(args, f"{kind}-r{number}") if args.py_spy else None)
                ratio = ours.answered_rate() / bare.acked_rate()
                ratios.append(ratio)
                print(_line(f"{kind} r{number}", "bare", bare))
                print(_line(f"{kind} r{number}", "concerted", ours))
                print(f"{'':<10} ratio, committed and answered / bare acked: {ratio:.2f}   "
                      f"(CPU per signature / per bare request: "
                      f"{(ours.cpu / max(1, ours.answered)) / (bare.cpu / bare.acked):.1f})")
            return ratios
        finally:
            for server in servers.values():
                server.close()


async def _overload(args, fake: FakeSlack, workdir: Path) -> int:
    with scratch_database(args.databases[0], workdir) as database_url:
        key_file = workdir / "overload.key"
        prepare(database_url, key_file)
        env = environment(fake.url, database_url, key_file, free_port())
        if args.backlog:
            env["CONCERTED_BACKLOG"] = str(args.backlog)
        server = Server("concerted", env, fake, workdir, database_url)
        samples: list[tuple[float, float]] = []

        async def watch(pid: int, began: float) -> None:
            while time.monotonic() - began < args.overload_seconds:
                samples.append((time.monotonic() - began, rss_mib(pid)))
                await asyncio.sleep(0.5)

        try:
            await server.start()
            # The baseline, from this run: what it commits and answers as fast as it can.
            capacity = await server.run(args.capacity_seconds, args.connections, args.threads)
            offered = args.overload_factor * capacity.answered_rate()
            # Enough connections that answers slow to the deadline (2 s) still leave free ones
            # on schedule, few enough that each is used again before uvicorn closes it idle (5 s).
            connections = max(args.connections, min(args.overload_connections, round(3 * offered)))
            result = await server.run(args.overload_seconds, connections, args.threads, watch,
                                      rate=offered)
            end_rss = rss_mib(server.process.pid)
        finally:
            server.close()
    warm = next((rss for at, rss in samples if at >= args.overload_warmup), samples[-1][1])
    taken = result.answer + result.empty
    print(_line("capacity", "concerted", capacity))
    print(f"offered: {offered:.0f} requests/s ({args.overload_factor:g} x capacity) for "
          f"{args.overload_seconds:g} s, on a schedule, over {connections} connections (sent "
          f"{result.late_ms:.0f} ms behind schedule at worst); backlog limit "
          f"{args.backlog or 'default (CONCERTED_BACKLOG unset)'}")
    print(_line("overload", "concerted", result))
    print(f"answers: {result.acked} acks in {result.last - result.first:.1f} s "
          f"({result.acked_rate():.0f}/s): {result.busy} busy, {taken} taken on "
          f"({result.answer} answered in the ack, {result.empty} acked empty)")
    print(f"memory: RSS {warm:.0f} MiB after {args.overload_warmup:g} s of warm-up, "
          f"{end_rss:.0f} MiB at the end ({(end_rss / warm - 1) * 100:+.1f}%), "
          f"highest {max(rss for _, rss in samples):.0f} MiB")
    lost = taken - min(result.committed, result.answer + result.posted)
    print(f"taken on and lost: {lost} ({result.committed} committed, "
          f"{result.answer + result.posted} answered, {result.posted} of {result.empty} "
          f"promised answers arrived on the response_url)")
    return 0 if lost == 0 else 1


async def _run(args) -> int:
    modes = "the overload run" if args.overload else (
        f"{args.rounds} alternating round(s) of {args.seconds:g} s per database")
    header("bench/slack_wrk.py: Concerted against a bare slack-bolt app under wrk",
           f"python bench/slack_wrk.py {' '.join(sys.argv[1:])}; {modes}; wrk -t{args.threads} "
           f"-c{args.connections}, closed loop (overload: a schedule, up to "
           f"-c{args.overload_connections}), --timeout 3s, pre-signed /pledge sign requests "
           f"from distinct users; each app under uvicorn in its own process; "
           f"{args.warmup:g} s of warm-up each")
    if args.py_spy and py_spy_binary() is None:
        print("py-spy is not installed (pip install py-spy): run without --py-spy.")
        return 1
    if shutil.which("wrk") is None:
        print("wrk is not installed (`apt-get install -y wrk`; .ci/run installs it): "
              "nothing measured.")
        return 0
    fake = FakeSlack()
    await fake.start()
    try:
        with tempfile.TemporaryDirectory(prefix="concerted-wrk-") as tmp:
            if args.overload:
                return await _overload(args, fake, Path(tmp))
            summary = {}
            for kind in args.databases:
                if kind == "postgresql" and not postgres_reachable():
                    print("PostgreSQL is not reachable on 127.0.0.1:5432: its rounds are skipped.")
                    continue
                summary[kind] = await _side_by_side(kind, args, fake, Path(tmp))
            for kind, ratios in summary.items():
                print(f"summary {kind}: Concerted committed and answered "
                      f"{min(ratios):.2f}–{max(ratios):.2f} of the bare app's acked rate")
            if args.smoke:
                print("smoke overload run:")
                args.capacity_seconds, args.overload_seconds, args.overload_warmup = 1, 2, 1
                args.backlog = 4
                return await _overload(args, fake, Path(tmp))
            return 0
    finally:
        await fake.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (3)")
    parser.add_argument("--seconds", type=int, default=10, help="seconds per round (10)")
    parser.add_argument("--connections", type=int, default=128,
                        help="wrk connections (128: enough to saturate either app, fewer than "
                             "Concerted's backlog of 200)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (1)")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up seconds per app (3)")
    parser.add_argument("--databases", default="sqlite,postgresql",
                        type=lambda text: text.split(","), help="sqlite,postgresql")
    parser.add_argument("--overload", action="store_true",
                        help="the overload run instead: Concerted alone, above capacity")
    parser.add_argument("--overload-seconds", type=int, default=60)
    parser.add_argument("--overload-warmup", type=float, default=10,
                        help="seconds into the overload run at which RSS is the baseline (10)")
    parser.add_argument("--overload-connections", type=int, default=400,
                        help="at most this many wrk connections in the overload run (400)")
    parser.add_argument("--overload-factor", type=float, default=2,
                        help="the overload run offers this many times the capacity (2)")
    parser.add_argument("--capacity-seconds", type=int, default=10,
                        help="seconds of closed-loop load that measure the capacity (10)")
    parser.add_argument("--backlog", type=int, help="CONCERTED_BACKLOG for the overload run")
    parser.add_argument("--py-spy", metavar="DIR",
                        help="record Concerted's GIL holder with py-spy in each round, into DIR")
    parser.add_argument("--smoke", action="store_true",
                        help="CI: one round of 1 s on SQLite, and 2 s of overload")
    args = parser.parse_args()
    if args.smoke:
        args.rounds, args.seconds, args.warmup, args.databases = 1, 1, 0, ["sqlite"]
        args.connections = 8
    return asyncio.run(_run(args))


if __name__ == "__main__":
    sys.exit(main())
