"""What an archived campaign still shows: its final published totals, and nothing personal.

Archiving destroys the key, so nobody's membership can be checked any more:
the totals of an open campaign are shown to anyone in its workspace; those of a
private one, whose counts were for members only, stay behind the archive notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from campaigns.core.access import find_campaign
from campaigns.core.errors import CampaignArchived
from campaigns.core.models import Milestone
from campaigns.core.privacy import Person
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.reports.report import Headline, MilestoneState, report_for


@dataclass(frozen=True)
class ArchivedTotals:
    """The last snapshot before the archive: supporters suppressed as ever, no names, no teams."""

    campaign: str
    archived_at: datetime
    headline: Headline
    milestones: tuple[MilestoneState, ...]


def archived_totals(uow: UnitOfWork, person: Person, name: str) -> ArchivedTotals | None:
    """The final totals of the archived campaign `name`; None if the campaign is still live."""
    campaign = find_campaign(uow, person, name, archived_ok=True)
    if campaign.archived_at is None:
        return None
    if campaign.private:
        raise CampaignArchived(name=campaign.name)
    headline = report_for(uow, campaign, lead=False).headline
    milestones = tuple(
        MilestoneState(m.percent, None, m.reached_at)
        for m in uow.session.exec(
            select(Milestone).where(Milestone.campaign_id == campaign.id)
            .order_by(Milestone.percent)
        )
    )
    return ArchivedTotals(campaign.name, campaign.archived_at, headline, milestones)
