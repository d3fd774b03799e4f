"""Reading petitions: one by its id, or the ones of a campaign a person may see."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import or_, select

from campaigns.core.access import find_campaign
from campaigns.core.models import Role
from campaigns.core.privacy import Person
from campaigns.core.unit_of_work import UnitOfWork
from petitions.models import Petition, PetitionSponsor, Stage
from petitions.records import PetitionView, describe, find_petition, visible_to

# Everyone sees what is open or delivered; drafts travel by their id, from the author.
PUBLIC = (Stage.OPEN, Stage.DELIVERED)


@dataclass(frozen=True)
class PetitionList:
    campaign: str
    petitions: list[PetitionView]


def show_petition(uow: UnitOfWork, person: Person, ref: str) -> PetitionView:
    """A petition's text and stage, for anyone in its workspace who may see the campaign."""
    petition, campaign = find_petition(uow, person, ref)
    member = visible_to(uow, campaign, person)
    return describe(uow, campaign, petition, member)


def list_petitions(uow: UnitOfWork, person: Person, name: str) -> PetitionList:
    """Open and delivered petitions, plus one's own and sponsored drafts, and for liaisons
    the ones in review."""
    campaign = find_campaign(uow, person, name)
    member = visible_to(uow, campaign, person)
    seen = Petition.stage.in_([s.value for s in PUBLIC])
    if member is not None:
        sponsored = select(PetitionSponsor.petition_id).where(
            PetitionSponsor.member_id == member.id
        )
        seen = or_(seen, Petition.author_id == member.id, Petition.id.in_(sponsored))
        if member.role == Role.LIAISON:
            seen = or_(seen, Petition.stage == Stage.REVIEW)
    rows = uow.session.exec(
        select(Petition).where(Petition.campaign_id == campaign.id, seen)
        .order_by(Petition.created_at.desc(), Petition.id.desc())
    ).all()
    return PetitionList(campaign.name, [describe(uow, campaign, row, member) for row in rows])
