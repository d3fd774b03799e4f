"""Signing an open petition through the signature mechanism pledges use.

Conditional names stay sealed until the campaign's threshold is reached and
each signer has had the cooling-off window to withdraw. Two kinds of job do
that: one watches for the threshold after each published count, one releases
the names whose window has passed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import select

from campaigns.core import signatures
from campaigns.core.access import require_member, vault_of
from campaigns.core.errors import NotSigned, PetitionWrongStage
from campaigns.core.inbox import notify
from campaigns.core.members import ensure_member
from campaigns.core.models import Campaign, Member, Milestone, Signature, Snapshot
from campaigns.core.privacy import Person
from campaigns.core.schedule import next_count
from campaigns.core.signatures import Mode, Signed
from campaigns.core.unit_of_work import UnitOfWork
from petitions.models import SUBJECT, Petition, Stage
from petitions.records import PetitionView, describe, find_petition, stage_is

log = logging.getLogger("concerted.petitions")

# The watch runs a little after the snapshot it waits for, so it reads that snapshot's result.
_AFTER_SNAPSHOT = timedelta(minutes=1)


@dataclass(frozen=True)
class PetitionSigned:
    petition: PetitionView
    signed: Signed
    next_count: datetime  # when the published count will include this signature
    threshold_reached: bool
    named_from: datetime | None  # a conditional name's release, once the threshold is reached


def on_snapshot(uow: UnitOfWork, campaign: Campaign, snapshot: Snapshot) -> None:
    """Publish each open petition's signatures with the campaign's snapshot (wired by the runtime)."""
    counted = (
        select(func.count(Signature.id))
        .where(Signature.subject == SUBJECT, Signature.subject_id == Petition.id)
        .scalar_subquery()
    )
    uow.session.flush()
    uow.session.execute(
        update(Petition)
        .where(Petition.campaign_id == campaign.id, Petition.stage == Stage.OPEN)
        .values(signatures=counted, counted_at=snapshot.taken_at)
        .execution_options(synchronize_session=False)
    )


def threshold_reached_at(uow: UnitOfWork, campaign: Campaign) -> datetime | None:
    """When the campaign's threshold milestone was first reached, if it has been."""
    milestones = uow.session.exec(
        select(Milestone).where(Milestone.campaign_id == campaign.id).order_by(Milestone.percent)
    ).all()
    exact = [m for m in milestones if m.percent == campaign.threshold_percent]
    chosen = exact[0] if exact else (milestones[0] if milestones else None)
    return chosen.reached_at if chosen else None


def sign_petition(uow: UnitOfWork, person: Person, ref: str, mode: Mode) -> PetitionSigned:
    """Sign (or change how one signs) an open petition; signing an open campaign joins it."""

    def work() -> PetitionSigned:
        petition, campaign = find_petition(uow, person, ref)
        if not stage_is(petition, Stage.OPEN):
            raise PetitionWrongStage(ref=petition.ref, stage=petition.stage, action="sign")
        member = ensure_member(uow, campaign, person)
        counted = next_count(uow, campaign)
        signed = signatures.sign(uow, vault_of(uow, campaign), member, person, SUBJECT,
                                 petition.id, mode, counted)
        reached = threshold_reached_at(uow, campaign)
        row = signatures.current(uow, SUBJECT, petition.id, member)
        named_from = None
        if mode == Mode.CONDITIONAL and reached is None:
            uow.schedule(watch_job_id(petition.id), counted + _AFTER_SNAPSHOT, watch_threshold,
                 petition.id)
        elif mode == Mode.CONDITIONAL:
            # Signed after the threshold: this signer still gets a whole cooling-off window.
            named_from = max(reached, signed_by(row)) + uow.rules.cooling_off
            uow.schedule(f"{release_job_id(petition.id)}:{named_from:%Y%m%d%H%M}", named_from,
                 release_petition_names, petition.id)
        log.info("petition.signed campaign=%s", campaign.id)
        return PetitionSigned(describe(uow, campaign, petition, member), signed, counted,
                              reached is not None, named_from)

    return signatures.committed_once(uow, work)


def withdraw_petition(uow: UnitOfWork, person: Person, ref: str) -> PetitionView:
    """Take one's signature back, sealed name and all; possible until the petition is delivered.

    The published count drops with the next snapshot, which the reply names.
    """
    petition, campaign = find_petition(uow, person, ref)
    member = require_member(uow, campaign, person)
    if stage_is(petition, Stage.DELIVERED):
        raise PetitionWrongStage(ref=petition.ref, stage=petition.stage, action="withdraw")
    if not signatures.withdraw(uow, SUBJECT, petition.id, member):
        raise NotSigned(ref=petition.ref)
    log.info("petition.withdrawn campaign=%s", campaign.id)
    uow.commit()
    return describe(uow, campaign, petition, member)


def signed_by(signature: Signature) -> datetime:
    """The latest moment the signature can have been made: `signed_at` is kept as that bound."""
    return signature.signed_at


def watch_job_id(petition_id: int) -> str:
    """The job that waits for the threshold on behalf of a petition's conditional signers."""
    return f"petition-watch:{petition_id}"


def release_job_id(petition_id: int) -> str:
    """The job that releases a petition's conditional names after the cooling-off window."""
    return f"petition-release:{petition_id}"


def _open_petition(uow: UnitOfWork, petition_id: int) -> tuple[Petition, Campaign] | None:
    petition = uow.session.get(Petition, petition_id)
    if petition is None or not stage_is(petition, Stage.OPEN):
        return None
    campaign = uow.session.get(Campaign, petition.campaign_id)
    if campaign is None or campaign.archived_at is not None:
        return None
    return petition, campaign


def _sealed_conditional(uow: UnitOfWork, petition: Petition) -> list[tuple[Signature, Member]]:
    return list(uow.session.exec(
        select(Signature, Member)
        .join(Member, Member.id == Signature.member_id)
        .where(Signature.subject == SUBJECT, Signature.subject_id == petition.id,
               Signature.mode == Mode.CONDITIONAL, Signature.released_at.is_(None))
        .order_by(Signature.id)
    ))


def watch_threshold(uow: UnitOfWork, petition_id: int) -> int:
    """Job: once the threshold is reached, warn conditional signers and plan the release.

    Until then it looks again after each snapshot. Returns how many signers were warned.
    """
    found = _open_petition(uow, petition_id)
    if found is None:
        return 0
    petition, campaign = found
    pending = _sealed_conditional(uow, petition)
    if not pending:
        return 0
    reached = threshold_reached_at(uow, campaign)
    if reached is None:
        uow.schedule(watch_job_id(petition.id), next_count(uow, campaign) + _AFTER_SNAPSHOT,
             watch_threshold, petition.id)
        uow.commit()
        return 0
    release_at = reached + uow.rules.cooling_off
    for signature, member in pending:
        until = max(release_at, signed_by(signature) + uow.rules.cooling_off)
        # Notice parameters are sealed as JSON, so the moment travels as text.
        notify(uow, campaign, member, "notices/petition_cooling_off.j2", name=campaign.name,
               ref=petition.ref, until=f"{until:%Y-%m-%d %H:%M} UTC")
    uow.schedule(release_job_id(petition.id), release_at, release_petition_names, petition.id)
    uow.commit()
    log.info("petition.threshold_seen petition=%s warned=%d", petition.id, len(pending))
    return len(pending)


def release_petition_names(uow: UnitOfWork, petition_id: int) -> int:
    """Job: conditional names whose cooling-off window has passed may now be shown. Never undone."""
    found = _open_petition(uow, petition_id)
    if found is None:
        return 0
    petition, campaign = found
    reached = threshold_reached_at(uow, campaign)
    if reached is None:
        return 0
    now, window = uow.clock.now(), uow.rules.cooling_off
    if now < reached + window:
        return 0
    due = [(s, m) for s, m in _sealed_conditional(uow, petition) if signed_by(s) + window <= now]
    if due:
        signatures.release_conditional(uow, vault_of(uow, campaign), SUBJECT, petition.id, now,
                                       only={s.id for s, _ in due})
    for _, member in due:
        notify(uow, campaign, member, "notices/petition_named.j2", name=campaign.name,
               ref=petition.ref)
    uow.commit()
    log.info("petition.names_released petition=%s count=%d", petition.id, len(due))
    return len(due)
