"""What runs when: the ids of the jobs every deployment runs, and when the next count is due.

The runtime installs these jobs under these ids; features only read them, so
one id has one spelling.
"""

from __future__ import annotations

from datetime import datetime

from campaigns.core.access import latest_snapshot
from campaigns.core.models import Campaign
from campaigns.core.unit_of_work import UnitOfWork

SNAPSHOTS = "snapshots"
RETENTION_PURGE = "retention-purge"
QUEUE_REMINDERS = "queue-reminders"
HEADCOUNT_REFRESH = "headcount-refresh"
DIGEST = "digest"


def next_count(uow: UnitOfWork, campaign: Campaign) -> datetime:
    """When the next snapshot will publish the campaign's counts.

    The snapshot job's own plan when there is one; otherwise one snapshot
    period after the latest snapshot (or now), so a signer is always told.
    """
    latest = latest_snapshot(uow, campaign)
    return next_count_after(uow, latest.taken_at if latest else None)


def next_count_after(uow: UnitOfWork, latest: datetime | None) -> datetime:
    """`next_count` for a campaign whose latest snapshot was taken at `latest` (None: never)."""
    planned = uow.jobs.next_run(SNAPSHOTS) if uow.jobs is not None else None
    now, every = uow.clock.now(), uow.rules.snapshot_every
    # A plan no later than the latest snapshot is one that snapshot already carried out (or
    # one taken by hand): what happens now is published by the one after it.
    if planned is None or (latest is not None and planned <= latest):
        planned = (latest or now) + every
    # A plan already past is a run about to catch up; it may not see what happens now, so
    # promise the one after it, on the same grid.
    while planned <= now:
        planned += every
    return planned
