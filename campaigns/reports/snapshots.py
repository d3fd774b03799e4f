"""Count snapshots: the only source of every number a person sees
(docs/PRIVACY.md, "Figures come from snapshots")."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from sqlalchemy import func
from sqlmodel import select

from campaigns.core.inbox import alert_roles, announce
from campaigns.core.models import (
    Campaign,
    Member,
    Milestone,
    Role,
    Signature,
    Snapshot,
    SnapshotTeam,
    Status,
)
from campaigns.core.suppression import suppress, threshold_target
from campaigns.core.talking_points import publish_points
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.reports.schedules import ReportChannels, campaign_channel, campaign_locality

log = logging.getLogger("concerted.reports")

SnapshotWatcher = Callable[[UnitOfWork, Campaign, Snapshot], None]


def live_supporters(uow: UnitOfWork, campaign_id: int) -> int:
    """Distinct members with a signature on any pledge or petition. Only snapshots read this."""
    return uow.session.exec(
        select(func.count(func.distinct(Signature.member_id))).where(
            Signature.campaign_id == campaign_id
        )
    ).one()


def _team_cells(uow: UnitOfWork, campaign_id: int) -> list[tuple[int | None, int]]:
    # EXISTS, not a join counted DISTINCT: each member is looked at once, in team order
    # (ix_member_campaign_team), with no sort of every signature (bench/threshold.py).
    signed = select(Signature.id).where(Signature.member_id == Member.id).exists()
    return list(
        uow.session.exec(
            select(Member.team_id, func.count(Member.id))
            .where(Member.campaign_id == campaign_id, signed)
            .group_by(Member.team_id)
        )
    )


def take_snapshot(uow: UnitOfWork, campaign: Campaign) -> Snapshot:
    """Record the campaign's counts as of now, with one cell per team and its points' support."""
    members = uow.session.exec(
        select(func.count(Member.id)).where(
            Member.campaign_id == campaign.id, Member.status == Status.ACTIVE
        )
    ).one()
    snapshot = Snapshot(
        campaign_id=campaign.id,
        taken_at=uow.clock.now(),
        supporters=live_supporters(uow, campaign.id),
        headcount=campaign.headcount,
        members=members,
    )
    uow.session.add(snapshot)
    uow.session.flush()
    for team_id, count in _team_cells(uow, campaign.id):
        uow.session.add(SnapshotTeam(snapshot_id=snapshot.id, team_id=team_id, supporters=count))
    publish_points(uow, campaign.id, snapshot.taken_at)
    return snapshot


def crossed_milestones(uow: UnitOfWork, campaign: Campaign, snapshot: Snapshot) -> list[Milestone]:
    """Milestones this snapshot reaches for the first time; each is marked so it is never again."""
    if not snapshot.headcount:
        return []
    crossed = []
    for milestone in uow.session.exec(
        select(Milestone)
        .where(Milestone.campaign_id == campaign.id, Milestone.reached_at.is_(None))
        .order_by(Milestone.percent)
    ):
        if snapshot.supporters >= threshold_target(snapshot.headcount, milestone.percent):
            milestone.reached_at = snapshot.taken_at
            uow.session.add(milestone)
            crossed.append(milestone)
    return crossed


def announce_milestone(uow: UnitOfWork, campaign: Campaign, snapshot: Snapshot,
                       milestone: Milestone) -> None:
    """Tell leads the published counts; tell everyone that it was reached, in the campaign's
    channel if a lead chose one, otherwise by one announcement that every inbox shows."""
    target = threshold_target(snapshot.headcount, milestone.percent)
    alert_roles(uow, campaign, (Role.LEAD,), "notices/milestone_lead.j2", name=campaign.name,
                percent=milestone.percent, target=target, headcount=snapshot.headcount,
                supporters=suppress(snapshot.supporters, uow.rules.min_count).value,
                k=uow.rules.min_count, taken_at=snapshot.taken_at.isoformat())
    public = {"name": campaign.name, "percent": milestone.percent, "target": target}
    channel, poster = campaign_channel(uow, campaign), uow.notifier
    if channel is None or not isinstance(poster, ReportChannels):
        announce(uow, campaign, "notices/milestone.j2", **public)
        return
    person, where = channel

    def post() -> None:
        try:
            poster.post_to_channel(person, where, "notices/milestone.j2", {"p": public},
                                   **campaign_locality(uow, campaign))
        except Exception as exc:  # noqa: BLE001 - a lost post must not undo the snapshot
            log.warning("milestone.channel_failed campaign=%s error=%s", campaign.id,
                        type(exc).__name__)

    uow.after_commit(post)


def publish_counts(uow: UnitOfWork, watchers: Sequence[SnapshotWatcher] = ()) -> list[Snapshot]:
    """The snapshot job: snapshot every live campaign, announce what it crossed, and let each
    watcher (another feature, wired in by the runtime) act on the new counts."""
    taken = []
    campaigns = uow.session.exec(
        select(Campaign).where(Campaign.archived_at.is_(None)).order_by(Campaign.id)
    ).all()
    for campaign in campaigns:
        snapshot = take_snapshot(uow, campaign)
        for milestone in crossed_milestones(uow, campaign, snapshot):
            announce_milestone(uow, campaign, snapshot, milestone)
        for watcher in watchers:
            watcher(uow, campaign, snapshot)
        uow.commit()
        taken.append(snapshot)
    return taken
