"""From draft to open: two co-sponsors, then the liaisons approve or return it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import select

from campaigns.core.access import members_with_role, require_member, require_role, vault_of
from campaigns.core.clock import day_of
from campaigns.core.errors import OwnPetition, PetitionWrongStage, ReasonNeeded
from campaigns.core.inbox import alert_role, alert_roles, announce, notify
from campaigns.core.models import Campaign, Member, Role
from campaigns.core.privacy import Person
from campaigns.core.signatures import committed_once
from campaigns.core.unit_of_work import UnitOfWork
from petitions.models import Petition, PetitionApproval, PetitionSponsor, Stage
from petitions.records import (
    SPONSORS_NEEDED,
    PetitionView,
    approval_count,
    approvals_needed,
    describe,
    find_petition,
    sponsor_count,
    stage_is,
)

log = logging.getLogger("concerted.petitions")

REMIND_AFTER = timedelta(days=3)  # liaisons hear again about an item waiting this long
REASON_MAX = 500


@dataclass(frozen=True)
class Step:
    """Where a petition stands after someone acted on it; `repeated` if nothing changed."""

    petition: PetitionView
    repeated: bool = False
    no_liaisons: bool = False


def _remind_job(petition_id: int) -> str:
    return f"petition-remind:{petition_id}"


def _author(uow: UnitOfWork, petition: Petition) -> Member | None:
    return uow.session.get(Member, petition.author_id) if petition.author_id else None


def _vote(uow: UnitOfWork, model, petition: Petition, member: Member, when_field: str) -> bool:
    """Record a sponsorship or approval once; a double click or a retry finds it there."""
    exists = uow.session.exec(
        select(model.id).where(model.petition_id == petition.id, model.member_id == member.id)
    ).first()
    if exists is not None:
        return False
    uow.session.add(model(petition_id=petition.id, member_id=member.id,
                          **{when_field: day_of(uow.clock.now())}))
    uow.session.flush()
    return True


def sponsor_petition(uow: UnitOfWork, person: Person, ref: str) -> Step:
    """Co-sponsor someone else's draft; the second sponsor sends it to the liaisons."""

    def work() -> Step:
        petition, campaign = find_petition(uow, person, ref, lock=True)
        member = require_member(uow, campaign, person)
        if petition.author_id == member.id:
            raise OwnPetition(ref=petition.ref)
        if not stage_is(petition, Stage.DRAFT):
            raise PetitionWrongStage(ref=petition.ref, stage=petition.stage, action="sponsor")
        added = _vote(uow, PetitionSponsor, petition, member, "sponsored_at")
        no_liaisons = False
        if added and sponsor_count(uow, petition) >= SPONSORS_NEEDED:
            no_liaisons = _send_to_review(uow, campaign, petition)
        return Step(describe(uow, campaign, petition, member), not added, no_liaisons)

    return committed_once(uow, work)


def _send_to_review(uow: UnitOfWork, campaign: Campaign, petition: Petition) -> bool:
    now = uow.clock.now()
    # Stage times keep the day: to the second they would point at the sponsor or liaison
    # whose click moved it, among the member rows that sponsored or approved it.
    petition.stage, petition.review_at = Stage.REVIEW, day_of(now)
    uow.session.add(petition)
    told = alert_roles(uow, campaign, (Role.LIAISON,), "notices/petition_review.j2",
                       name=campaign.name, ref=petition.ref)
    if not told:
        # Nobody could approve it: the leads are the ones who can appoint a liaison.
        alert_roles(uow, campaign, (Role.LEAD,), "notices/petition_no_liaisons.j2",
                    name=campaign.name, ref=petition.ref)
    author = _author(uow, petition)
    if author is not None:
        notify(uow, campaign, author, "notices/petition_sponsored.j2", name=campaign.name,
               ref=petition.ref)
    uow.schedule(_remind_job(petition.id), now + REMIND_AFTER, remind_reviewers, petition.id)
    log.info("petition.in_review campaign=%s", petition.campaign_id)
    return told == 0


def approve_petition(uow: UnitOfWork, person: Person, ref: str) -> Step:
    """A liaison approves; two approvals (one if there is one liaison) open it for signing."""

    def work() -> Step:
        petition, campaign = find_petition(uow, person, ref, lock=True)
        member = require_member(uow, campaign, person)
        require_role(member, (Role.LIAISON,), "petition approve", campaign)
        if not stage_is(petition, Stage.REVIEW):
            raise PetitionWrongStage(ref=petition.ref, stage=petition.stage, action="approve")
        added = _vote(uow, PetitionApproval, petition, member, "approved_at")
        if added and approval_count(uow, petition) >= approvals_needed(uow, campaign):
            _open(uow, campaign, petition)
        return Step(describe(uow, campaign, petition, member), not added)

    return committed_once(uow, work)


def _open(uow: UnitOfWork, campaign: Campaign, petition: Petition) -> None:
    # From here on the sealed text is never written again: changes mean a new petition.
    petition.stage, petition.opened_at = Stage.OPEN, day_of(uow.clock.now())
    uow.session.add(petition)
    announce(uow, campaign, "notices/petition_open.j2", name=campaign.name, ref=petition.ref)
    uow.unschedule(_remind_job(petition.id))
    log.info("petition.opened campaign=%s", petition.campaign_id)


def return_petition(uow: UnitOfWork, person: Person, ref: str, reason: str | None) -> Step:
    """A liaison sends a petition back to its author with a reason; it cannot be edited."""
    reason = " ".join((reason or "").split())
    petition, campaign = find_petition(uow, person, ref, lock=True)
    member = require_member(uow, campaign, person)
    require_role(member, (Role.LIAISON,), "petition return", campaign)
    if not stage_is(petition, Stage.REVIEW):
        raise PetitionWrongStage(ref=petition.ref, stage=petition.stage, action="return")
    if not reason or len(reason) > REASON_MAX:
        raise ReasonNeeded(ref=petition.ref, limit=REASON_MAX, length=len(reason))
    petition.stage, petition.returned_at = Stage.RETURNED, day_of(uow.clock.now())
    petition.return_reason_sealed = vault_of(uow, campaign).seal(reason, "petition.return_reason",
                                                                     petition.ref)
    uow.session.add(petition)
    author = _author(uow, petition)
    if author is not None:
        notify(uow, campaign, author, "notices/petition_returned.j2", name=campaign.name,
               ref=petition.ref, reason=reason)
    uow.unschedule(_remind_job(petition.id))
    log.info("petition.returned campaign=%s", petition.campaign_id)
    uow.commit()
    return Step(describe(uow, campaign, petition, member))


def remind_reviewers(uow: UnitOfWork, petition_id: int) -> int:
    """Job: a petition still in review after three days is brought up again."""
    petition = uow.session.get(Petition, petition_id)
    if petition is None or not stage_is(petition, Stage.REVIEW):
        return 0
    campaign = uow.session.get(Campaign, petition.campaign_id)
    if campaign is None or campaign.archived_at is not None:
        return 0
    approved = set(uow.session.exec(
        select(PetitionApproval.member_id).where(PetitionApproval.petition_id == petition.id)
    ))
    waiting = [m for m in members_with_role(uow, campaign, Role.LIAISON) if m.id not in approved]
    for liaison in waiting:
        alert_role(uow, campaign, liaison, "notices/petition_waiting.j2", name=campaign.name,
                   ref=petition.ref, days=REMIND_AFTER.days)
    log.info("petition.reminded petition=%s liaisons=%d", petition.id, len(waiting))
    uow.commit()
    return len(waiting)
