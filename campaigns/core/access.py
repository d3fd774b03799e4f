"""Finding a campaign and the person's place in it, shared by every use case."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlmodel import select

from campaigns.core.contacts import role_is_genuine
from campaigns.core.errors import (
    BadName,
    CampaignArchived,
    CampaignNotFound,
    NotAllowed,
    NotAMember,
    Unreadable,
)
from campaigns.core.models import Campaign, Member, Role, Snapshot, Status
from campaigns.core.privacy import CampaignVault, Person
from campaigns.core.unit_of_work import UnitOfWork

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,31}$")


def normal_name(name: str) -> str:
    """A campaign NAME as stored: lower case, 2–32 letters, digits or dashes."""
    cleaned = (name or "").strip().lower()
    if not NAME_PATTERN.match(cleaned):
        raise BadName(name=name)
    return cleaned


def find_campaign(uow: UnitOfWork, person: Person, name: str, *, archived_ok=False) -> Campaign:
    """The campaign called `name` in the person's workspace, if the person may know of it.

    A private campaign is found only by its members and the people invited to
    it; anyone else gets the very answer a name nobody uses gets.
    """
    ref = uow.keys.workspace_ref(person.platform, person.workspace)
    campaign = uow.session.exec(
        select(Campaign).where(Campaign.workspace_ref == ref, Campaign.name == normal_name(name))
    ).first()
    if campaign is None or not may_know_of(uow, campaign, person):
        raise CampaignNotFound(name=name)
    if campaign.archived_at is not None and not archived_ok:
        raise CampaignArchived(name=campaign.name)
    uow.concerns(campaign.id, campaign.language, campaign.timezone)
    return campaign


def may_know_of(uow: UnitOfWork, campaign: Campaign, person: Person) -> bool:
    """Open campaigns are known to their whole workspace; private ones to those on their roll."""
    if not campaign.private:
        return True
    # An archived campaign's roll is destroyed with its key: nobody can be told it was theirs.
    return campaign.archived_at is None and membership(uow, campaign, person) is not None


def active_member_of(uow: UnitOfWork, person: Person, campaign: Campaign | None) -> Member | None:
    """The person's active membership of an item's campaign, when it is live and in their workspace.

    Items addressed by number or reference are looked up through this, so that
    an item one may not see and an item that does not exist read the same.
    """
    if not in_workspace(uow, person, campaign):
        return None
    member = membership(uow, campaign, person)
    if member is None or member.status != Status.ACTIVE:
        return None
    uow.concerns(campaign.id, campaign.language, campaign.timezone)
    return member


def workspace_campaigns(uow: UnitOfWork, person: Person) -> list[Campaign]:
    """The live campaigns of the person's workspace, by name."""
    ref = uow.keys.workspace_ref(person.platform, person.workspace)
    return list(uow.session.exec(
        select(Campaign)
        .where(Campaign.workspace_ref == ref, Campaign.archived_at.is_(None))
        .order_by(Campaign.name)
    ))


def in_workspace(uow: UnitOfWork, person: Person, campaign: Campaign | None) -> bool:
    """Whether an item's campaign is live and belongs to the asker's workspace."""
    return (campaign is not None and campaign.archived_at is None
            and campaign.workspace_ref == uow.keys.workspace_ref(person.platform, person.workspace))


def vault_of(uow: UnitOfWork, campaign: Campaign) -> CampaignVault:
    """The campaign's vault, bound to the campaign row so sealed values cannot change campaign."""
    return uow.keys.vault(campaign.wrapped_key, campaign.id)


def membership(uow: UnitOfWork, campaign: Campaign, person: Person) -> Member | None:
    """The person's member row in the campaign (active or invited), if any.

    Unreadable if the row's role or contact was changed without the key: a forged
    role unlocks nothing.
    """
    vault = vault_of(uow, campaign)
    ref = vault.member_ref(person)
    member = uow.session.exec(
        select(Member).where(Member.campaign_id == campaign.id, Member.member_ref == ref)
    ).first()
    if member is not None and not role_is_genuine(vault, member):
        raise Unreadable()
    return member


def require_member(uow: UnitOfWork, campaign: Campaign, person: Person) -> Member:
    member = membership(uow, campaign, person)
    if member is None or member.status != Status.ACTIVE:
        raise NotAMember(name=campaign.name, private=campaign.private)
    return member


def require_role(member: Member, roles: Iterable[Role], action: str, campaign: Campaign) -> None:
    allowed = [Role(r) for r in roles]
    if Role(member.role) not in allowed:
        raise NotAllowed(action=action, needed=[r.value for r in allowed], name=campaign.name)


def members_with_role(uow: UnitOfWork, campaign: Campaign, *roles: Role) -> list[Member]:
    return list(
        uow.session.exec(
            select(Member)
            .where(Member.campaign_id == campaign.id, Member.status == Status.ACTIVE)
            .where(Member.role.in_([r.value for r in roles]))
            .order_by(Member.id)
        )
    )


def latest_snapshot(uow: UnitOfWork, campaign: Campaign) -> Snapshot | None:
    """The newest published counts; nothing a person sees is counted live."""
    return uow.session.exec(
        select(Snapshot)
        .where(Snapshot.campaign_id == campaign.id)
        .order_by(Snapshot.taken_at.desc(), Snapshot.id.desc())
        .limit(1)
    ).first()


_REF = re.compile(r"[A-Z]-[A-Z0-9]{1,14}")


def looks_like_ref(text: str, prefix: str) -> bool:
    """Whether `text` could be an item reference such as `G-7KQ2XH` at all.

    Anything else is not looked up: it is simply not found, whatever bytes it holds (a
    NUL, a thousand characters) that the database would refuse to compare.
    """
    return text.startswith(prefix + "-") and _REF.fullmatch(text) is not None
