"""Campaign use cases: create, join, leave, invite, and what a person may see of one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from campaigns.core.access import (
    find_campaign,
    latest_snapshot,
    members_with_role,
    membership,
    normal_name,
    require_member,
    require_role,
    vault_of,
    workspace_campaigns,
)
from campaigns.core.errors import (
    AlreadyMember,
    BadValue,
    CampaignNameTaken,
    LastLead,
    TextTooLong,
)
from campaigns.core.inbox import notify
from campaigns.core.members import add_member, ensure_member
from campaigns.core.models import BlockedAuthor, Campaign, Member, Milestone, Role, Status
from campaigns.core.privacy import Person
from campaigns.core.suppression import Shown, suppress, threshold_target
from campaigns.core.unit_of_work import UnitOfWork

TITLE_MAX = 100
DESCRIPTION_MAX = 1000


@dataclass(frozen=True)
class NewCampaign:
    name: str
    title: str | None = None
    description: str | None = None
    headcount: int | None = None
    threshold: float = 5.0
    private: bool = False
    retention_days: int = 30
    milestones: tuple[float, ...] = ()
    language: str | None = None  # checked against the shipped catalogs by the caller
    timezone: str | None = None  # an IANA name, checked by the caller


@dataclass(frozen=True)
class CampaignView:
    """What a person may see of a campaign: counts only from the latest snapshot."""

    name: str
    title: str
    description: str
    private: bool
    headcount: int | None
    headcount_auto: bool
    threshold: float
    target: int | None
    retention_days: int
    role: str | None
    status: str | None
    liaisons: int
    supporters: Shown | None
    snapshot_at: datetime | None
    milestones: list[tuple[float, bool]] = field(default_factory=list)


def check_percent(value: float, field_name: str = "threshold") -> float:
    if not 0 < value <= 100:
        raise BadValue(field=field_name, value=value, expected="a percentage above 0 and up to 100")
    return float(value)


def open_campaign(uow: UnitOfWork, person: Person, new: NewCampaign) -> CampaignView:
    """Create a campaign; the person who creates it becomes its first lead."""
    name = normal_name(new.name)
    title = (new.title or name).strip()
    if len(title) > TITLE_MAX:
        raise TextTooLong(what="title", limit=TITLE_MAX, length=len(title))
    description = (new.description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise TextTooLong(what="description", limit=DESCRIPTION_MAX, length=len(description))
    if new.headcount is not None and new.headcount < 1:
        raise BadValue(field="headcount", value=new.headcount, expected="a whole number above 0")
    if not 1 <= new.retention_days <= 3650:
        raise BadValue(field="retention", value=f"{new.retention_days}d",
                       expected="a number of days from 1 to 3650 (ten years), such as 30")
    threshold = check_percent(new.threshold)
    extra = {check_percent(p, "milestone") for p in new.milestones}
    ref = uow.keys.workspace_ref(person.platform, person.workspace)
    taken = uow.session.exec(
        select(Campaign).where(Campaign.workspace_ref == ref, Campaign.name == name)
    ).first()
    if taken is not None:
        raise CampaignNameTaken(name=name, state=_name_state(taken))
    campaign = Campaign(
        workspace_ref=ref, name=name, wrapped_key=uow.keys.new_wrapped_campaign_key(),
        headcount=new.headcount, threshold_percent=threshold, private=new.private,
        retention_days=new.retention_days, created_at=uow.clock.now(),
        language=new.language, timezone=new.timezone,
    )
    uow.session.add(campaign)
    try:
        uow.session.flush()
    except IntegrityError:
        uow.rollback()
        raise CampaignNameTaken(name=name, state="taken") from None
    # Sealed once the row has its id: the id is part of what every sealed value is bound to.
    vault = vault_of(uow, campaign)
    campaign.title_sealed = vault.seal(title, "campaign.title", "")
    campaign.description_sealed = vault.seal(description, "campaign.description", "")
    for percent in sorted(extra | {threshold}):
        uow.session.add(Milestone(campaign_id=campaign.id, percent=percent))
    lead = add_member(uow, campaign, person, Role.LEAD)
    uow.commit()
    uow.concerns(campaign.id, campaign.language, campaign.timezone)
    return describe(uow, campaign, lead)


def _name_state(campaign: Campaign) -> str:
    # Names stay reserved for good, archived ones too: a new campaign must never be taken
    # for one whose members were told about it. Whether a private campaign is live or
    # archived is not said: outsiders may not know even that.
    if campaign.private:
        return "taken"
    return "archived" if campaign.archived_at is not None else "live"


def join_campaign(uow: UnitOfWork, person: Person, name: str) -> CampaignView:
    """Join an open campaign, or a private one the person was invited to."""
    campaign = find_campaign(uow, person, name)
    existing = membership(uow, campaign, person)
    if existing is not None and existing.status == Status.ACTIVE:
        raise AlreadyMember(name=campaign.name, role=existing.role)
    member = ensure_member(uow, campaign, person)
    uow.commit()
    return describe(uow, campaign, member)


def leave_campaign(uow: UnitOfWork, person: Person, name: str) -> str:
    """Leave: the membership and everything tied to it (signatures, inbox) are deleted."""
    campaign = find_campaign(uow, person, name)
    member = require_member(uow, campaign, person)
    if member.role == Role.LEAD and len(members_with_role(uow, campaign, Role.LEAD)) == 1:
        raise LastLead(name=campaign.name)
    if member.grievance_blocked:
        # Leaving and rejoining must not shed a liaisons' block: keep only the pseudonym.
        uow.session.add(BlockedAuthor(campaign_id=campaign.id, member_ref=member.member_ref))
    uow.session.delete(member)
    uow.commit()
    return campaign.name


def invite(uow: UnitOfWork, person: Person, name: str, invitee: Person) -> str:
    """A lead or liaison invites someone to a private (or open) campaign.

    The answer and the invitee's notice are the same whether the invitee is a
    stranger, already invited or already a member: signing joins, so anything
    else would tell the inviter who signed.
    """
    campaign = find_campaign(uow, person, name)
    inviter = require_member(uow, campaign, person)
    require_role(inviter, (Role.LEAD, Role.LIAISON), "campaign invite", campaign)
    member = membership(uow, campaign, invitee)
    if member is None:
        member = add_member(uow, campaign, invitee, Role.MEMBER, Status.INVITED)
    notify(uow, campaign, member, "notices/invited.j2", name=campaign.name)
    uow.commit()
    return campaign.name


def archived_names(uow: UnitOfWork, person: Person) -> list[str]:
    """The names of the workspace's archived open campaigns: reserved, with final totals to see."""
    ref = uow.keys.workspace_ref(person.platform, person.workspace)
    return list(uow.session.exec(
        select(Campaign.name)
        .where(Campaign.workspace_ref == ref, Campaign.archived_at.is_not(None),
               Campaign.private.is_(False))
        .order_by(Campaign.name)
    ))


def visible_campaigns(uow: UnitOfWork, person: Person) -> list[CampaignView]:
    """Open campaigns of the workspace, and private ones the person belongs to or is invited to."""
    views = []
    for campaign in workspace_campaigns(uow, person):
        member = membership(uow, campaign, person)
        if campaign.private and member is None:
            continue
        views.append(describe(uow, campaign, member))
    return views


def campaign_info(uow: UnitOfWork, person: Person, name: str) -> CampaignView:
    campaign = find_campaign(uow, person, name)
    return describe(uow, campaign, membership(uow, campaign, person))


def describe(uow: UnitOfWork, campaign: Campaign, member: Member | None) -> CampaignView:
    vault = vault_of(uow, campaign)
    snapshot = latest_snapshot(uow, campaign)
    headcount = snapshot.headcount if snapshot and snapshot.headcount else campaign.headcount
    milestones = uow.session.exec(
        select(Milestone).where(Milestone.campaign_id == campaign.id).order_by(Milestone.percent)
    ).all()
    return CampaignView(
        name=campaign.name,
        title=vault.open(campaign.title_sealed, "campaign.title", ""),
        description=vault.open(campaign.description_sealed, "campaign.description", ""),
        private=campaign.private,
        headcount=headcount,
        headcount_auto=campaign.headcount_auto,
        threshold=campaign.threshold_percent,
        target=threshold_target(headcount, campaign.threshold_percent) if headcount else None,
        retention_days=campaign.retention_days,
        role=member.role if member else None,
        status=member.status if member else None,
        liaisons=len(members_with_role(uow, campaign, Role.LIAISON)),
        supporters=suppress(snapshot.supporters, uow.rules.min_count) if snapshot else None,
        snapshot_at=snapshot.taken_at if snapshot else None,
        milestones=[(m.percent, m.reached_at is not None) for m in milestones],
    )
