"""Content-free notifications: the DM says only "run /campaign inbox"; the inbox says the rest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from campaigns.lookup import vault_of
from campaigns.models import Campaign, Member, Notice, Status
from campaigns.privacy import Person
from campaigns.unit import UnitOfWork

_PURPOSE = "notice.body"


def notify(uow: UnitOfWork, campaign: Campaign, member: Member, template: str, **params) -> None:
    """Leave `template` with `params` in the member's inbox and ping them after the commit."""
    vault = vault_of(uow, campaign)
    body = vault.seal_json({"template": template, "params": params}, _PURPOSE)
    uow.session.add(
        Notice(campaign_id=campaign.id, member_id=member.id, body_sealed=body,
               created_at=uow.clock.now())
    )
    if member.contact_sealed is not None:
        uow.ping_after_commit(vault.open_person(member.contact_sealed))


@dataclass(frozen=True)
class InboxItem:
    campaign: str
    template: str
    params: dict
    created_at: datetime


def read_inbox(uow: UnitOfWork, person: Person) -> list[InboxItem]:
    """Everything waiting for the person in this workspace, oldest first; reading clears it."""
    ref = uow.keys.workspace_ref(person.platform, person.workspace)
    campaigns = uow.session.exec(
        select(Campaign).where(Campaign.workspace_ref == ref, Campaign.archived_at.is_(None))
    ).all()
    items: list[InboxItem] = []
    for campaign in campaigns:
        vault = vault_of(uow, campaign)
        member = uow.session.exec(
            select(Member).where(
                Member.campaign_id == campaign.id, Member.member_ref == vault.member_ref(person)
            )
        ).first()
        if member is None:
            continue
        for notice in uow.session.exec(
            select(Notice).where(Notice.member_id == member.id).order_by(Notice.id)
        ):
            body = vault.open_json(notice.body_sealed, _PURPOSE)
            items.append(InboxItem(campaign.name, body["template"], body["params"],
                                   notice.created_at))
            uow.session.delete(notice)
    uow.commit()
    return sorted(items, key=lambda item: item.created_at)


def notify_roles(uow: UnitOfWork, campaign: Campaign, roles, template: str, **params) -> int:
    """Notify every active member holding one of `roles`; returns how many were told."""
    members = uow.session.exec(
        select(Member).where(
            Member.campaign_id == campaign.id,
            Member.status == Status.ACTIVE,
            Member.role.in_([str(r) for r in roles]),
        )
    ).all()
    for member in members:
        notify(uow, campaign, member, template, **params)
    return len(members)
