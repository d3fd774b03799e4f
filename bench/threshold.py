"""`/threshold` response time and the snapshot job's time for a campaign with headcount 500,000
and 100,000 supporters, against a small campaign measured the same way in the same run.

    python bench/threshold.py                 # the full run: SQLite, and PostgreSQL if reachable
    python bench/threshold.py --smoke         # CI: 5,000 supporters
    python bench/threshold.py --databases sqlite --supporters 20000

Each campaign gets 30 teams of uneven size, 10% more members than supporters, a pledge
signed by every supporter (70% anonymous, 20% named, 10% conditional), an open petition
that a fifth of them signed too (so supporters are counted as distinct members), and
two months of hourly snapshots behind it. Rows are bulk-inserted; every measurement
then goes through the real code: the snapshot job is `bots.runtime.jobs.publish_counts`,
`/threshold NAME` goes through the Slack command layer and is rendered to text; the
lead's report and chart are made on the first request after a snapshot and kept until the
next one, so both that first request and the ones after it are timed. PostgreSQL runs in a scratch database that is dropped after,
vacuumed and analysed once filled, as autovacuum would have done over the weeks a campaign
takes to grow; SQLite is left as it is, since it never analyses by itself.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    POSTGRES_SERVER,
    header,
    median,
    postgres_reachable,
    scratch_database,
)

TEAM = "T0BENCH"
LEAD = "U0LEAD"
TEAMS = 30
HISTORY_HOURS = 24 * 60
BATCH = 5000


def _person(user: str):
    from campaigns.core.privacy import Person

    return Person("slack", TEAM, user)


def _team_of(rng: random.Random) -> int | None:
    # Uneven teams, as in a company: a few large ones, many small; some declare none.
    if rng.random() < 0.08:
        return None
    return min(int(rng.paretovariate(1.2)) - 1, TEAMS - 1)


def populate(app, supporters: int) -> None:
    """A campaign of `supporters` signers (headcount five times that) with its history."""
    from sqlalchemy import insert, update
    from sqlmodel import select

    from campaigns.core.access import find_campaign, vault_of
    from campaigns.core.contacts import seal_contact
    from campaigns.core.models import Member, Milestone, Signature, Team
    from campaigns.core.signatures import NAME
    from campaigns.membership.joining import NewCampaign, open_campaign
    from campaigns.pledges.signing import create_pledge
    from petitions.models import Petition

    lead, rng = _person(LEAD), random.Random(9)
    with app.unit() as uow:
        open_campaign(uow, lead, NewCampaign("payments", headcount=supporters * 5,
                                             milestones=(30.0, 50.0)))
    with app.unit() as uow:
        create_pledge(uow, lead, "payments", "We ask the company to end these merchant accounts.")
    with app.unit() as uow:
        campaign = find_campaign(uow, lead, "payments")
        vault, now = vault_of(uow, campaign), app.clock.now()
        uow.session.execute(insert(Team), [
            {"campaign_id": campaign.id, "team_ref": vault.team_ref(f"team {i}"),
             "name_sealed": vault.seal(f"team {i}", "team.name", vault.team_ref(f"team {i}"))}
            for i in range(TEAMS)])
        teams = list(uow.session.exec(select(Team.id).where(Team.campaign_id == campaign.id)
                                      .order_by(Team.id)))
        members = supporters + supporters // 10
        rows = []
        for i in range(members):
            team = _team_of(rng)
            person = _person(f"U{i:08d}")
            rows.append({"campaign_id": campaign.id, "member_ref": vault.member_ref(person),
                         "role": "member", "status": "active", "grievance_blocked": False,
                         "contact_sealed": seal_contact(vault, person, vault.member_ref(person),
                                                        "member"), "joined_at": now,
                         "team_id": teams[team] if team is not None else None})
        for start in range(0, members, BATCH):
            uow.session.execute(insert(Member), rows[start:start + BATCH])
        ids = list(uow.session.exec(select(Member.id).where(Member.campaign_id == campaign.id,
                                                            Member.role == "member")
                                    .order_by(Member.id)))
        petition = Petition(campaign_id=campaign.id, ref="P-BENCH", stage="open", created_at=now,
                            opened_at=now,
                            title_sealed=vault.seal("Stop it", "petition.title", "P-BENCH"))
        uow.session.add(petition)
        uow.session.flush()
        reached = now - timedelta(hours=HISTORY_HOURS // 2)
        pledge = _pledge(uow, campaign)
        signatures = []
        for n, member_id in enumerate(ids[:supporters]):
            mode = "anonymous" if n % 10 < 7 else "named" if n % 10 < 9 else "conditional"
            state = "released" if mode == "conditional" else mode
            sealed = None if mode == "anonymous" else vault.seal_person(
                _person(f"U{n:08d}"), NAME, f"pledge:{pledge.id}:{member_id}:{state}")
            signatures.append({"campaign_id": campaign.id, "subject": "pledge", "subject_id": pledge.id,
                               "member_id": member_id, "mode": mode, "name_sealed": sealed,
                               "released_at": reached if mode == "conditional" else None,
                               "signed_at": now})
            if n % 5 == 0:
                signatures.append({"campaign_id": campaign.id, "subject": "petition",
                                   "subject_id": petition.id, "member_id": member_id,
                                   "mode": "anonymous", "name_sealed": None,
                                   "released_at": None, "signed_at": now})
        for start in range(0, len(signatures), BATCH):
            uow.session.execute(insert(Signature), signatures[start:start + BATCH])
        _history(uow, campaign, supporters, members, teams, now)
        uow.session.execute(update(Milestone).where(Milestone.campaign_id == campaign.id,
                                                    Milestone.percent == 5.0)
                            .values(reached_at=reached))
        pledge.state, pledge.reached_at = "released", reached
        pledge.release_at = pledge.released_at = reached + timedelta(hours=48)
        pledge.supporters, pledge.named, pledge.counted_at = supporters, supporters * 3 // 10, now
        uow.session.add(pledge)
        uow.commit()


def _history(uow, campaign, supporters: int, members: int, teams: list[int], now) -> None:
    from sqlalchemy import insert
    from sqlmodel import select

    from campaigns.core.models import Snapshot, SnapshotTeam

    weights = [1 / (i + 1) for i in range(TEAMS)]
    total = sum(weights)
    start = now - timedelta(hours=HISTORY_HOURS)
    rows = [{"campaign_id": campaign.id, "taken_at": start + timedelta(hours=h),
             "supporters": supporters * (h + 1) // HISTORY_HOURS, "headcount": supporters * 5,
             "members": members * (h + 1) // HISTORY_HOURS} for h in range(HISTORY_HOURS)]
    uow.session.execute(insert(Snapshot), rows)
    taken = uow.session.exec(select(Snapshot.id, Snapshot.supporters)
                             .where(Snapshot.campaign_id == campaign.id)).all()
    cells = [{"snapshot_id": snapshot_id, "team_id": team_id,
              "supporters": int(count * weights[i] / total)}
             for snapshot_id, count in taken for i, team_id in enumerate(teams)]
    for first in range(0, len(cells), BATCH):
        uow.session.execute(insert(SnapshotTeam), cells[first:first + BATCH])


def _pledge(uow, campaign):
    from campaigns.pledges.outcomes import current_pledge

    return current_pledge(uow, campaign)


def _reset_to_before_threshold(app) -> None:
    """Undo the threshold, so the next snapshot crosses it and announces it again (R6, R13)."""
    from sqlalchemy import delete, update

    from campaigns.core.access import find_campaign
    from campaigns.core.models import Announcement, Milestone, Notice, Signature

    with app.unit() as uow:
        uow.session.execute(update(Milestone).values(reached_at=None))
        uow.session.execute(update(Signature).where(Signature.mode == "conditional")
                            .values(released_at=None))
        uow.session.execute(delete(Notice))
        uow.session.execute(delete(Announcement))
        pledge = _pledge(uow, find_campaign(uow, _person(LEAD), "payments"))
        pledge.state, pledge.reached_at, pledge.release_at, pledge.released_at = (
            "open", None, None, None)
        uow.session.add(pledge)
        uow.commit()


def _timed(work: Callable[[], object], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return times


def measure(url: str, workdir: Path, supporters: int, repeats: int,
            crossing: bool = True) -> dict[str, float]:
    """Every figure for one campaign size on one database, in seconds."""
    from bots.output.rendering import Renderer
    from bots.runtime.bootstrap import build
    from bots.runtime.jobs import publish_counts
    from settings import load_settings

    settings = load_settings(CONCERTED_DATABASE_URL=url, CONCERTED_KEY_FILE=workdir / "bench.key",
                             CONCERTED_OUTPUT_DIR=workdir / "out", CONCERTED_LOG_LEVEL="WARNING")
    app = build(settings, realtime=False, logging_setup=False)
    figures: dict[str, float] = {}
    try:
        started = time.perf_counter()
        populate(app, supporters)
        if app.engine.dialect.name == "postgresql":
            # A database that grew to this size over weeks has been vacuumed and analysed by
            # autovacuum; one filled in seconds has not, and its plans would be a guess.
            with app.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        figures["populate"] = time.perf_counter() - started
        dispatcher, renderer = app.dispatcher("slack"), Renderer("slack")

        def threshold(user: str) -> None:
            for reply in dispatcher.run(_person(user), "/threshold payments"):
                if reply.template.startswith("errors/"):
                    raise RuntimeError(f"/threshold failed: {reply.template}")
                renderer.render(reply.template, **reply.data)

        def snapshot() -> None:
            with app.unit() as uow:
                publish_counts(uow)

        figures["snapshot"] = median(_timed(snapshot, repeats))
        threshold("U00000000")
        figures["member"] = median(_timed(lambda: threshold("U00000000"), repeats * 4))
        # The lead's report and chart are made on the first request after a snapshot and
        # kept until the next one: that first request, after each of `repeats` new
        # snapshots, and then the requests that follow it in the same snapshot period.
        firsts = []
        for _ in range(repeats):
            snapshot()
            firsts += _timed(lambda: threshold(LEAD), 1)
        figures["lead_first"] = median(firsts)
        figures["lead"] = median(_timed(lambda: threshold(LEAD), repeats * 4))
        if crossing:
            _reset_to_before_threshold(app)
            figures["crossing"] = _timed(snapshot, 1)[0]
    finally:
        app.close()
    return figures


ROWS = (("snapshot", "snapshot job, hourly (median)"),
        ("member", "/threshold, member's headline (median)"),
        ("lead_first", "/threshold, lead's, first after a snapshot"),
        ("lead", "/threshold, lead's report and chart (median)"),
        ("crossing", "snapshot job crossing the threshold, once"))


def report(label: str, small: int, large: int, base: dict, big: dict) -> None:
    print(f"\n## {label}")
    print(f"{'':<46}{small:>10,} supp.{large:>12,} supp.{'ratio':>9}")
    for key, name in ROWS:
        if key not in big:
            continue
        print(f"{name:<46}{base[key] * 1000:>12.1f} ms{big[key] * 1000:>14.1f} ms"
              f"{big[key] / base[key]:>8.1f}x")
    print(f"{'(populating, not measured)':<46}{base['populate']:>12.1f} s {big['populate']:>14.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--supporters", type=int, default=100_000, help="the large campaign")
    parser.add_argument("--baseline", type=int, default=1_000, help="the small campaign")
    parser.add_argument("--databases", default="sqlite,postgresql",
                        help="which to run: sqlite, postgresql or both (the default)")
    parser.add_argument("--postgres", default=None,
                        help="a PostgreSQL server URL; scratch databases are made and dropped")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-crossing", action="store_true",
                        help="leave out the threshold-crossing snapshot (it tells every member)")
    parser.add_argument("--smoke", action="store_true", help="CI: 5,000 supporters, 2 repeats")
    args = parser.parse_args()
    if args.smoke:
        args.supporters, args.repeats = 5_000, 2
    kinds = [k.strip() for k in args.databases.split(",") if k.strip()]
    server = args.postgres or POSTGRES_SERVER
    header("bench/threshold.py: /threshold and the snapshot job at 500,000 headcount",
           f"python bench/threshold.py --supporters {args.supporters} --baseline "
           f"{args.baseline} --repeats {args.repeats}{' --smoke' if args.smoke else ''}; "
           f"headcount 5x supporters, {TEAMS} teams, {HISTORY_HOURS} hourly snapshots of "
           f"history; in-process, one thread, each /threshold through the Slack dispatcher "
           f"and rendered to text; medians of {args.repeats} snapshot jobs, {args.repeats * 4} "
           f"member headlines, {args.repeats} lead reports each the first after a new snapshot "
           f"(chart drawn), then {args.repeats * 4} lead reports in the same snapshot period "
           f"(chart and report kept); the crossing once")
    for kind in kinds:
        if kind == "postgresql" and not postgres_reachable(server):
            print(f"\n## PostgreSQL: not reachable at {server}; skipped")
            continue
        with tempfile.TemporaryDirectory(prefix="concerted-bench-") as tmp:
            results = []
            for size in (args.baseline, args.supporters):
                with scratch_database(kind, Path(tmp), server) as url:
                    results.append(measure(url, Path(tmp), size, args.repeats,
                                           not args.no_crossing))
        label = "SQLite (file, WAL)" if kind == "sqlite" else "PostgreSQL (127.0.0.1)"
        report(label, args.baseline, args.supporters, *results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
