"""Introductions between co-signers by consent: nobody learns who anyone is until both say yes.

A signer joins the pool of a pledge, for their own team or anywhere. When
another pooled signer fits, the bot offers the two an introduction under a
random reference; each accepts or declines in private. Only when both have
accepted does each learn who the other is. A decline reveals nothing, and no
pair is ever offered twice.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import select

from campaigns.core.access import (
    find_campaign,
    in_workspace,
    looks_like_ref,
    membership,
    require_member,
    vault_of,
)
from campaigns.core.clock import day_of
from campaigns.core.contacts import open_contact
from campaigns.core.errors import (
    IntroductionOver,
    NoPledge,
    NotFound,
    PledgeClosed,
    PledgeNotSigned,
    TeamNeeded,
    Unreadable,
)
from campaigns.core.inbox import notify
from campaigns.core.models import Campaign, Member, Status
from campaigns.core.privacy import CampaignVault, Person
from campaigns.core.signatures import committed_once, current
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.pledges.models import (
    Introduction,
    IntroductionPool,
    IntroductionStatus,
    Pledge,
    PledgeState,
)
from campaigns.pledges.outcomes import SUBJECT, current_pledge

CONSENT = "introduction.consent"
log = logging.getLogger("concerted.introductions")

# No 0/O or 1/I: references are read off a screen and typed back.
_REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_REF_LENGTH = 6


@dataclass(frozen=True)
class Pooled:
    """The asker's place in the pool, and the introduction offered now, if any."""

    campaign: str
    team_only: bool
    offered: str | None
    was_pooled: bool


@dataclass(frozen=True)
class PoolLeft:
    campaign: str
    was_pooled: bool
    cancelled: int


@dataclass(frozen=True)
class Answer:
    """Where an introduction stands after the asker's answer; `other` only once both accepted."""

    campaign: str
    ref: str
    status: str
    other: Person | None = None
    repeated: bool = False


def join_pool(uow: UnitOfWork, person: Person, name: str, team_only: bool) -> Pooled:
    """Ask to meet other signers of the campaign's pledge; offer one introduction if someone fits."""

    def work() -> Pooled:
        campaign = find_campaign(uow, person, name)
        member = require_member(uow, campaign, person)
        pledge = _signed_pledge(uow, campaign, member, "connect")
        if team_only and member.team_id is None:
            raise TeamNeeded(name=campaign.name)
        entry = _entry(uow, pledge, member)
        was_pooled = entry is not None
        if entry is None:
            entry = IntroductionPool(campaign_id=campaign.id, pledge_id=pledge.id,
                                     member_id=member.id, joined_at=day_of(uow.clock.now()))
        entry.team_only = team_only
        uow.session.add(entry)
        uow.session.flush()
        other = _match(uow, pledge, member, team_only)
        offered = _offer(uow, campaign, pledge, member, other) if other else None
        return Pooled(campaign.name, team_only, offered, was_pooled)

    return committed_once(uow, work)


def leave_introductions(uow: UnitOfWork, person: Person, name: str) -> PoolLeft:
    """Leave the pool at any time; introductions still waiting for an answer are called off."""
    campaign = find_campaign(uow, person, name)
    member = require_member(uow, campaign, person)
    pledge = current_pledge(uow, campaign)
    if pledge is None:
        raise NoPledge(name=campaign.name, lead=False)
    was_pooled = _entry(uow, pledge, member) is not None
    cancelled = leave_pool(uow, campaign, pledge, member)
    uow.commit()
    return PoolLeft(campaign.name, was_pooled, cancelled)


def leave_pool(uow: UnitOfWork, campaign: Campaign, pledge: Pledge, member: Member) -> int:
    """Take the member out of the pool and call off their pending introductions (no commit)."""
    entry = _entry(uow, pledge, member)
    if entry is not None:
        uow.session.delete(entry)
    pending = uow.session.exec(
        select(Introduction).where(
            Introduction.pledge_id == pledge.id,
            Introduction.status == IntroductionStatus.PENDING,
            or_(Introduction.requester_id == member.id, Introduction.other_id == member.id),
        )
    ).all()
    for intro in pending:
        _close(uow, campaign, intro, IntroductionStatus.CANCELLED, member)
    uow.session.flush()
    return len(pending)


def accept_introduction(uow: UnitOfWork, person: Person, ref: str) -> Answer:
    """Say yes; when the other side has too, each is told who the other is."""
    intro, campaign, member = _find(uow, person, ref)
    if intro.status in (IntroductionStatus.DECLINED, IntroductionStatus.CANCELLED):
        raise IntroductionOver(ref=intro.ref, status=intro.status)
    vault = vault_of(uow, campaign)
    if not vault.verify(intro.consent_mac, CONSENT, intro.ref, *_consent(intro)):
        # Consent set in the database without the key: nobody is introduced.
        raise Unreadable()
    other = uow.session.get(Member, _other_id(intro, member))
    if intro.status == IntroductionStatus.MADE:
        return Answer(campaign.name, intro.ref, intro.status,
                      open_contact(vault, other), repeated=True)
    mine = "requester_accepted" if intro.requester_id == member.id else "other_accepted"
    repeated = getattr(intro, mine)
    setattr(intro, mine, True)
    shown = None
    if intro.requester_accepted and intro.other_accepted:
        intro.status, intro.decided_at = IntroductionStatus.MADE, day_of(uow.clock.now())
        shown = open_contact(vault, other)
        notify(uow, campaign, other, "notices/pledge_intro_made.j2", name=campaign.name,
               ref=intro.ref, other=person.identity)
    _sign_consent(vault, intro)
    uow.session.add(intro)
    uow.commit()
    log.info("introduction.accepted campaign=%s", campaign.id)
    return Answer(campaign.name, intro.ref, intro.status, shown, repeated)


def decline_introduction(uow: UnitOfWork, person: Person, ref: str) -> Answer:
    """Say no: the other side hears only that it will not happen, never who said no."""
    intro, campaign, member = _find(uow, person, ref)
    if intro.status != IntroductionStatus.PENDING:
        raise IntroductionOver(ref=intro.ref, status=intro.status)
    _close(uow, campaign, intro, IntroductionStatus.DECLINED, member)
    uow.commit()
    log.info("introduction.declined campaign=%s", campaign.id)
    return Answer(campaign.name, intro.ref, intro.status)


def _signed_pledge(uow: UnitOfWork, campaign: Campaign, member: Member, action: str) -> Pledge:
    pledge = current_pledge(uow, campaign)
    if pledge is None:
        raise NoPledge(name=campaign.name, lead=False)
    if pledge.state == PledgeState.EXPIRED:
        raise PledgeClosed(name=campaign.name, expired=True)
    if current(uow, SUBJECT, pledge.id, member) is None:
        raise PledgeNotSigned(name=campaign.name, action=action, expired=False)
    return pledge


def _entry(uow: UnitOfWork, pledge: Pledge, member: Member) -> IntroductionPool | None:
    return uow.session.exec(
        select(IntroductionPool).where(IntroductionPool.pledge_id == pledge.id,
                                       IntroductionPool.member_id == member.id)
    ).first()


def _match(uow: UnitOfWork, pledge: Pledge, member: Member, team_only: bool) -> Member | None:
    """The longest-waiting pooled signer this member was never offered, in a team both accept."""
    met = set()
    for requester_id, other_id in uow.session.exec(
        select(Introduction.requester_id, Introduction.other_id).where(
            Introduction.campaign_id == member.campaign_id,
            or_(Introduction.requester_id == member.id, Introduction.other_id == member.id),
        )
    ):
        met.update((requester_id, other_id))
    for entry, other in uow.session.exec(
        select(IntroductionPool, Member)
        .join(Member, Member.id == IntroductionPool.member_id)
        .where(IntroductionPool.pledge_id == pledge.id, IntroductionPool.member_id != member.id,
               Member.status == Status.ACTIVE)
        .order_by(IntroductionPool.joined_at, IntroductionPool.id)
    ):
        if other.id in met:
            continue
        if (team_only or entry.team_only) and (
            member.team_id is None or other.team_id != member.team_id
        ):
            continue
        return other
    return None


def _offer(uow: UnitOfWork, campaign: Campaign, pledge: Pledge, member: Member,
           other: Member) -> str:
    ref = _new_ref(uow)
    intro = Introduction(campaign_id=campaign.id, pledge_id=pledge.id, ref=ref,
                         requester_id=member.id, other_id=other.id,
                         created_at=day_of(uow.clock.now()))
    _sign_consent(vault_of(uow, campaign), intro)
    uow.session.add(intro)
    uow.session.flush()
    notify(uow, campaign, other, "notices/pledge_intro_request.j2", name=campaign.name, ref=ref)
    log.info("introduction.offered campaign=%s", campaign.id)
    return ref


def _new_ref(uow: UnitOfWork) -> str:
    while True:
        ref = "I-" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(_REF_LENGTH))
        if uow.session.exec(select(Introduction.id).where(Introduction.ref == ref)).first() is None:
            return ref


def _find(uow: UnitOfWork, person: Person, ref: str) -> tuple[Introduction, Campaign, Member]:
    """The introduction `ref`, only if the asker is one of its two sides."""
    wanted = (ref or "").strip().upper()
    if not wanted.startswith("I-"):
        wanted = "I-" + wanted
    if not looks_like_ref(wanted, "I"):
        raise NotFound(what="introduction", ref=ref)
    intro = uow.session.exec(select(Introduction).where(Introduction.ref == wanted)).first()
    campaign = uow.session.get(Campaign, intro.campaign_id) if intro else None
    if not in_workspace(uow, person, campaign):
        raise NotFound(what="introduction", ref=ref)
    member = membership(uow, campaign, person)
    if member is None or member.id not in (intro.requester_id, intro.other_id):
        raise NotFound(what="introduction", ref=ref)
    return intro, campaign, member


def _consent(intro: Introduction) -> tuple[object, ...]:
    return (intro.requester_id, intro.other_id, intro.requester_accepted, intro.other_accepted,
            intro.status)


def _sign_consent(vault: CampaignVault, intro: Introduction) -> None:
    """MAC the answers and status: only the key can turn a "no" or a "not yet" into a "yes"."""
    intro.consent_mac = vault.mac(CONSENT, intro.ref, *_consent(intro))


def _other_id(intro: Introduction, member: Member) -> int:
    return intro.other_id if intro.requester_id == member.id else intro.requester_id


def _close(uow: UnitOfWork, campaign: Campaign, intro: Introduction, status: str,
           by: Member) -> None:
    intro.status, intro.decided_at = status, day_of(uow.clock.now())
    _sign_consent(vault_of(uow, campaign), intro)
    uow.session.add(intro)
    other = uow.session.get(Member, _other_id(intro, by))
    if other is not None:
        notify(uow, campaign, other, "notices/pledge_intro_closed.j2", name=campaign.name,
               ref=intro.ref)
