"""The daily digest of a 100,000-member campaign against a fake Slack Web API on 127.0.0.1
that enforces Slack's documented rate limits, with a small campaign as the baseline.

    python bench/digest.py                     # 100,000 members over the real 30-minute window
    python bench/digest.py --members 100000 --window 10m
    python bench/digest.py --smoke             # CI: 300 members over 3 seconds

Everything the bot does is the real code: members are bulk-inserted with sealed contacts,
then the scheduler's own `run_due` fires the digest job at CONCERTED_DIGEST_AT, which
streams recipients in batches and hands them to the real SlackNotifier (slack_sdk's
AsyncWebClient) on an event loop. The fake Slack (tests/e2e/slack_app/mock_slack.py)
answers HTTP 429 with Retry-After whenever a limit is exceeded:

- chat.postMessage: about one message per second per channel, short bursts allowed
  (Slack's "special" tier), and a workspace-wide cap that Slack does not publish
  (`--workspace-per-minute`, an assumption, printed as such);
- conversations.open: Tier 3, 50 per minute (the digest must not need it: it posts to
  the user id, which Slack delivers to the app's DM with that person).

Figures: time from the job's start to the last accepted message against the window,
messages accepted and rejected (429), calls to conversations.open, the largest delay
the event loop suffered meanwhile (a ticker measures it; a blocked loop would show),
and the process's peak memory growth.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import header  # noqa: E402

TEAM = "T0BENCH"
BATCH = 5000
START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


def _duration(text: str) -> timedelta:
    from settings import parse_duration

    return parse_duration(text)


def populate(app, members: int, name: str) -> None:
    """One campaign of `members` active members, each with a sealed Slack contact."""
    from sqlalchemy import insert

    from campaigns.core.access import find_campaign, vault_of
    from campaigns.core.contacts import seal_contact
    from campaigns.core.models import Member
    from campaigns.core.privacy import Person
    from campaigns.membership.joining import NewCampaign, open_campaign

    lead = Person("slack", TEAM, f"U{name.upper()}LEAD")
    with app.unit() as uow:
        open_campaign(uow, lead, NewCampaign(name, headcount=members * 5))
    with app.unit() as uow:
        campaign = find_campaign(uow, lead, name)
        vault, now, rows = vault_of(uow, campaign), app.clock.now(), []
        for i in range(members - 1):
            person = Person("slack", TEAM, f"U{name.upper()}{i:08d}")
            ref = vault.member_ref(person)
            rows.append({"campaign_id": campaign.id, "member_ref": ref,
                         "role": "member", "status": "active", "grievance_blocked": False,
                         "contact_sealed": seal_contact(vault, person, ref, "member"),
                         "joined_at": now,
                         "digest": True, "announcements_seen": 0})
            if len(rows) == BATCH:
                uow.session.execute(insert(Member), rows)
                rows = []
        if rows:
            uow.session.execute(insert(Member), rows)
        uow.commit()


async def measure(members: int, window: timedelta, per_minute: int, workdir: Path) -> dict:
    """Run one digest of a campaign of `members`; returns its figures."""
    import aiohttp

    from bots.runtime.bootstrap import build
    from bots.slack_app.app import web_client
    from bots.slack_app.notifier import SlackNotifier
    from campaigns.core.clock import ManualClock
    from settings import Settings
    from tests.e2e.slack_app.mock_slack import MockSlack
    from tests.e2e.slack_app.rate_limits import RateLimit

    posting = RateLimit(per_minute=per_minute, per_channel_per_second=1.0, burst=3)
    opening = RateLimit(per_minute=50)
    async with MockSlack(users=[], keep_calls=False) as mock:
        mock.limit("chat.postMessage", posting)
        mock.limit("conversations.open", opening)
        settings = Settings(CONCERTED_DATABASE_URL=f"sqlite:///{workdir / f'd{members}.db'}",
                            CONCERTED_KEY_FILE=workdir / f"k{members}",
                            CONCERTED_OUTPUT_DIR=workdir, CONCERTED_DIGEST_AT="09:00",
                            CONCERTED_DIGEST_WINDOW=f"{int(window.total_seconds())}s")
        clock = ManualClock(START, frozen=True)
        # The client exactly as `concerted run` makes it: one shared HTTP session, and
        # slack_sdk's own 429 retry handler (Retry-After) besides the notifier's hold.
        session = aiohttp.ClientSession()
        client = web_client(settings.model_copy(update={"slack_bot_token": "xoxb-bench",
                                                        "slack_api_url": mock.api_url}), session)
        notifier = SlackNotifier(client, asyncio.get_running_loop())
        app = build(settings, clock=clock, notifier=notifier, realtime=False,
                    logging_setup=False)
        try:
            filled = time.perf_counter()
            populate(app, members, f"c{members}")
            filled = time.perf_counter() - filled
            lag, stop = [0.0], asyncio.Event()

            async def ticker() -> None:
                loop = asyncio.get_running_loop()
                while not stop.is_set():
                    before = loop.time()
                    await asyncio.sleep(0.05)
                    lag[0] = max(lag[0], loop.time() - before - 0.05)

            ticking = asyncio.create_task(ticker())
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            clock.advance(timedelta(hours=1))  # to 09:00, when the digest job is due
            started = time.perf_counter()
            await asyncio.to_thread(app.jobs.run_due, clock.now())
            await notifier.drain()
            elapsed = time.perf_counter() - started
            stop.set()
            await ticking
            grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss
        finally:
            app.close()
            await session.close()
        return {"members": members, "window": window.total_seconds(), "elapsed": elapsed,
                "sent": mock.counts["chat.postMessage"],
                "rejected": mock.counts["ratelimited:chat.postMessage"],
                "opened": mock.counts["conversations.open"], "lag": lag[0],
                "rss_mb": grown / 1024, "filled": filled}


def _within(r: dict) -> bool:
    # The last ping starts at the end of the window; starting the job and sending that last
    # message take a moment more, whatever the window.
    return r["sent"] == r["members"] and r["elapsed"] <= r["window"] * 1.02 + 2.0


def report(label: str, r: dict) -> None:
    within = "yes" if _within(r) else "NO"
    print(f"{label}: {r['members']:,} members, window {r['window']:.0f}s: all out in "
          f"{r['elapsed']:.1f}s (within the window: {within}); {r['sent']:,} messages accepted, "
          f"{r['rejected']:,} answered 429 and retried, conversations.open {r['opened']}; "
          f"event loop delayed at most {r['lag'] * 1000:.0f} ms; peak memory +{r['rss_mb']:.0f} MB "
          f"(populating took {r['filled']:.1f}s, not counted)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--window", type=_duration, default=timedelta(minutes=30),
                        help="CONCERTED_DIGEST_WINDOW (30m)")
    parser.add_argument("--workspace-per-minute", type=int, default=6000,
                        help="assumed workspace-wide chat.postMessage cap (6000/min)")
    parser.add_argument("--smoke", action="store_true", help="300 members over 3 seconds")
    args = parser.parse_args()
    if args.smoke:
        args.members, args.window = 300, timedelta(seconds=3)
    baseline_members = max(50, args.members // 100)
    baseline_window = timedelta(seconds=max(1.0, args.window.total_seconds()
                                            * baseline_members / args.members))
    header("digest", f"python bench/digest.py --members {args.members} --window "
           f"{int(args.window.total_seconds())}s --workspace-per-minute "
           f"{args.workspace_per_minute}{' (--smoke)' if args.smoke else ''}; SQLite; fake "
           "Slack on 127.0.0.1 in the same process")
    print("simulated limits: chat.postMessage 1 per second per channel with bursts of 3 "
          "(documented, special tier) and "
          f"{args.workspace_per_minute}/min workspace-wide (assumed: Slack does not publish "
          "it); conversations.open 50/min (Tier 3, documented)")
    with tempfile.TemporaryDirectory() as scratch:
        base = asyncio.run(measure(baseline_members, baseline_window, args.workspace_per_minute,
                                   Path(scratch)))
        report("baseline (same pace, 1% of the members)", base)
        full = asyncio.run(measure(args.members, args.window, args.workspace_per_minute,
                                   Path(scratch)))
        report("campaign", full)
    return 0 if _within(full) else 1


if __name__ == "__main__":
    sys.exit(main())
