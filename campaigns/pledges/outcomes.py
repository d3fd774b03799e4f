"""What happens to a pledge on schedule: counts at each snapshot, the threshold, release, expiry.

Nobody wants to go first (docs/ORGANIZING.md): the threshold is judged on
published counts only, is announced once and never undone; conditional names
wait out a cooling-off window before they are shown; if the deadline comes
first the names are destroyed and the count stays.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import case, delete, func, or_
from sqlmodel import select

from campaigns.core.access import vault_of
from campaigns.core.inbox import announce, announce_to_signers, notify
from campaigns.core.models import Campaign, Signature, Snapshot
from campaigns.core.signatures import (
    Mode,
    erase,
    list_names,
    release_conditional,
    signer_members,
)
from campaigns.core.suppression import suppress, threshold_target
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.pledges.models import Introduction, IntroductionPool, Pledge, PledgeState

log = logging.getLogger("concerted.pledges")

SUBJECT = "pledge"


def current_pledge(uow: UnitOfWork, campaign: Campaign) -> Pledge | None:
    """The campaign's newest pledge: the one `/pledge … NAME` is about."""
    return uow.session.exec(
        select(Pledge).where(Pledge.campaign_id == campaign.id).order_by(Pledge.id.desc()).limit(1)
    ).first()


def closed_for_signing(pledge: Pledge, now: datetime) -> bool:
    """No more signatures: it expired, or its deadline has passed (even after success)."""
    return pledge.state == PledgeState.EXPIRED or (
        pledge.deadline is not None and now >= pledge.deadline
    )


def recount(uow: UnitOfWork, pledge: Pledge, when: datetime) -> None:
    """Publish the pledge's counts and its list of names as of `when`; only scheduled events
    call this, never a signer, so the names and the totals always come from the same moment."""
    shown = or_(Signature.mode == Mode.NAMED,
                (Signature.mode == Mode.CONDITIONAL) & Signature.released_at.is_not(None))
    waiting = shown & Signature.listed_at.is_(None) & Signature.name_sealed.is_not(None)
    # One pass over the pledge's signatures for all three figures (bench/threshold.py).
    total, named, unlisted = uow.session.exec(
        select(func.count(Signature.id),
               func.coalesce(func.sum(case((shown, 1), else_=0)), 0),
               func.coalesce(func.sum(case((waiting, 1), else_=0)), 0))
        .where(Signature.subject == SUBJECT, Signature.subject_id == pledge.id)
    ).one()
    if unlisted:
        list_names(uow, SUBJECT, pledge.id, when)
    pledge.supporters, pledge.named, pledge.counted_at = total, named, when
    uow.session.add(pledge)


def on_snapshot(uow: UnitOfWork, campaign: Campaign, snapshot: Snapshot) -> None:
    """Count the current pledge with the snapshot; the first count at the threshold reaches it."""
    pledge = current_pledge(uow, campaign)
    if pledge is None or pledge.state == PledgeState.EXPIRED:
        return
    recount(uow, pledge, snapshot.taken_at)
    if pledge.state != PledgeState.OPEN or not snapshot.headcount:
        return
    if pledge.deadline is not None and snapshot.taken_at >= pledge.deadline:
        return  # too late: the expiry job decides
    target = threshold_target(snapshot.headcount, campaign.threshold_percent)
    if pledge.supporters < target:
        return
    pledge.state = PledgeState.REACHED
    pledge.reached_at = snapshot.taken_at
    pledge.release_at = snapshot.taken_at + uow.rules.cooling_off
    uow.session.add(pledge)
    _announce_reached(uow, campaign, pledge, target)
    uow.schedule(f"pledge-release:{pledge.id}", pledge.release_at, release_names, pledge.id)
    log.info("pledge.reached pledge=%s", pledge.id)


def _announce_reached(uow: UnitOfWork, campaign: Campaign, pledge: Pledge, target: int) -> None:
    # Everyone learns it from one announcement, and conditional signers find their cooling-off
    # window in their inbox from a second one that only their inbox shows: two rows, whatever
    # the campaign's size, so the crossing costs the same for 10 signers or 100,000
    # (bench/threshold.py). Nobody is pinged now: who would be pinged first, or alone, would
    # say who signed how.
    announce(uow, campaign, "notices/pledge_reached.j2", name=campaign.name, target=target)
    window = int(uow.rules.cooling_off.total_seconds())
    announce_to_signers(uow, campaign, SUBJECT, pledge.id, Mode.CONDITIONAL.value,
                        "notices/pledge_cooling_off.j2", name=campaign.name, target=target,
                        release_at=pledge.release_at.isoformat(), window=window)


def _live_pledge(uow: UnitOfWork, pledge_id: int,
                 state: PledgeState) -> tuple[Pledge, Campaign] | None:
    """A planned job's pledge and campaign, if the pledge is still in `state` and live."""
    pledge = uow.session.get(Pledge, pledge_id)
    if pledge is None or pledge.state != state:
        return None
    campaign = uow.session.get(Campaign, pledge.campaign_id)
    if campaign is None or campaign.archived_at is not None:
        return None
    return pledge, campaign


def release_names(uow: UnitOfWork, pledge_id: int) -> None:
    """The cooling-off window is over: conditional signers still there are shown to members."""
    found = _live_pledge(uow, pledge_id, PledgeState.REACHED)
    if found is None:
        return
    pledge, campaign = found
    now = uow.clock.now()
    waiting = signer_members(uow, SUBJECT, pledge.id, Mode.CONDITIONAL)
    released = release_conditional(uow, vault_of(uow, campaign), SUBJECT, pledge.id, now)
    pledge.state, pledge.released_at = PledgeState.RELEASED, now
    recount(uow, pledge, now)
    for member in waiting:
        notify(uow, campaign, member, "notices/pledge_released.j2", name=campaign.name)
    uow.commit()
    log.info("pledge.released pledge=%s names=%d", pledge.id, released)


def expire_pledge(uow: UnitOfWork, pledge_id: int) -> None:
    """The deadline came before the threshold: tell every signer, destroy names, keep the count."""
    found = _live_pledge(uow, pledge_id, PledgeState.OPEN)
    if found is None:
        return
    pledge, campaign = found
    now = uow.clock.now()
    recount(uow, pledge, now)
    shown = suppress(pledge.supporters, uow.rules.min_count)
    for member in signer_members(uow, SUBJECT, pledge.id):
        notify(uow, campaign, member, "notices/pledge_expired.j2", name=campaign.name,
               count=shown.value, k=shown.k)
    # Deleting the rows, not only the sealed names, also forgets who signed at all.
    erase(uow, SUBJECT, pledge.id)
    uow.session.execute(delete(Introduction).where(Introduction.pledge_id == pledge.id))
    uow.session.execute(delete(IntroductionPool).where(IntroductionPool.pledge_id == pledge.id))
    pledge.state, pledge.expired_at, pledge.named = PledgeState.EXPIRED, now, 0
    uow.session.add(pledge)
    uow.commit()
    _checkpoint(uow)
    log.info("pledge.expired pledge=%s", pledge.id)


def _checkpoint(uow: UnitOfWork) -> None:
    # Old page images linger in SQLite's write-ahead log until it is truncated.
    bind = uow.session.get_bind()
    if bind.dialect.name == "sqlite":
        with bind.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
