"""Roles: leads appoint leads and at most six liaisons; members declare their team."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from campaigns.core.access import (
    find_campaign,
    members_with_role,
    membership,
    require_member,
    require_role,
    vault_of,
)
from campaigns.core.contacts import seal_contact
from campaigns.core.errors import NotFound, RoleConflict, TextMissing, TextTooLong, TooManyLiaisons
from campaigns.core.inbox import notify
from campaigns.core.members import add_member
from campaigns.core.models import Role, Status, Team
from campaigns.core.privacy import Person
from campaigns.core.unit_of_work import UnitOfWork

TEAM_MAX = 60


@dataclass(frozen=True)
class RoleChange:
    campaign: str
    role: str
    liaisons: int
    max_liaisons: int


def _appoint(uow: UnitOfWork, person: Person, name: str, target: Person, role: Role) -> RoleChange:
    campaign = find_campaign(uow, person, name)
    lead = require_member(uow, campaign, person)
    require_role(lead, (Role.LEAD,), f"campaign {role.value} add", campaign)
    member = membership(uow, campaign, target)
    if member is not None and ((member.role == role and member.status == Status.ACTIVE)
                               or (member.role == Role.LEAD and role == Role.LIAISON)):
        # A lead is never also a liaison: disclosure takes two people, a lead and another.
        raise RoleConflict(name=campaign.name, who=target, you=target == person,
                           held=str(member.role), wanted=str(role))
    liaisons = members_with_role(uow, campaign, Role.LIAISON)
    if role == Role.LIAISON and len(liaisons) >= uow.rules.max_liaisons:
        raise TooManyLiaisons(name=campaign.name, limit=uow.rules.max_liaisons)
    if member is None:
        # A lead's appointment counts as the invitation a private campaign needs.
        member = add_member(uow, campaign, target, role)
    member.status = Status.ACTIVE
    member.role = role
    # The role is sealed into the contact: only the key can grant what a role unlocks.
    member.contact_sealed = seal_contact(vault_of(uow, campaign), target, member.member_ref, role)
    uow.session.add(member)
    notify(uow, campaign, member, "notices/role_given.j2", name=campaign.name, role=role.value)
    uow.commit()
    count = len(members_with_role(uow, campaign, Role.LIAISON))
    return RoleChange(campaign.name, role.value, count, uow.rules.max_liaisons)


def add_lead(uow: UnitOfWork, person: Person, name: str, target: Person) -> RoleChange:
    """Make someone a lead of the campaign."""
    return _appoint(uow, person, name, target, Role.LEAD)


def add_liaison(uow: UnitOfWork, person: Person, name: str, target: Person) -> RoleChange:
    """Make someone a liaison; the seventh is refused: a decision maker
    faced by a crowd gets defensive (docs/ORGANIZING.md, "A few liaisons, not a crowd")."""
    return _appoint(uow, person, name, target, Role.LIAISON)


def remove_liaison(uow: UnitOfWork, person: Person, name: str, target: Person) -> RoleChange:
    """A liaison goes back to being a member."""
    campaign = find_campaign(uow, person, name)
    lead = require_member(uow, campaign, person)
    require_role(lead, (Role.LEAD,), "campaign liaison remove", campaign)
    member = membership(uow, campaign, target)
    if member is None or member.role != Role.LIAISON:
        raise NotFound(what="liaison", ref="")
    member.role = Role.MEMBER
    member.contact_sealed = seal_contact(vault_of(uow, campaign), target, member.member_ref,
                                         Role.MEMBER)
    uow.session.add(member)
    notify(uow, campaign, member, "notices/role_removed.j2", name=campaign.name, role="liaison")
    uow.commit()
    count = len(members_with_role(uow, campaign, Role.LIAISON))
    return RoleChange(campaign.name, Role.MEMBER.value, count, uow.rules.max_liaisons)


def set_team(uow: UnitOfWork, person: Person, name: str, team: str) -> tuple[str, str]:
    """Declare one's own team, for breakdowns and introductions; the name is sealed."""
    team = " ".join((team or "").split())
    if not team:
        raise TextMissing(what="team name", usage=f"/campaign team {name} TEAM")
    if len(team) > TEAM_MAX:
        raise TextTooLong(what="team name", limit=TEAM_MAX, length=len(team))
    campaign = find_campaign(uow, person, name)
    member = require_member(uow, campaign, person)
    vault = vault_of(uow, campaign)
    ref = vault.team_ref(team)
    row = uow.session.exec(
        select(Team).where(Team.campaign_id == campaign.id, Team.team_ref == ref)
    ).first()
    if row is None:
        row = Team(campaign_id=campaign.id, team_ref=ref, name_sealed=vault.seal(team, "team.name", ref))
        uow.session.add(row)
        uow.session.flush()
    member.team_id = row.id
    uow.session.add(member)
    uow.commit()
    return campaign.name, vault.open(row.name_sealed, "team.name", row.team_ref)


