"""A lead's levers: the denominator, further milestones, and destroying a campaign
(destruction takes one lead, and keeps only counts)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, inspect, update
from sqlmodel import select

from campaigns.core.access import find_campaign, require_member, require_role
from campaigns.core.errors import BadValue, MilestoneTracked
from campaigns.core.integers import LARGEST, typed_number
from campaigns.core.models import Campaign, Milestone, Role
from campaigns.core.privacy import Person
from campaigns.core.schema import metadata
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.membership.joining import check_percent

# What survives an archive: the campaign's name and its aggregate counts.
KEPT_ON_ARCHIVE = frozenset({"campaign", "milestone", "snapshot", "snapshot_team", "meta"})


@dataclass(frozen=True)
class HeadcountSet:
    campaign: str
    headcount: int | None
    auto: bool


def _lead_campaign(uow: UnitOfWork, person: Person, name: str, action: str) -> Campaign:
    campaign = find_campaign(uow, person, name)
    require_role(require_member(uow, campaign, person), (Role.LEAD,), action, campaign)
    return campaign


def set_headcount(uow: UnitOfWork, person: Person, name: str, value: str) -> HeadcountSet:
    """Set the denominator to a number, or `auto` to count it from the workspace."""
    campaign = _lead_campaign(uow, person, name, "campaign headcount")
    if value.strip().lower() == "auto":
        campaign.headcount_auto = True
    else:
        number = typed_number(value) or 0
        if number < 1:
            raise BadValue(field="headcount", value=value,
                           expected=f"a whole number from 1 to {LARGEST:,}, or auto")
        campaign.headcount, campaign.headcount_auto = number, False
    uow.session.add(campaign)
    uow.commit()
    return HeadcountSet(campaign.name, campaign.headcount, campaign.headcount_auto)


def record_headcount(uow: UnitOfWork, campaign: Campaign, counted: int) -> None:
    """Store a headcount the workspace reported (for campaigns set to `auto`)."""
    if counted > 0:
        campaign.headcount = counted
        uow.session.add(campaign)


def record_workspace_headcount(uow: UnitOfWork, workspace_ref: str, count: int) -> int:
    """Give every live `auto` campaign of a workspace the people counted there; returns how many."""
    campaigns = uow.session.exec(
        select(Campaign).where(Campaign.workspace_ref == workspace_ref,
                               Campaign.headcount_auto.is_(True),
                               Campaign.archived_at.is_(None))
    ).all()
    for campaign in campaigns:
        record_headcount(uow, campaign, count)
    uow.commit()
    return len(campaigns) if count > 0 else 0


def add_milestone(uow: UnitOfWork, person: Person, name: str, percent: float) -> list[float]:
    """Track a further threshold, such as 30% or 50%."""
    campaign = _lead_campaign(uow, person, name, "campaign milestone")
    percent = check_percent(percent, "milestone")
    existing = {m.percent for m in campaign_milestones(uow, campaign)}
    if percent in existing:
        raise MilestoneTracked(name=campaign.name, percent=percent,
                               threshold=percent == campaign.threshold_percent)
    uow.session.add(Milestone(campaign_id=campaign.id, percent=percent))
    uow.commit()
    return sorted(existing | {percent})


def campaign_milestones(uow: UnitOfWork, campaign: Campaign) -> list[Milestone]:
    return list(uow.session.exec(select(Milestone).where(Milestone.campaign_id == campaign.id)))


def archive_campaign(uow: UnitOfWork, person: Person, name: str) -> str:
    """Destroy the campaign key and every personal row now; only aggregate counts remain."""
    campaign = _lead_campaign(uow, person, name, "campaign archive")
    wrapped = campaign.wrapped_key
    for table in reversed(metadata.sorted_tables):
        if table.name in KEPT_ON_ARCHIVE or "campaign_id" not in table.c:
            continue
        uow.session.execute(delete(table).where(table.c.campaign_id == campaign.id))
    uow.session.execute(
        update(Campaign)
        .where(Campaign.id == campaign.id)
        .values(wrapped_key=None, title_sealed=None, description_sealed=None,
                archived_at=uow.clock.now())
    )
    uow.commit()
    uow.keys.forget(wrapped)
    _checkpoint(uow)
    return campaign.name


def _checkpoint(uow: UnitOfWork) -> None:
    # Old page images can linger in SQLite's WAL; truncate it so the shredded key is gone from disk.
    bind = uow.session.get_bind()
    if inspect(bind).dialect.name == "sqlite":
        with bind.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
