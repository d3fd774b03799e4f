"""Becoming a member of a campaign: the one way a membership row is made or revived."""

from __future__ import annotations

from sqlmodel import select

from campaigns.core.access import membership, vault_of
from campaigns.core.clock import day_of
from campaigns.core.contacts import seal_contact
from campaigns.core.errors import InviteNeeded
from campaigns.core.models import BlockedAuthor, Campaign, Member, Role, Status
from campaigns.core.privacy import Person
from campaigns.core.unit_of_work import UnitOfWork


def add_member(uow: UnitOfWork, campaign: Campaign, person: Person, role: Role,
                status: Status = Status.ACTIVE) -> Member:
    vault = vault_of(uow, campaign)
    ref = vault.member_ref(person)
    member = Member(
        campaign_id=campaign.id, member_ref=ref, role=role, status=status,
        contact_sealed=seal_contact(vault, person, ref, role), joined_at=day_of(uow.clock.now()),
    )
    block = uow.session.exec(select(BlockedAuthor).where(
        BlockedAuthor.campaign_id == campaign.id, BlockedAuthor.member_ref == member.member_ref
    )).first()
    if block is not None:
        member.grievance_blocked = True
        uow.session.delete(block)
    uow.session.add(member)
    uow.session.flush()
    return member


def ensure_member(uow: UnitOfWork, campaign: Campaign, person: Person) -> Member:
    """The person's active membership, joining an open campaign on the way (signing does this)."""
    member = membership(uow, campaign, person)
    if member is not None and member.status == Status.ACTIVE:
        return member
    if member is None and campaign.private:
        raise InviteNeeded(name=campaign.name)
    if member is None:
        return add_member(uow, campaign, person, Role.MEMBER)
    member.status = Status.ACTIVE
    member.joined_at = day_of(uow.clock.now())
    uow.session.add(member)
    return member
