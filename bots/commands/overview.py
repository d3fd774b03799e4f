"""A person's overview (Slack's App Home): their campaigns and signatures, and per role
what they look after: a liaison's open queue, a lead's latest report.

Counts come from the latest snapshot, as everywhere; the queue size is the
liaison's own working list, not a published count.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from campaigns.core.access import membership, workspace_campaigns
from campaigns.core.models import Campaign, Member, Role, Signature, Status
from campaigns.core.privacy import Person
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.grievances.queue import published_open_items
from campaigns.membership.joining import CampaignView, describe
from campaigns.reports.report import ThresholdReport, report_for
from petitions.models import SUBJECT as PETITION
from petitions.models import Petition


@dataclass(frozen=True)
class SignatureLine:
    """One of the person's signatures: on the campaign's pledge, or on a petition by its ref."""

    subject: str
    ref: str
    mode: str


@dataclass(frozen=True)
class CampaignOverview:
    campaign: CampaignView
    signatures: tuple[SignatureLine, ...]
    queue: int | None = None
    report: ThresholdReport | None = None


@dataclass(frozen=True)
class Overview:
    campaigns: tuple[CampaignOverview, ...]
    others: int


def gather_overview(uow: UnitOfWork, person: Person) -> Overview:
    """The campaigns the person belongs to or is invited to, and how many others are open."""
    mine: list[CampaignOverview] = []
    others = 0
    for campaign in workspace_campaigns(uow, person):
        member = membership(uow, campaign, person)
        if member is None:
            others += 0 if campaign.private else 1
            continue
        mine.append(_overview(uow, campaign, member))
    return Overview(tuple(mine), others)


def _overview(uow: UnitOfWork, campaign: Campaign, member: Member) -> CampaignOverview:
    view = describe(uow, campaign, member)
    if member.status != Status.ACTIVE:
        return CampaignOverview(view, ())
    queue = _open_items(uow, campaign) if member.role == Role.LIAISON else None
    report = report_for(uow, campaign, lead=True) if member.role == Role.LEAD else None
    return CampaignOverview(view, _signatures(uow, campaign, member), queue, report)


def _signatures(uow: UnitOfWork, campaign: Campaign, member: Member) -> tuple[SignatureLine, ...]:
    rows = uow.session.exec(
        select(Signature).where(Signature.member_id == member.id)
        .order_by(Signature.signed_at, Signature.id)
    ).all()
    petition_refs = dict(uow.session.exec(
        select(Petition.id, Petition.ref).where(
            Petition.id.in_([r.subject_id for r in rows if r.subject == PETITION])
        )
    ).all()) if rows else {}
    return tuple(
        SignatureLine(row.subject, petition_refs.get(row.subject_id, "") if row.subject == PETITION
                      else campaign.name, row.mode)
        for row in rows
    )


def _open_items(uow: UnitOfWork, campaign: Campaign) -> int:
    # The queue's size as the queue shows it: items filed before the last snapshot.
    return published_open_items(uow, campaign)
