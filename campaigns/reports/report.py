"""Reports on the threshold and any further milestones: read only from published snapshots,
never from live counts.

Nothing here looks at the clock, so two reports asked for between the same
two snapshots are identical, whoever signed in between.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime

from sqlmodel import select

from campaigns.core.access import (
    find_campaign,
    latest_snapshot,
    membership,
    vault_of,
    workspace_campaigns,
)
from campaigns.core.errors import InviteNeeded
from campaigns.core.models import (
    Campaign,
    Member,
    Milestone,
    Role,
    Snapshot,
    SnapshotTeam,
    Status,
    Team,
)
from campaigns.core.privacy import Person
from campaigns.core.suppression import Shown, suppress, threshold_target
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.reports.breakdowns import protected_breakdown
from campaigns.reports.trends import (
    WEEK,
    Needed,
    Pace,
    Projection,
    Share,
    Trend,
    more_needed,
    project,
    share_of,
)
from campaigns.reports.trends import weekly_trend as trend_between

# A chart of hourly counts over a long campaign needs no more points than this.
HISTORY_POINTS = 2000


@dataclass(frozen=True)
class Headline:
    """What every member may see: the published count and the way to the target."""

    campaign: str
    campaign_id: int
    snapshot_id: int | None
    taken_at: datetime | None
    supporters: Shown | None
    headcount: int | None
    threshold: float
    target: int | None
    share: Share | None
    needed: Needed | None
    every: str
    reached_at: datetime | None = None


@dataclass(frozen=True)
class MilestoneState:
    percent: float
    target: int | None
    reached_at: datetime | None


@dataclass(frozen=True)
class TeamCell:
    """One team's published supporters; `team` None is "no team declared".

    `others` marks the one unnamed group of every team not shown by name.
    """

    team: str | None
    supporters: Shown
    others: bool = False


@dataclass(frozen=True)
class ChartPoint:
    """A snapshot for the chart; `supporters` None when it was below k and must not be drawn."""

    taken_at: datetime
    supporters: int | None


@dataclass(frozen=True)
class LeadDetails:
    """What a lead sees besides the headline with `/threshold`."""

    members: Shown
    trend: Trend | None
    projection: Projection
    milestones: tuple[MilestoneState, ...]
    teams: tuple[TeamCell, ...] | None
    history: tuple[ChartPoint, ...]


@dataclass(frozen=True)
class ThresholdReport:
    headline: Headline
    lead: LeadDetails | None = None


def read_threshold_reports(uow: UnitOfWork, person: Person, name: str | None,
                           cache: MutableMapping | None = None) -> list[ThresholdReport]:
    """The report of one campaign, or of every campaign the person is an active member of.

    Anyone in the workspace sees an open campaign's headline, as a public
    petition site shows its count; a private campaign shows nothing to outsiders.
    With a `cache`, a report made once for a snapshot is given again until the next one.
    """
    if name is not None:
        campaign = find_campaign(uow, person, name)
        member = membership(uow, campaign, person)
        if campaign.private and (member is None or member.status != Status.ACTIVE):
            raise InviteNeeded(name=campaign.name)
        return [report_for(uow, campaign, _is_lead(member), cache)]
    reports = []
    for campaign in workspace_campaigns(uow, person):
        member = membership(uow, campaign, person)
        if member is not None and member.status == Status.ACTIVE:
            reports.append(report_for(uow, campaign, _is_lead(member), cache))
    return reports


def _is_lead(member: Member | None) -> bool:
    return member is not None and member.status == Status.ACTIVE and member.role == Role.LEAD


def report_for(uow: UnitOfWork, campaign: Campaign, lead: bool,
               cache: MutableMapping | None = None) -> ThresholdReport:
    """The headline, and for a lead the full report, as of the latest snapshot.

    A `cache` keeps the report by everything it is made of besides the snapshot's own rows
    (which never change): the snapshot, the audience (a lead's report or the members'
    headline), the campaign's name and threshold, and its milestones, which a lead may add
    between snapshots. So a cached report is never newer or older than a fresh one would be.
    """
    snapshot = latest_snapshot(uow, campaign)
    marks = tuple(uow.session.exec(
        select(Milestone.percent, Milestone.reached_at)
        .where(Milestone.campaign_id == campaign.id)
        .order_by(Milestone.percent)
    ).all())
    if cache is None:
        return _report(uow, campaign, snapshot, marks, lead)
    key = ("threshold-report", campaign.id, snapshot.id if snapshot else None, lead,
           campaign.name, campaign.threshold_percent, marks, uow.rules.min_count,
           uow.rules.snapshot_every)
    report = cache.get(key)
    if report is None:
        report = cache[key] = _report(uow, campaign, snapshot, marks, lead)
    return report


def _report(uow: UnitOfWork, campaign: Campaign, snapshot: Snapshot | None,
            marks: tuple, lead: bool) -> ThresholdReport:
    k = uow.rules.min_count
    headline = _headline(uow, campaign, snapshot, k, marks)
    if not lead:
        return ThresholdReport(headline)
    milestones = tuple(MilestoneState(percent, _target(snapshot, percent), reached_at)
                       for percent, reached_at in marks)
    if snapshot is None:
        return ThresholdReport(headline, LeadDetails(
            suppress(0, k), None, Projection(Pace.TOO_EARLY), milestones, None, ()))
    latest = (snapshot.taken_at, suppress(snapshot.supporters, k))
    before = _week_before(uow, snapshot)
    baseline = (before.taken_at, suppress(before.supporters, k)) if before else None
    details = LeadDetails(
        members=suppress(snapshot.members, k),
        trend=trend_between(latest, baseline),
        projection=project(latest, baseline, headline.target),
        milestones=milestones,
        teams=_teams(uow, campaign, snapshot, k),
        history=_history(uow, campaign, k),
    )
    return ThresholdReport(headline, details)


def _headline(uow: UnitOfWork, campaign: Campaign, snapshot: Snapshot | None, k: int,
              marks: tuple) -> Headline:
    every = _duration_words(uow.rules.snapshot_every.total_seconds())
    if snapshot is None:
        return Headline(campaign.name, campaign.id, None, None, None, None,
                        campaign.threshold_percent, None, None, None, every)
    supporters = suppress(snapshot.supporters, k)
    target = _target(snapshot, campaign.threshold_percent)
    return Headline(
        campaign=campaign.name, campaign_id=campaign.id, snapshot_id=snapshot.id,
        taken_at=snapshot.taken_at, supporters=supporters, headcount=snapshot.headcount,
        threshold=campaign.threshold_percent, target=target,
        share=share_of(supporters, snapshot.headcount), needed=more_needed(supporters, target),
        every=every, reached_at=_threshold_reached_at(campaign, snapshot, marks),
    )


def _threshold_reached_at(campaign: Campaign, snapshot: Snapshot,
                          marks: tuple) -> datetime | None:
    # Reaching the threshold is announced to every member, so saying so hides nothing.
    reached = next((at for percent, at in marks if percent == campaign.threshold_percent), None)
    return reached if reached is not None and reached <= snapshot.taken_at else None


def _target(snapshot: Snapshot | None, percent: float) -> int | None:
    if snapshot is None or not snapshot.headcount:
        return None
    return threshold_target(snapshot.headcount, percent)


def _week_before(uow: UnitOfWork, snapshot: Snapshot) -> Snapshot | None:
    return uow.session.exec(
        select(Snapshot)
        .where(Snapshot.campaign_id == snapshot.campaign_id,
               Snapshot.taken_at <= snapshot.taken_at - WEEK)
        .order_by(Snapshot.taken_at.desc(), Snapshot.id.desc())
        .limit(1)
    ).first()


def _teams(uow: UnitOfWork, campaign: Campaign, snapshot: Snapshot, k: int
           ) -> tuple[TeamCell, ...] | None:
    rows = uow.session.exec(
        select(SnapshotTeam.team_id, SnapshotTeam.supporters, Team.name_sealed, Team.team_ref)
        .join(Team, Team.id == SnapshotTeam.team_id, isouter=True)
        .where(SnapshotTeam.snapshot_id == snapshot.id)
    ).all()
    vault = vault_of(uow, campaign)
    names = {team_id: vault.open(sealed, "team.name", ref) if sealed is not None else None
             for team_id, _, sealed, ref in rows}
    counts: dict[int | None, int] = {}
    for team_id, supporters, _, _ in rows:
        counts[team_id] = counts.get(team_id, 0) + supporters
    breakdown = protected_breakdown(counts, k)
    if breakdown is None:
        return None
    # Alphabetical, never by size: an order by count would rank the teams.
    order = sorted(breakdown.shown,
                   key=lambda t: (names.get(t) is None, (names.get(t) or "").casefold()))
    cells = [TeamCell(names.get(team_id), Shown(breakdown.shown[team_id], k)) for team_id in order]
    if breakdown.others:
        cells.append(TeamCell(None, Shown(breakdown.others, k), others=True))
    return tuple(cells)


def _history(uow: UnitOfWork, campaign: Campaign, k: int) -> tuple[ChartPoint, ...]:
    rows = uow.session.exec(
        select(Snapshot.taken_at, Snapshot.supporters)
        .where(Snapshot.campaign_id == campaign.id)
        .order_by(Snapshot.taken_at.desc(), Snapshot.id.desc())
        .limit(HISTORY_POINTS)
    ).all()
    return tuple(ChartPoint(taken_at, suppress(count, k).value) for taken_at, count in reversed(rows))


def _duration_words(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds)}s"


def without_teams(report: ThresholdReport) -> ThresholdReport:
    """The report as a channel may see it: team names are for leads only."""
    if report.lead is None:
        return report
    details = report.lead
    return ThresholdReport(report.headline, LeadDetails(
        details.members, details.trend, details.projection, details.milestones, None, ()))


def plain(value: object) -> object:
    """A report as JSON-ready values (for a sealed inbox notice): dates as ISO text."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
