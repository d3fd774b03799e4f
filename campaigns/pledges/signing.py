"""Pledge use cases: create, sign (anonymous, named or conditional), withdraw, status, signers.

Signing reuses the one signature mechanism (campaigns/core/signatures.py). Every
count shown comes from the pledge's last published count, taken with the
campaign's snapshots (campaigns/pledges/outcomes.py), never live.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from campaigns.core import signatures
from campaigns.core.access import find_campaign, membership, require_member, require_role, vault_of
from campaigns.core.errors import (
    BadValue,
    ConditionalTooLate,
    InviteNeeded,
    NoPledge,
    PledgeClosed,
    PledgeNotSigned,
    PledgeUndecided,
    TextMissing,
    TextTooLong,
)
from campaigns.core.inbox import announce
from campaigns.core.members import ensure_member
from campaigns.core.models import Campaign, Member, Role, Status
from campaigns.core.privacy import Person
from campaigns.core.schedule import next_count
from campaigns.core.signatures import Mode
from campaigns.core.suppression import Shown, suppress, threshold_target
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.pledges import introductions, quick
from campaigns.pledges.models import IntroductionPool, Pledge, PledgeState
from campaigns.pledges.outcomes import (
    SUBJECT,
    closed_for_signing,
    current_pledge,
    expire_pledge,
)

log = logging.getLogger("concerted.pledges")

TEXT_MAX = 500
USAGE = '/pledge create NAME --text "..." [--deadline 2027-01-31|14d]'


@dataclass(frozen=True)
class PledgeView:
    """A pledge as a person may see it: counts only as last published."""

    campaign: str
    text: str
    state: str
    deadline: datetime | None
    closed: bool
    supporters: Shown | None
    counted_at: datetime | None
    target: int | None
    reached_at: datetime | None
    release_at: datetime | None
    mine: str | None
    connected: bool
    next_count: datetime
    cooling_off: timedelta


@dataclass(frozen=True)
class SignedPledge:
    campaign: str
    mode: str
    previous: str | None
    state: str
    release_at: datetime | None
    next_count: datetime
    cooling_off: timedelta
    unlisted: bool = False  # their name was on the published list and left it now

    @property
    def repeated(self) -> bool:
        return self.previous == self.mode


@dataclass(frozen=True)
class Withdrawn:
    campaign: str
    state: str
    name_kept_back: bool  # a conditional name that will now never be released
    next_count: datetime | None
    unlisted: bool = False  # their name was on the published list and left it now


@dataclass(frozen=True)
class Signers:
    campaign: str
    state: str
    names: list[Person]
    others: Shown | None
    counted_at: datetime | None


def create_pledge(uow: UnitOfWork, person: Person, name: str, text: str | None,
                  deadline: datetime | None = None) -> PledgeView:
    """A lead opens the campaign's pledge: sealed text of at most 500 characters, an optional deadline."""
    text = (text or "").strip()
    if not text:
        raise TextMissing(what="pledge text", usage=USAGE)
    if len(text) > TEXT_MAX:
        raise TextTooLong(what="pledge text", limit=TEXT_MAX, length=len(text))
    now = uow.clock.now()
    if deadline is not None and deadline <= now:
        raise BadValue(field="deadline", value=deadline.date().isoformat(),
                       expected="future")
    campaign = find_campaign(uow, person, name)
    lead = require_member(uow, campaign, person)
    require_role(lead, (Role.LEAD,), "pledge create", campaign)
    existing = current_pledge(uow, campaign)
    if existing is not None and existing.state in (PledgeState.OPEN, PledgeState.REACHED):
        raise PledgeUndecided(name=campaign.name, state=existing.state)
    pledge = Pledge(campaign_id=campaign.id, deadline=deadline, created_at=now)
    uow.session.add(pledge)
    uow.session.flush()
    pledge.text_sealed = vault_of(uow, campaign).seal(text, "pledge.text", pledge.id)
    announce(uow, campaign, "notices/pledge_created.j2", name=campaign.name)
    if deadline is not None:
        uow.schedule(f"pledge-expiry:{pledge.id}", deadline, expire_pledge, pledge.id)
    uow.commit()
    log.info("pledge.created campaign=%s", campaign.id)
    return describe(uow, campaign, pledge, lead)


def sign_pledge(uow: UnitOfWork, person: Person, name: str, mode: Mode) -> SignedPledge:
    """Sign, or change one's own signature; one per person, whatever the retries (R6, R12)."""

    try:
        first = quick.first_signature(uow, person, name, mode)
    except IntegrityError:
        uow.rollback()  # the same person, signing at the same moment elsewhere, won: see below
        first = None
    if first is not None:
        return _first(uow, first, mode)

    def work() -> tuple[Campaign, Pledge, signatures.Signed, datetime]:
        campaign = find_campaign(uow, person, name)
        pledge = _pledge_of(uow, campaign, person)
        if closed_for_signing(pledge, uow.clock.now()):
            raise PledgeClosed(name=campaign.name, expired=pledge.state == PledgeState.EXPIRED)
        if mode == Mode.CONDITIONAL and pledge.state == PledgeState.RELEASED:
            raise ConditionalTooLate(name=campaign.name)
        member = ensure_member(uow, campaign, person)
        counted = next_count(uow, campaign)
        signed = signatures.sign(uow, vault_of(uow, campaign), member, person, SUBJECT,
                                 pledge.id, mode, counted)
        return campaign, pledge, signed, counted

    campaign, pledge, signed, counted = signatures.committed_once(uow, work)
    log.info("pledge.signed campaign=%s", campaign.id)
    return SignedPledge(campaign.name, signed.mode.value,
                        signed.previous.value if signed.previous else None, pledge.state,
                        pledge.release_at, counted, uow.rules.cooling_off, signed.unlisted)


def sign_first_pledges(uow: UnitOfWork, asks: Sequence[quick.Ask],
                       before_commit: Callable[[list[int]], None] = lambda signed: None,
                       ) -> list[tuple[SignedPledge, tuple[str | None, str | None]] | None]:
    """First signatures of several people at once, in one transaction and one commit; each
    answer with its campaign's language and time zone (None: the deployment's). None for every ask that is not such a
    plain first signature: nothing was written for it, and `sign_pledge` answers it.

    `before_commit` is given the positions of the asks signed, before the commit.
    """
    firsts = quick.first_signatures(uow, asks)
    before_commit([i for i, first in enumerate(firsts) if first is not None])
    uow.commit()
    return [None if first is None else (_first(uow, first, ask.mode),
                                        (first.language, first.timezone))
            for ask, first in zip(asks, firsts, strict=True)]


def _first(uow: UnitOfWork, first: quick.QuickSigned, mode: Mode) -> SignedPledge:
    log.info("pledge.signed campaign=%s", first.campaign_id)
    return SignedPledge(first.campaign, mode.value, None, first.state, first.release_at,
                        first.next_count, uow.rules.cooling_off)


def withdraw_from_pledge(uow: UnitOfWork, person: Person, name: str) -> Withdrawn:
    """Remove one's signature, sealed name and all, and leave the introduction pool."""
    campaign = find_campaign(uow, person, name)
    pledge = _pledge_of(uow, campaign, person)
    member = membership(uow, campaign, person)
    row = signatures.current(uow, SUBJECT, pledge.id, member) if member else None
    if row is None:
        raise PledgeNotSigned(name=campaign.name, action="withdraw",
                              expired=pledge.state == PledgeState.EXPIRED)
    kept_back = (row.mode == Mode.CONDITIONAL and row.released_at is None
                 and pledge.state == PledgeState.REACHED)
    unlisted = row.listed_at is not None
    signatures.withdraw(uow, SUBJECT, pledge.id, member)
    introductions.leave_pool(uow, campaign, pledge, member)
    uow.commit()
    log.info("pledge.withdrawn campaign=%s", campaign.id)
    return Withdrawn(campaign.name, pledge.state, kept_back, next_count(uow, campaign), unlisted)


def pledge_status(uow: UnitOfWork, person: Person, name: str) -> PledgeView:
    """The pledge's text, deadline, state and published count, and the asker's own signature."""
    campaign = find_campaign(uow, person, name)
    member = membership(uow, campaign, person)
    active = member if member is not None and member.status == Status.ACTIVE else None
    if campaign.private and active is None:
        raise InviteNeeded(name=campaign.name)
    return describe(uow, campaign, _pledge_of(uow, campaign, person), active)


def list_signers(uow: UnitOfWork, person: Person, name: str) -> Signers:
    """Named and released signers as listed by the last snapshot, less any who took their name
    back since; a count of the rest from the same snapshot."""
    campaign = find_campaign(uow, person, name)
    require_member(uow, campaign, person)
    pledge = _pledge_of(uow, campaign, person)
    names = signatures.listed_names(uow, vault_of(uow, campaign), SUBJECT, pledge.id)
    others = None
    if pledge.counted_at is not None:
        others = suppress(max(pledge.supporters - pledge.named, 0), uow.rules.min_count)
    return Signers(campaign.name, pledge.state, names, others, pledge.counted_at)


def describe(uow: UnitOfWork, campaign: Campaign, pledge: Pledge,
             member: Member | None) -> PledgeView:
    """The pledge as `member` (or a visitor of an open campaign) may see it."""
    headcount = campaign.headcount
    mine = connected = None
    if member is not None:
        row = signatures.current(uow, SUBJECT, pledge.id, member)
        mine = row.mode if row else None
        connected = uow.session.exec(
            select(IntroductionPool.id).where(IntroductionPool.pledge_id == pledge.id,
                                              IntroductionPool.member_id == member.id)
        ).first()
    return PledgeView(
        campaign=campaign.name,
        text=vault_of(uow, campaign).open(pledge.text_sealed, "pledge.text", pledge.id),
        state=pledge.state,
        deadline=pledge.deadline,
        closed=closed_for_signing(pledge, uow.clock.now()),
        supporters=suppress(pledge.supporters, uow.rules.min_count)
        if pledge.counted_at else None,
        counted_at=pledge.counted_at,
        target=threshold_target(headcount, campaign.threshold_percent) if headcount else None,
        reached_at=pledge.reached_at,
        release_at=pledge.release_at,
        mine=mine,
        connected=connected is not None,
        next_count=next_count(uow, campaign),
        cooling_off=uow.rules.cooling_off,
    )


def _pledge_of(uow: UnitOfWork, campaign: Campaign, person: Person) -> Pledge:
    pledge = current_pledge(uow, campaign)
    if pledge is None:
        member = membership(uow, campaign, person)
        raise NoPledge(name=campaign.name, lead=member is not None and member.role == Role.LEAD)
    return pledge
