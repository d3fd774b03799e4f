"""When published figures change: the count snapshot is the only moment any of them moves.

A reply to something a person did says when it will be counted, never the
live figure, so nobody can watch a number move right after a colleague acts.
"""

from __future__ import annotations

from datetime import datetime

from campaigns.core.access import latest_snapshot
from campaigns.core.models import Campaign
from campaigns.core.unit_of_work import UnitOfWork

SNAPSHOT_JOB = "snapshots"  # the id bots/runtime/jobs.py gives the recurring snapshot job


def next_snapshot_at(uow: UnitOfWork, campaign: Campaign | None = None) -> datetime | None:
    """When the next count snapshot is due: the scheduler's plan, else one period after the last."""
    next_run = getattr(uow.jobs, "next_run", None)
    planned = next_run(SNAPSHOT_JOB) if next_run else None
    if planned is not None or campaign is None:
        return planned
    now, every = uow.clock.now(), uow.rules.snapshot_every
    latest = latest_snapshot(uow, campaign)
    when = (latest.taken_at if latest else now) + every
    while when <= now:
        when += every
    return when
