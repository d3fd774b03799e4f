"""Delivering a petition: a lead asks, a second lead or a liaison confirms, the letter goes.

Delivery discloses the consenting names and a count to the addressee, so it
takes two people. The letter files are written before the commit and removed
if the commit fails: an acknowledged delivery has its letter, a failed one
leaves nothing behind.
"""

from __future__ import annotations

import logging
from contextlib import suppress as ignored
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import select

from campaigns.core import signatures
from campaigns.core.access import latest_snapshot, members_with_role, require_member, vault_of
from campaigns.core.clock import day_of
from campaigns.core.errors import DeliveryNeedsTwo, NotAllowed, PetitionWrongStage, Unreadable
from campaigns.core.inbox import alert_role, notify
from campaigns.core.models import Campaign, Member, Role
from campaigns.core.privacy import Person
from campaigns.core.suppression import Shown, suppress
from campaigns.core.unit_of_work import UnitOfWork
from petitions.letters import Letter, LetterWriter
from petitions.models import SUBJECT, Petition, PetitionDelivery, PetitionSponsor, Stage
from petitions.records import (
    PetitionView,
    describe,
    find_petition,
    read_text,
    stage_is,
)
from petitions.signing import release_job_id, watch_job_id

REQUEST = "petition_delivery.request"
log = logging.getLogger("concerted.petitions")


@dataclass(frozen=True)
class DeliveryStep:
    """Either a request waiting for a second person, or a delivered letter and its files."""

    petition: PetitionView
    delivered: bool
    files: tuple[Path, ...] = ()
    signers: Shown | None = None  # the count as the letter states it
    named: int = 0


def compose_letter(uow: UnitOfWork, campaign: Campaign, petition: Petition) -> Letter:
    """The letter as it stands now: the count suppressed below k, only consenting names."""
    vault = vault_of(uow, campaign)
    text = read_text(vault, petition)
    count = sum(signatures.tally(uow, SUBJECT, petition.id).values())
    shown = suppress(count, uow.rules.min_count)
    snapshot = latest_snapshot(uow, campaign)
    headcount = snapshot.headcount if snapshot and snapshot.headcount else campaign.headcount
    # A share of a hidden count would give the count away.
    percent = count * 100 / headcount if headcount and not shown.suppressed else None
    names = tuple(signatures.visible_names(uow, vault, SUBJECT, petition.id))
    return Letter(petition.ref, text.title, text.addressee, text.points, text.ask, shown,
                  percent, names, uow.clock.now(), campaign.language, campaign.timezone)


def deliver_petition(uow: UnitOfWork, person: Person, ref: str,
                     write_letter: LetterWriter) -> DeliveryStep:
    """A lead starts a delivery; a different lead or a liaison running it too delivers."""
    petition, campaign = find_petition(uow, person, ref, lock=True)
    member = require_member(uow, campaign, person)
    _require_deliverer(member, campaign)
    if not stage_is(petition, Stage.OPEN):
        raise PetitionWrongStage(ref=petition.ref, stage=petition.stage, action="deliver")
    pending = uow.session.exec(
        select(PetitionDelivery).where(PetitionDelivery.petition_id == petition.id)
    ).first()
    if pending is None:
        return _request(uow, campaign, petition, member)
    if pending.requested_by == member.id:
        raise DeliveryNeedsTwo(ref=petition.ref, started_by_you=True)
    if not _genuine_request(uow, campaign, petition, pending):
        # A request slipped into the database without the key: disclosure still takes two.
        raise Unreadable()
    return _confirm(uow, campaign, petition, member, pending, write_letter)


def _require_deliverer(member: Member, campaign: Campaign) -> None:
    if member.role not in (Role.LEAD, Role.LIAISON):
        raise NotAllowed(action="petition deliver", needed=["lead", "liaison"],
                         name=campaign.name)


def _request(uow: UnitOfWork, campaign: Campaign, petition: Petition,
             member: Member) -> DeliveryStep:
    if member.role != Role.LEAD:
        raise DeliveryNeedsTwo(ref=petition.ref, started_by_you=False)
    uow.session.add(PetitionDelivery(
        petition_id=petition.id, requested_by=member.id, requested_at=day_of(uow.clock.now()),
        request_mac=vault_of(uow, campaign).mac(REQUEST, petition.ref, member.member_ref)))
    for other in members_with_role(uow, campaign, Role.LEAD, Role.LIAISON):
        if other.id != member.id:
            alert_role(uow, campaign, other, "notices/petition_delivery_asked.j2",
                       name=campaign.name, ref=petition.ref)
    log.info("petition.delivery_requested campaign=%s", petition.campaign_id)
    uow.commit()
    return DeliveryStep(describe(uow, campaign, petition, member), delivered=False)


def _genuine_request(uow: UnitOfWork, campaign: Campaign, petition: Petition,
                     pending: PetitionDelivery) -> bool:
    lead = uow.session.get(Member, pending.requested_by)
    return (lead is not None and lead.role == Role.LEAD
            and vault_of(uow, campaign).verify(pending.request_mac, REQUEST, petition.ref,
                                               lead.member_ref))


def _confirm(uow: UnitOfWork, campaign: Campaign, petition: Petition, member: Member,
             pending: PetitionDelivery, write_letter: LetterWriter) -> DeliveryStep:
    letter = compose_letter(uow, campaign, petition)
    now = uow.clock.now()
    pending.confirmed_by, pending.confirmed_at = member.id, day_of(now)
    petition.stage, petition.delivered_at = Stage.DELIVERED, day_of(now)
    uow.session.add_all([pending, petition])
    # Names that were never released are never shown now: destroy them, keep the count.
    signatures.destroy_sealed_names(uow, SUBJECT, petition.id)
    for told in _people_to_tell(uow, petition, member):
        notify(uow, campaign, told, "notices/petition_delivered.j2", name=campaign.name,
               ref=petition.ref)
    uow.unschedule(watch_job_id(petition.id))
    uow.unschedule(release_job_id(petition.id))
    files = write_letter(letter)
    try:
        uow.commit()
    except Exception:
        for path in files:
            with ignored(OSError):
                path.unlink()
        raise
    log.info("petition.delivered campaign=%s", petition.campaign_id)
    return DeliveryStep(describe(uow, campaign, petition, member), delivered=True, files=files,
                        signers=letter.signers, named=len(letter.names))


def _people_to_tell(uow: UnitOfWork, petition: Petition, confirmer: Member) -> list[Member]:
    """Signers, the author, the sponsors and the requesting lead: each once."""
    people = {m.id: m for m in signatures.signer_members(uow, SUBJECT, petition.id)}
    extra_ids = set(uow.session.exec(
        select(PetitionSponsor.member_id).where(PetitionSponsor.petition_id == petition.id)
    ))
    extra_ids |= {petition.author_id} - {None}
    extra_ids |= set(uow.session.exec(
        select(PetitionDelivery.requested_by).where(PetitionDelivery.petition_id == petition.id)
    ))
    for member_id in extra_ids - set(people):
        found = uow.session.get(Member, member_id)
        if found is not None:
            people[member_id] = found
    people.pop(confirmer.id, None)
    return list(people.values())
