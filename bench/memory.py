"""Resident memory of the running bot with N members stored, against the same bot on an empty
database, measured side by side in one run.

    python bench/memory.py              # the full run: 100,000 members
    python bench/memory.py --smoke      # CI: 2,000 members
    python bench/memory.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import header, scratch_database  # noqa: E402

# Serving: commands only. With the snapshot job: the hourly count runs too, and here it also
# crosses the 5% milestone: one announcement for every member, notices for conditional signers.
SESSIONS = {
    "serving": """lead: /campaign info payments
lead: /campaign list
lead: /threshold payments
lead: /campaign info payments
:quit
""",
    "with the snapshot job": """lead: /campaign info payments
lead: /campaign list
:advance 2h
lead: /campaign info payments
:quit
""",
}


def populate(workdir: Path, members: int, url: str | None) -> dict[str, str]:
    """Create a campaign with `members` members (a third of them signed) through the real code."""
    from sqlalchemy import insert
    from sqlmodel import select

    from bots.runtime.bootstrap import build
    from campaigns.core.access import find_campaign
    from campaigns.core.clock import SystemClock
    from campaigns.core.contacts import seal_contact
    from campaigns.core.models import Member, Signature
    from campaigns.core.privacy import Person
    from campaigns.membership.joining import NewCampaign, open_campaign
    from settings import Settings

    env = {"CONCERTED_DATABASE_URL": url or f"sqlite:///{workdir / 'bench.db'}",
           "CONCERTED_KEY_FILE": str(workdir / "bench.key"),
           "CONCERTED_OUTPUT_DIR": str(workdir / "out")}
    app = build(Settings(**env), clock=SystemClock(), realtime=False, logging_setup=False)
    lead = Person("console", "console", "lead")
    with app.unit() as uow:
        open_campaign(uow, lead, NewCampaign("payments", headcount=max(members * 5, 1)))
    with app.unit() as uow:
        campaign = find_campaign(uow, lead, "payments")
        vault = app.keys.vault(campaign.wrapped_key, campaign.id)
        now = app.clock.now()
        batch = []
        for index in range(members):
            person = Person("console", "console", f"worker{index}")
            batch.append({"campaign_id": campaign.id, "member_ref": vault.member_ref(person),
                          "role": "member", "status": "active", "grievance_blocked": False,
                          "contact_sealed": seal_contact(vault, person, vault.member_ref(person),
                                                         "member"), "joined_at": now})
            if len(batch) == 5000 or index == members - 1:
                uow.session.execute(insert(Member), batch)
                batch = []
        ids = list(uow.session.exec(select(Member.id).where(Member.campaign_id == campaign.id)))
        rows = [{"campaign_id": campaign.id, "subject": "pledge", "subject_id": 1, "member_id": i,
                 "mode": "anonymous", "signed_at": now} for i in ids[::3]]
        for start in range(0, len(rows), 5000):
            uow.session.execute(insert(Signature), rows[start:start + 5000])
        uow.commit()
    app.close()
    return env


def bot_rss_kib(workdir: Path, env: dict[str, str], session: str) -> tuple[int, float]:
    """Run the console bot through a session on this database; its peak RSS and wall time."""
    script = workdir / "session.txt"
    script.write_text(session)
    full = {**os.environ, **env, "CONCERTED_LOG_LEVEL": "WARNING"}
    # VmHWM, not getrusage: Linux carries ru_maxrss over exec from the forking process, so
    # the bot would be charged with this process's memory after populating.
    code = ("import sys; from bots.runtime.cli import main; code = main(['console', sys.argv[1]]); "
            "hwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM:')); "
            "print('RSS', hwm.split()[1]); sys.exit(code)")
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code, str(script)], env=full, cwd=workdir,
                            capture_output=True, text=True, timeout=900)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"the bot failed:\n{result.stderr[-2000:]}")
    line = next(row for row in result.stdout.splitlines() if row.startswith("RSS"))
    return int(line.split()[1]), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--smoke", action="store_true", help="a short run for CI (2,000 members)")
    parser.add_argument("--postgres", metavar="SERVER",
                        help="a PostgreSQL server to use instead of temporary SQLite files; "
                             "a scratch database is made and dropped for each measurement")
    args = parser.parse_args()
    members = 2_000 if args.smoke else args.members
    header("bench/memory.py: resident memory of the running bot",
           f"console bot as a subprocess running a session (serving: info, list, threshold "
           f"report with chart, info; or with the snapshot job: info, list, :advance 2h, info) "
           f"against {members:,} stored members (a third signed) vs the same bot on an empty "
           f"campaign; peak RSS (VmHWM) of the bot process; database "
           f"{'PostgreSQL' if args.postgres else 'SQLite (temporary file)'}"
           f"{'; SMOKE RUN' if args.smoke else ''}")
    for kind, session in SESSIONS.items():
        results = {}
        print(f"## {kind}")
        for label, count in (("baseline (empty campaign)", 0), (f"{members:,} members", members)):
            kind_of_database = "postgresql" if args.postgres else "sqlite"
            with tempfile.TemporaryDirectory() as tmp, \
                    scratch_database(kind_of_database, Path(tmp), args.postgres or "") as url:
                workdir = Path(tmp)
                started = time.perf_counter()
                env = populate(workdir, count, url)
                fill = time.perf_counter() - started
                rss, elapsed = bot_rss_kib(workdir, env, session)
                results[label] = rss
                print(f"{label:>28}: peak RSS {rss / 1024:8.1f} MiB   session {elapsed:6.2f} s"
                      f"   (populating took {fill:.1f} s)")
        base, loaded = results.values()
        print(f"ratio loaded/baseline: {loaded / base:.2f}; extra per 1,000 members: "
              f"{(loaded - base) / 1024 / max(members / 1000, 1):.2f} MiB")


if __name__ == "__main__":
    main()
