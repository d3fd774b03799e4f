"""Finding a petition by its public id, and what a person may see of it."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import select

from campaigns.core.access import latest_snapshot, looks_like_ref, membership, vault_of
from campaigns.core.errors import NotFound
from campaigns.core.models import Campaign, Member, Role, Status
from campaigns.core.privacy import CampaignVault, Person
from campaigns.core.schedule import next_count
from campaigns.core.signatures import current
from campaigns.core.suppression import Shown, suppress
from campaigns.core.unit_of_work import UnitOfWork
from petitions.models import SUBJECT, Petition, PetitionApproval, PetitionSponsor, Stage

SPONSORS_NEEDED = 2
# No 0/O, 1/I/L: the id is read aloud and retyped by colleagues.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_REF = re.compile(r"^(?:P-?)?([A-Z0-9]{4,8})$")


def new_ref(uow: UnitOfWork) -> str:
    """A short public id such as `P-4K9Q`, unused so far."""
    for _ in range(20):
        ref = "P-" + "".join(secrets.choice(_ALPHABET) for _ in range(4))
        if uow.session.exec(select(Petition.id).where(Petition.ref == ref)).first() is None:
            return ref
    return "P-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def normal_ref(text: str) -> str:
    """`p-4k9q`, `P4K9Q` and `4K9Q` all mean `P-4K9Q`."""
    match = _REF.match((text or "").strip().upper())
    return "P-" + match.group(1) if match else (text or "").strip()


def find_petition(uow: UnitOfWork, person: Person, ref: str, *,
                  lock: bool = False) -> tuple[Petition, Campaign]:
    """The petition with this id in the person's workspace, else NotFound.

    `lock` holds the row until the commit (PostgreSQL), so two people acting
    at once (sponsors, approving liaisons, confirming leads) are counted one
    after the other and none of them is lost.
    """
    if not looks_like_ref(normal_ref(ref), "P"):
        raise NotFound(what="petition", ref=ref)
    workspace = uow.keys.workspace_ref(person.platform, person.workspace)
    query = (
        select(Petition, Campaign)
        .join(Campaign, Campaign.id == Petition.campaign_id)
        .where(Petition.ref == normal_ref(ref), Campaign.workspace_ref == workspace,
               Campaign.archived_at.is_(None))
    )
    if lock:
        query = query.with_for_update(of=Petition)
    row = uow.session.exec(query).first()
    # A private campaign's petitions are for its members: to anyone else one reads as none.
    if row is None or (row[1].private and visible_to(uow, row[1], person) is None):
        raise NotFound(what="petition", ref=ref)
    return row[0], row[1]


def visible_to(uow: UnitOfWork, campaign: Campaign, person: Person) -> Member | None:
    """The person's active membership, if any (`find_petition` has let them see the campaign)."""
    member = membership(uow, campaign, person)
    return member if member is not None and member.status == Status.ACTIVE else None


@dataclass(frozen=True)
class PetitionText:
    title: str
    addressee: str
    points: tuple[str, ...]
    ask: str


def read_text(vault: CampaignVault, petition: Petition) -> PetitionText:
    return PetitionText(
        title=vault.open(petition.title_sealed, "petition.title", petition.ref),
        addressee=vault.open(petition.addressee_sealed, "petition.addressee", petition.ref),
        points=tuple(vault.open_json(petition.points_sealed, "petition.points", petition.ref)),
        ask=vault.open(petition.ask_sealed, "petition.ask", petition.ref),
    )


@dataclass(frozen=True)
class PetitionView:
    """What a person may see of a petition; the only count is the campaign's published one."""

    id: int
    ref: str
    campaign: str
    stage: str
    text: PetitionText
    sponsors: int
    sponsors_needed: int
    approvals: int
    approvals_needed: int
    yours: bool
    you_sponsor: bool
    your_signature: str | None
    your_role: str | None
    return_reason: str | None
    supporters: Shown | None
    snapshot_at: datetime | None
    signatures: Shown | None  # this petition's own, as of `counted_at`
    counted_at: datetime | None
    next_count: datetime | None
    created_at: datetime
    opened_at: datetime | None
    delivered_at: datetime | None


def sponsor_count(uow: UnitOfWork, petition: Petition) -> int:
    return uow.session.exec(
        select(func.count(PetitionSponsor.id)).where(PetitionSponsor.petition_id == petition.id)
    ).one()


def liaison_count(uow: UnitOfWork, campaign: Campaign) -> int:
    return uow.session.exec(
        select(func.count(Member.id)).where(
            Member.campaign_id == campaign.id, Member.status == Status.ACTIVE,
            Member.role == Role.LIAISON,
        )
    ).one()


def approvals_needed(uow: UnitOfWork, campaign: Campaign) -> int:
    """Two liaisons, or one if the campaign has only one."""
    return max(1, min(2, liaison_count(uow, campaign)))


def approval_count(uow: UnitOfWork, petition: Petition) -> int:
    """Approvals by people who are liaisons now; one removed since no longer counts."""
    return uow.session.exec(
        select(func.count(PetitionApproval.id))
        .join(Member, Member.id == PetitionApproval.member_id)
        .where(PetitionApproval.petition_id == petition.id, Member.role == Role.LIAISON,
               Member.status == Status.ACTIVE)
    ).one()


def describe(uow: UnitOfWork, campaign: Campaign, petition: Petition,
             member: Member | None) -> PetitionView:
    """The petition as `member` may see it; every figure in it is a published one."""
    vault = vault_of(uow, campaign)
    snapshot = latest_snapshot(uow, campaign)
    yours = member is not None and petition.author_id == member.id
    sees_reason = yours or (member is not None and member.role == Role.LIAISON)
    signature = current(uow, SUBJECT, petition.id, member) if member else None
    you_sponsor = member is not None and uow.session.exec(
        select(PetitionSponsor.id).where(PetitionSponsor.petition_id == petition.id,
                                         PetitionSponsor.member_id == member.id)
    ).first() is not None
    return PetitionView(
        id=petition.id,
        ref=petition.ref,
        campaign=campaign.name,
        stage=petition.stage,
        text=read_text(vault, petition),
        sponsors=sponsor_count(uow, petition),
        sponsors_needed=SPONSORS_NEEDED,
        approvals=approval_count(uow, petition),
        approvals_needed=approvals_needed(uow, campaign),
        yours=yours,
        you_sponsor=you_sponsor,
        your_signature=signature.mode if signature else None,
        your_role=member.role if member else None,
        return_reason=vault.open(petition.return_reason_sealed, "petition.return_reason", petition.ref)
        if sees_reason and petition.return_reason_sealed else None,
        supporters=suppress(snapshot.supporters, uow.rules.min_count) if snapshot else None,
        snapshot_at=snapshot.taken_at if snapshot else None,
        signatures=suppress(petition.signatures, uow.rules.min_count)
        if petition.counted_at is not None else None,
        counted_at=petition.counted_at,
        next_count=next_count(uow, campaign),
        created_at=petition.created_at,
        opened_at=petition.opened_at,
        delivered_at=petition.delivered_at,
    )


def stage_is(petition: Petition, *stages: Stage) -> bool:
    return Stage(petition.stage) in stages
