"""Talking points: liaisons write them from grievances; members +1 them.

A point is usable, by a petition for instance, once its published support
reaches two. Support is the members' +1s plus the grievances merged into it,
one each whoever wrote them, so a merge tells a liaison nothing about authors;
it is published by the count snapshot and read from there, never live.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from campaigns.core.access import (
    active_member_of,
    find_campaign,
    require_member,
    require_role,
    vault_of,
)
from campaigns.core.clock import day_of
from campaigns.core.errors import AlreadyMerged, NotFound, PointNotUsable
from campaigns.core.frontpage import FrontPageWarning, front_page_warnings
from campaigns.core.inbox import notify
from campaigns.core.models import Campaign, Member, PointSupport, Role, Status, TalkingPoint
from campaigns.core.privacy import Person
from campaigns.core.schedule import next_count
from campaigns.core.suppression import Shown, suppress
from campaigns.core.talking_points import MIN_SUPPORTERS, is_usable, published_support
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.grievances.filing import checked_text
from campaigns.grievances.queue import liaison_item

log = logging.getLogger("concerted.points")

POINT_MAX = 280


@dataclass(frozen=True)
class PointCreated:
    campaign: str
    id: int
    text: str
    warnings: list[FrontPageWarning]


@dataclass(frozen=True)
class Merged:
    campaign: str
    item: int
    point: int
    already: bool


@dataclass(frozen=True)
class PointView:
    """A point as last published: `supporters` None before its first count."""

    id: int
    text: str
    supporters: Shown | None
    usable: bool
    yours: bool
    counted_at: datetime | None


@dataclass(frozen=True)
class Points:
    campaign: str
    points: list[PointView]
    needed: int
    next_count: datetime | None


@dataclass(frozen=True)
class Supported:
    """The reply to a +1: when it will be counted, never the live support."""

    campaign: str
    point: int
    already: bool
    needed: int
    next_count: datetime | None


def _view(uow: UnitOfWork, campaign: Campaign, point: TalkingPoint,
          member: Member | None) -> PointView:
    count = published_support(point)
    yours = member is not None and uow.session.exec(
        select(PointSupport.id).where(PointSupport.point_id == point.id,
                                      PointSupport.member_id == member.id)
    ).first() is not None
    text = vault_of(uow, campaign).open(point.text_sealed, "talking_point.text", point.id)
    shown = suppress(count, uow.rules.min_count) if count is not None else None
    return PointView(point.id, text, shown, is_usable(count or 0), yours, point.counted_at)


def _point_in(uow: UnitOfWork, campaign: Campaign, point_id: int) -> TalkingPoint:
    point = uow.session.get(TalkingPoint, point_id)
    if point is None or point.campaign_id != campaign.id:
        raise NotFound(what="talking point", ref=f"#{point_id}")
    return point


def create_point(uow: UnitOfWork, person: Person, name: str, text: str | None) -> PointCreated:
    """A liaison writes a talking point (at most 280 characters); front-page warnings come with it."""
    campaign = find_campaign(uow, person, name)
    require_role(require_member(uow, campaign, person), (Role.LIAISON,), "liaison point",
                 campaign)
    text = checked_text(text, "talking point", POINT_MAX, f"/liaison point {campaign.name} TEXT")
    point = TalkingPoint(campaign_id=campaign.id, created_at=uow.clock.now())
    uow.session.add(point)
    uow.session.flush()
    point.text_sealed = vault_of(uow, campaign).seal(text, "talking_point.text", point.id)
    uow.commit()
    log.info("point.created campaign=%s", campaign.id)
    return PointCreated(campaign.name, point.id, text, front_page_warnings(text))


def merge_into_point(uow: UnitOfWork, person: Person, item_id: int, point_id: int) -> Merged:
    """Attach a queue item to a talking point; the item counts once towards its support.

    The author is not matched against the point's +1s: whoever wrote it, a merge adds
    exactly one at the next snapshot, so merging cannot test who wrote what.
    """
    campaign, _liaison, grievance = liaison_item(uow, person, item_id, "merge")
    point = _point_in(uow, campaign, point_id)
    if grievance.point_id == point.id:
        return Merged(campaign.name, grievance.id, point.id, already=True)
    if grievance.point_id is not None:
        raise AlreadyMerged(item=grievance.id, point=grievance.point_id)
    grievance.point_id = point.id
    uow.session.add(grievance)
    # In SQL, so two liaisons merging at once into one point both count.
    uow.session.execute(update(TalkingPoint).where(TalkingPoint.id == point.id)
                        .values(merged=TalkingPoint.merged + 1))
    author = uow.session.get(Member, grievance.member_id) if grievance.member_id else None
    if author is not None and author.status == Status.ACTIVE:
        notify(uow, campaign, author, "notices/grievance_merged.j2", name=campaign.name,
               ref=grievance.ref, point=point.id)
    uow.commit()
    log.info("point.merged campaign=%s", campaign.id)
    return Merged(campaign.name, grievance.id, point.id, already=False)


def _add_support(uow: UnitOfWork, point: TalkingPoint, member: Member) -> bool:
    exists = uow.session.exec(
        select(PointSupport.id).where(PointSupport.point_id == point.id,
                                      PointSupport.member_id == member.id)
    ).first()
    if exists is not None:
        return False
    uow.session.add(PointSupport(campaign_id=point.campaign_id, point_id=point.id,
                                 member_id=member.id, supported_at=day_of(uow.clock.now())))
    uow.session.flush()
    return True


def list_points(uow: UnitOfWork, person: Person, name: str) -> Points:
    """The campaign's talking points, whether each is usable yet, and which ones you back."""
    campaign = find_campaign(uow, person, name)
    member = require_member(uow, campaign, person)
    rows = uow.session.exec(
        select(TalkingPoint).where(TalkingPoint.campaign_id == campaign.id)
        .order_by(TalkingPoint.id)
    )
    return Points(campaign.name, [_view(uow, campaign, p, member) for p in rows], MIN_SUPPORTERS,
                  next_count(uow, campaign))


def support_point(uow: UnitOfWork, person: Person, point_id: int) -> Supported:
    """+1 a talking point of a campaign you belong to; once per member, whatever the retries."""
    point = uow.session.get(TalkingPoint, point_id)
    campaign = uow.session.get(Campaign, point.campaign_id) if point else None
    member = active_member_of(uow, person, campaign)
    if member is None:
        # Points are shown to members only; anyone else cannot tell one from none.
        raise NotFound(what="talking point", ref=f"#{point_id}")
    try:
        added = _add_support(uow, point, member)
        uow.commit()
    except IntegrityError:
        # A double click raced us to the same row: the +1 is there, which is what was asked.
        uow.rollback()
        added = False
    if added:
        log.info("point.supported campaign=%s", point.campaign_id)
    return Supported(campaign.name, point.id, not added, MIN_SUPPORTERS,
                     next_count(uow, campaign))


def usable_point(uow: UnitOfWork, campaign: Campaign, point_id: int) -> str:
    """The text of a point a petition may use (backed by two or more, as last published), or why it may not."""
    point = _point_in(uow, campaign, point_id)
    if not is_usable(published_support(point) or 0):
        raise PointNotUsable(point=point.id, needed=MIN_SUPPORTERS)
    return vault_of(uow, campaign).open(point.text_sealed, "talking_point.text", point.id)
