"""Signed `/pledge sign` requests over real HTTP: Concerted's Slack app against a bare slack-bolt
app that only verifies and acks, measured side by side in one run.

    python bench/slack_http.py --smoke                # CI: 200 requests each
    python bench/slack_http.py --requests 5000 --direct 300   # the run in docs/PERFORMANCE.md

Each request comes from a distinct user, so every one is a new member and a new signature.
Each app runs under uvicorn in a process of its own on 127.0.0.1 (Concerted as `concerted
run` starts it); the load and a stand-in for the Slack Web API (auth.test,
chat.postMessage, response_url) run in this process. Concerted's throughput counts a
request as done only when its answer has arrived, in the HTTP response or on the
response_url, either of them only after the signature is committed; at the end the
signatures are counted in the database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import header  # noqa: E402
from bench.load import (  # noqa: E402
    CAMPAIGN,
    TEAM,
    FakeSlack,
    Result,
    environment,
    free_port,
    load,
    prepare,
    run_bare,
    run_concerted,
    signatures,
    started,
    stop,
)

WARMUP = 50


async def _measure(kind: str, env: dict, fake: FakeSlack, args, prefix: str) -> Result:
    port = int(env["CONCERTED_HTTP_PORT"])
    process = run_concerted(env) if kind == "concerted" else run_bare(env)
    try:
        await started(port, process)
        url = f"http://127.0.0.1:{port}/slack/events"
        answers = kind == "concerted"
        await load(url, [f"U{prefix}W{i:06d}" for i in range(WARMUP)], fake, 8, answers)
        users = [f"U{prefix}{i:07d}" for i in range(args.requests)]
        return await load(url, users, fake, args.concurrency, answers)
    finally:
        stop(process)


def _command_layer(database_url: str, key_file: Path, count: int) -> float:
    """Seconds the command layer alone takes for `count` signs, in this process, one thread."""
    from bots.runtime.bootstrap import build
    from campaigns.core.privacy import Person
    from settings import load_settings

    settings = load_settings(CONCERTED_DATABASE_URL=database_url, CONCERTED_KEY_FILE=key_file)
    app = build(settings, realtime=False, logging_setup=False)
    try:
        dispatcher = app.dispatcher("slack")
        begun = time.perf_counter()
        for i in range(count):
            dispatcher.run(Person("slack", TEAM, f"U0DIRECT{i:07d}"), f"/pledge sign {CAMPAIGN}")
        return time.perf_counter() - begun
    finally:
        app.close()


async def _run(args) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="concerted-bench-"))
    database_url = args.database or f"sqlite:///{workdir / 'bench.db'}"
    key_file = workdir / "bench.key"
    header("Slack over HTTP: signed /pledge sign, Concerted against a bare slack-bolt app",
           f"python bench/slack_http.py --requests {args.requests} --concurrency "
           f"{args.concurrency}; database {database_url.split(':', 1)[0]}; uvicorn on 127.0.0.1, "
           f"one process per app; {WARMUP} warm-up requests each; distinct users")
    from bots.commands.registry import registry

    if ("pledge", "sign") not in registry().specs:
        print("RESULT: /pledge sign does not exist yet; nothing to measure.")
        return 1
    prepare(database_url, key_file)
    fake = FakeSlack()
    await fake.start()
    try:
        bare = await _measure("bare", environment(fake.url, database_url, key_file, free_port()),
                              fake, args, "B")
        ours = await _measure("concerted",
                              environment(fake.url, database_url, key_file, free_port()),
                              fake, args, "C")
    finally:
        await fake.stop()
    signed = signatures(database_url)
    expected = args.requests + WARMUP
    direct = _command_layer(database_url, key_file, args.direct)
    print(bare.line("bare bolt, verified and acked", bare.acked))
    print(ours.line("Concerted, acked", ours.acked))
    print(ours.answer_line("Concerted, committed and answered"))
    print(f"{'Concerted command layer alone, no HTTP':<44} {args.direct / direct:8.0f} signs/s"
          f"   ({direct / args.direct * 1000:.1f} ms each, one thread)")
    print(f"ratio, acked:                 {ours.rate(ours.acked) / bare.rate(bare.acked):.2f}"
          " of the bare app's throughput")
    print(f"ratio, committed and answered: {ours.rate(ours.answered) / bare.rate(bare.acked):.2f}"
          " of the bare app's throughput")
    print(f"signatures committed: {signed} of {expected}")
    return 0 if signed == expected else 1


def _serve_bare() -> None:
    import uvicorn

    from settings import load_settings

    settings = load_settings()
    from slack_bolt.adapter.asgi.async_handler import AsyncSlackRequestHandler
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    os.environ.pop("SLACK_BOT_TOKEN")  # bolt would warn that the client's token wins
    # process_before_response, as Concerted runs: the listener's ack is the response. Without
    # it bolt polls for the ack every 10 ms, and the bare app's rate is set by that wait (32
    # connections / ~10.8 ms = ~2,960 req/s) instead of by its CPU: a flattering baseline.
    bare = AsyncApp(signing_secret=settings.slack_signing_secret, process_before_response=True,
                    client=AsyncWebClient(token=settings.slack_bot_token,
                                          base_url=settings.slack_api_url))

    @bare.command("/pledge")
    async def acknowledge(ack):
        await ack()

    # uvicorn's defaults, as an app author would start it: uvloop and httptools when installed.
    uvicorn.run(AsyncSlackRequestHandler(bare), host="127.0.0.1", port=settings.http_port,
                lifespan="off", log_level="warning", access_log=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per app (200)")
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight (32)")
    parser.add_argument("--database", help="a database URL; a temporary SQLite file if unset")
    parser.add_argument("--direct", type=int, default=100,
                        help="signs through the command layer alone, for comparison (100)")
    parser.add_argument("--smoke", action="store_true",
                        help="the short run CI makes: 200 requests, 20 direct signs")
    parser.add_argument("--serve", choices=["bare"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.smoke:
        args.requests, args.direct = 200, 20
    if args.serve:
        _serve_bare()
        return 0
    return asyncio.run(_run(args))


if __name__ == "__main__":
    sys.exit(main())
