"""Two uvicorn workers on PostgreSQL against one: how Slack-HTTP signing throughput grows.

    python bench/workers.py               # the full run: 3,000 signed requests per setting
    python bench/workers.py --smoke       # CI: 200 requests per setting
    python bench/workers.py --workers 1,2,4 --requests 5000

Each setting runs `concerted run` (python -m bots.runtime.cli run) as a subprocess with
CONCERTED_HTTP_WORKERS set, in Slack HTTP mode against a stand-in for the Slack Web
API, on one scratch PostgreSQL database that is dropped afterwards. The load is the one
bench/slack_http.py sends: signed `/pledge sign` commands from distinct users, 32 in
flight; a request counts as done when its answer has reached its response_url, which
Concerted sends only after the signature is committed. One worker is the baseline,
measured in the same run; afterwards every signature is counted, and the advisory
locks are counted to show that exactly one worker was running scheduled jobs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    POSTGRES_SERVER,
    header,
    postgres_reachable,
    scratch_database,
)
from bench.load import (  # noqa: E402
    FakeSlack,
    Result,
    cpu_seconds,
    environment,
    free_port,
    load,
    prepare,
    signatures,
    started,
)

WARMUP = 100


def _job_runners(database_url: str) -> int:
    """Processes holding an advisory lock on this database: the one job runner, if all is well."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )).scalar_one()
    finally:
        engine.dispose()


async def _measure(workers: int, env: dict, fake: FakeSlack, requests: int, concurrency: int,
                   database_url: str) -> tuple[Result, float, int]:
    """Start `concerted run` with `workers`, warm it up, load it; its result, CPU and runners."""
    port = int(env["CONCERTED_HTTP_PORT"])
    env = {**env, "CONCERTED_HTTP_WORKERS": str(workers)}
    process = subprocess.Popen([sys.executable, "-m", "bots.runtime.cli", "run"], env=env, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=None)
    try:
        await started(port, process)
        url = f"http://127.0.0.1:{port}/slack/events"
        await load(url, [f"UW{workers}x{i:06d}" for i in range(WARMUP)], fake, 8, True)
        # The job lock check runs every few seconds; give every worker time to have tried.
        await asyncio.sleep(6)
        runners = _job_runners(database_url)
        before = cpu_seconds(process.pid)
        result = await load(url, [f"U{workers}x{i:07d}" for i in range(requests)], fake,
                            concurrency, True)
        return result, cpu_seconds(process.pid) - before, runners
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def _run(args) -> int:
    counts = [int(n) for n in args.workers.split(",")]
    header("bench/workers.py: Slack HTTP signing, N uvicorn workers on PostgreSQL",
           f"python bench/workers.py --workers {args.workers} --requests {args.requests} "
           f"--concurrency {args.concurrency}{' --smoke' if args.smoke else ''}; "
           f"`concerted run` with CONCERTED_HTTP_WORKERS=N, one scratch PostgreSQL database "
           f"on 127.0.0.1; load generator and Slack stand-in in this process; {WARMUP} "
           f"warm-up requests per setting; distinct users")
    if not postgres_reachable(args.postgres):
        print(f"PostgreSQL is not reachable at {args.postgres}: nothing measured.")
        return 0
    results: dict[int, tuple[Result, float, int]] = {}
    with tempfile.TemporaryDirectory(prefix="concerted-bench-") as tmp, \
            scratch_database("postgresql", Path(tmp), args.postgres) as database_url:
        key_file = Path(tmp) / "bench.key"
        prepare(database_url, key_file)
        fake = FakeSlack()
        await fake.start()
        try:
            for workers in counts:
                env = environment(fake.url, database_url, key_file, free_port())
                own = time.process_time()
                results[workers] = await _measure(workers, env, fake, args.requests,
                                                  args.concurrency, database_url)
                load_cpu = time.process_time() - own
                print(f"  (workers={workers}: load generator used {load_cpu:.1f} s of CPU)")
        finally:
            await fake.stop()
        signed = signatures(database_url)
    expected = sum(args.requests + WARMUP for _ in counts)
    base = results[counts[0]][0]
    for workers, (result, cpu, runners) in results.items():
        print(result.answer_line(f"{workers} worker{'s' if workers > 1 else ''}, committed"))
        print(f"{'':<44} ack p50 {_ms(result.latencies, 50)}   ack p99 "
              f"{_ms(result.latencies, 99)}   server CPU {cpu / result.requests * 1000:.1f} "
              f"ms/request ({cpu / result.answered:.2f} cores)   job runners {runners}")
    for workers, (result, _, _) in results.items():
        if workers != counts[0]:
            print(f"ratio {workers} workers / {counts[0]}: "
                  f"{result.rate(result.answered) / base.rate(base.answered):.2f}")
    print(f"machine has {os.cpu_count()} cores, shared by the workers, PostgreSQL and this "
          f"load generator")
    print(f"signatures committed: {signed} of {expected}")
    return 0 if signed == expected else 1


def _ms(values: list[float], pct: float) -> str:
    from bench.common import percentile

    return f"{percentile(values, pct) * 1000:6.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2", help="worker counts to compare (1,2)")
    parser.add_argument("--requests", type=int, default=3000, help="requests per setting")
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight (32)")
    parser.add_argument("--postgres", default=POSTGRES_SERVER,
                        help="a PostgreSQL server URL; a scratch database is made and dropped")
    parser.add_argument("--smoke", action="store_true", help="CI: 200 requests per setting")
    args = parser.parse_args()
    if args.smoke:
        args.requests = 200
    return asyncio.run(_run(args))


if __name__ == "__main__":
    sys.exit(main())
