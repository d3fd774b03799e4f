"""The dashboard page's server time for a campaign with headcount 500,000 and 100,000
supporters, against a bare Starlette page and a small campaign measured in the same run.

    python bench/dashboard.py                 # the full run: SQLite, and PostgreSQL if reachable
    python bench/dashboard.py --smoke         # CI: 5,000 supporters, SQLite
    python bench/dashboard.py --databases sqlite --supporters 20000

The campaign is the one bench/threshold.py builds (30 teams, a pledge, an open
petition, 1,440 hourly snapshots of history). Each request goes through the
real ASGI app in process (httpx's ASGI transport, no socket): session cookie,
every domain read, the SVG chart, the 1,440-row table and the headers
middleware. "Server time" is the time from request to the whole response body.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    POSTGRES_SERVER,
    header,
    load_average,
    median,
    percentile,
    postgres_reachable,
    scratch_database,
)
from bench.threshold import HISTORY_HOURS, LEAD, TEAMS, _person, populate  # noqa: E402

BUDGET_MS = 50.0


async def _timed(client, path: str, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = await client.get(path)
        await response.aread()
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    return times


async def _measure_app(asgi, path: str, repeats: int, cookies: dict | None = None) -> list[float]:
    import httpx

    transport = httpx.ASGITransport(app=asgi, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1",
                                 cookies=cookies or {}) as client:
        await _timed(client, path, 2)  # warm: templates compiled, connections opened
        return await _timed(client, path, repeats)


def bare_starlette(repeats: int) -> list[float]:
    """A Starlette app answering one small HTML page: the floor under any page."""
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse
    from starlette.routing import Route

    def page(request):
        return HTMLResponse("<!doctype html><title>bare</title><p>bare page</p>")

    return asyncio.run(_measure_app(Starlette(routes=[Route("/", page)]), "/", repeats))


def _complete_petition(app) -> None:
    # bench/threshold.py seals only the petition's title; the page reads all of its text.
    from sqlmodel import select

    from campaigns.core.access import vault_of
    from campaigns.core.models import Campaign
    from petitions.models import Petition

    with app.unit() as uow:
        petition = uow.session.exec(select(Petition)).one()
        vault = vault_of(uow, uow.session.get(Campaign, petition.campaign_id))
        petition.addressee_sealed = vault.seal("The board", "petition.addressee", petition.ref)
        petition.points_sealed = vault.seal_json(["one", "two", "three"], "petition.points", petition.ref)
        petition.ask_sealed = vault.seal("Stop it", "petition.ask", petition.ref)
        uow.session.add(petition)
        uow.commit()


def measure(url: str, workdir: Path, supporters: int, repeats: int) -> dict[str, list[float]]:
    """The dashboard's pages for one campaign size on one database, in seconds."""
    from bots.runtime.bootstrap import build
    from bots.web.app import build_web
    from bots.web.security import COOKIE
    from campaigns.membership.dashboard import issue_dashboard_link, open_dashboard_link
    from settings import load_settings

    settings = load_settings(CONCERTED_DATABASE_URL=url, CONCERTED_KEY_FILE=workdir / "bench.key",
                             CONCERTED_OUTPUT_DIR=workdir / "out", CONCERTED_LOG_LEVEL="WARNING")
    app = build(settings, realtime=False, logging_setup=False)
    try:
        populate(app, supporters)
        if app.engine.dialect.name == "postgresql":
            with app.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        _complete_petition(app)
        with app.unit() as uow:
            link = issue_dashboard_link(uow, _person(LEAD), "payments")
        with app.unit() as uow:
            session = open_dashboard_link(uow, link.token).token
        web = build_web(app)
        cookies = {COOKIE: session}
        return {
            "ask": asyncio.run(_measure_app(web, "/", repeats)),
            "page": asyncio.run(_measure_app(web, "/campaign/payments", repeats, cookies)),
            "csv": asyncio.run(_measure_app(web, "/campaign/payments/snapshots.csv",
                                            max(repeats // 4, 2), cookies)),
        }
    finally:
        app.close()


ROWS = (("ask", "\"ask for a link\" page (no session, no data)"),
        ("page", "lead's overview page, whole"),
        ("csv", "snapshot series as CSV"))


def report(label: str, small: int, large: int, bare: list[float], base: dict,
           big: dict) -> None:
    # On a shared machine the median moves with other people's work; the fastest of the
    # run is what the page costs when it has a core to itself.
    print(f"\n## {label}")
    print(f"{'':<46}{small:>10,} supp.{large:>13,} supp. {'fastest':>9} {'p95':>9}")
    rows = [("bare Starlette page (baseline)", bare, bare)]
    rows += [(name, base[key], big[key]) for key, name in ROWS]
    for name, small_times, large_times in rows:
        print(f"{name:<46}{median(small_times) * 1000:>12.2f} ms"
              f"{median(large_times) * 1000:>15.2f} ms{min(large_times) * 1000:>8.2f} ms"
              f"{percentile(large_times, 95) * 1000:>7.2f} ms")
    verdict = "within" if median(big["page"]) * 1000 < BUDGET_MS else "OVER"
    print(f"overview page at {large:,} supporters, median: {verdict} the {BUDGET_MS:.0f} ms "
          f"budget (load average now {load_average()})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--supporters", type=int, default=100_000, help="the large campaign")
    parser.add_argument("--baseline", type=int, default=1_000, help="the small campaign")
    parser.add_argument("--databases", default="sqlite,postgresql",
                        help="which to run: sqlite, postgresql or both (the default)")
    parser.add_argument("--postgres", default=None,
                        help="a PostgreSQL server URL; scratch databases are made and dropped")
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--smoke", action="store_true", help="CI: 5,000 supporters, SQLite")
    args = parser.parse_args()
    if args.smoke:
        args.supporters, args.repeats, args.databases = 5_000, 5, "sqlite"
    kinds = [k.strip() for k in args.databases.split(",") if k.strip()]
    server = args.postgres or POSTGRES_SERVER
    header("bench/dashboard.py: the dashboard page at 500,000 headcount",
           f"python bench/dashboard.py --supporters {args.supporters} --baseline {args.baseline} "
           f"--repeats {args.repeats} --databases {','.join(kinds)}"
           f"{' --smoke' if args.smoke else ''}; headcount 5x supporters, {TEAMS} teams, "
           f"{HISTORY_HOURS} hourly snapshots; in-process ASGI (httpx), one request at a time, "
           f"medians of {args.repeats} after 2 warm-up requests; baseline: a bare Starlette "
           f"page measured the same way in this run")
    bare = bare_starlette(args.repeats)
    for kind in kinds:
        if kind == "postgresql" and not postgres_reachable(server):
            print(f"\n## PostgreSQL: not reachable at {server}; skipped")
            continue
        with tempfile.TemporaryDirectory(prefix="concerted-bench-") as tmp:
            results = []
            for size in (args.baseline, args.supporters):
                with scratch_database(kind, Path(tmp), server) as url:
                    results.append(measure(url, Path(tmp), size, args.repeats))
        label = "SQLite (file, WAL)" if kind == "sqlite" else "PostgreSQL (127.0.0.1)"
        report(label, args.baseline, args.supporters, bare, *results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
