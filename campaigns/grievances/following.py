"""The author's own grievances without their references: what `/grievance status` alone shows.

A reference is easy to lose, and the inbox already names it next to each
reply, so listing one's own items by membership tells the person nothing new.
"""

from __future__ import annotations

from sqlmodel import select

from campaigns.core.access import membership, workspace_campaigns
from campaigns.core.privacy import Person
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.grievances.filing import GrievanceView, view_of
from campaigns.grievances.models import Grievance


def own_grievances(uow: UnitOfWork, person: Person) -> list[GrievanceView]:
    """Every grievance the person filed in the workspace's live campaigns, oldest first."""
    views = []
    for campaign in workspace_campaigns(uow, person):
        member = membership(uow, campaign, person)
        if member is None:
            continue
        filed = uow.session.exec(
            select(Grievance)
            .where(Grievance.campaign_id == campaign.id, Grievance.member_id == member.id)
            .order_by(Grievance.id)
        )
        views.extend(view_of(uow, campaign, grievance) for grievance in filed)
    return views
