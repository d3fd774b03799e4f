"""Talking points (R1): liaisons write them from grievances; members +1 them.

A point is usable, by a petition for instance, once at least two people
stand behind it. A merged grievance counts its author as a supporter; the
support is a row of its own, so it outlives the grievance's retention purge.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from campaigns.core.access import (
    active_member_of,
    find_campaign,
    require_member,
    require_role,
    vault_of,
)
from campaigns.core.errors import AlreadyMerged, NotFound, PointNotUsable
from campaigns.core.frontpage import FrontPageWarning, front_page_warnings
from campaigns.core.inbox import notify
from campaigns.core.models import Campaign, Member, PointSupport, Role, Status, TalkingPoint
from campaigns.core.privacy import Person
from campaigns.core.suppression import Shown, suppress
from campaigns.core.talking_points import MIN_SUPPORTERS, is_usable, point_supporters
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
    id: int
    text: str
    supporters: Shown
    usable: bool
    yours: bool


@dataclass(frozen=True)
class Points:
    campaign: str
    points: list[PointView]
    needed: int


@dataclass(frozen=True)
class Supported:
    campaign: str
    point: PointView
    already: bool
    needed: int


def _view(uow: UnitOfWork, campaign: Campaign, point: TalkingPoint,
          member: Member | None) -> PointView:
    count = point_supporters(uow, point.id)
    yours = member is not None and uow.session.exec(
        select(PointSupport.id).where(PointSupport.point_id == point.id,
                                      PointSupport.member_id == member.id)
    ).first() is not None
    text = vault_of(uow, campaign).open(point.text_sealed, "talking_point.text")
    return PointView(point.id, text, suppress(count, uow.rules.min_count), is_usable(count), yours)


def _point_in(uow: UnitOfWork, campaign: Campaign, point_id: int) -> TalkingPoint:
    point = uow.session.get(TalkingPoint, point_id)
    if point is None or point.campaign_id != campaign.id:
        raise NotFound(what="talking point", ref=f"#{point_id}")
    return point


def create_point(uow: UnitOfWork, person: Person, name: str, text: str | None) -> PointCreated:
    """A liaison writes a talking point (at most 280 characters); R8 warnings come with it."""
    campaign = find_campaign(uow, person, name)
    require_role(require_member(uow, campaign, person), (Role.LIAISON,), "liaison point",
                 campaign)
    text = checked_text(text, "talking point", POINT_MAX, f"/liaison point {campaign.name} TEXT")
    point = TalkingPoint(campaign_id=campaign.id, created_at=uow.clock.now(),
                         text_sealed=vault_of(uow, campaign).seal(text, "talking_point.text"))
    uow.session.add(point)
    uow.commit()
    log.info("point.created point=%s", point.id)
    return PointCreated(campaign.name, point.id, text, front_page_warnings(text))


def merge_into_point(uow: UnitOfWork, person: Person, item_id: int, point_id: int) -> Merged:
    """Attach a queue item to a talking point; its author counts as one of its supporters."""
    campaign, _liaison, grievance = liaison_item(uow, person, item_id, "merge")
    point = _point_in(uow, campaign, point_id)
    if grievance.point_id == point.id:
        return Merged(campaign.name, grievance.id, point.id, already=True)
    if grievance.point_id is not None:
        raise AlreadyMerged(item=grievance.id, point=grievance.point_id)
    grievance.point_id = point.id
    uow.session.add(grievance)
    author = uow.session.get(Member, grievance.member_id) if grievance.member_id else None
    if author is not None and author.status == Status.ACTIVE:
        _add_support(uow, point, author)
        notify(uow, campaign, author, "notices/grievance_merged.j2", name=campaign.name,
               ref=grievance.ref, point=point.id)
    uow.commit()
    log.info("point.merged grievance=%s point=%s", grievance.id, point.id)
    return Merged(campaign.name, grievance.id, point.id, already=False)


def _add_support(uow: UnitOfWork, point: TalkingPoint, member: Member) -> bool:
    exists = uow.session.exec(
        select(PointSupport.id).where(PointSupport.point_id == point.id,
                                      PointSupport.member_id == member.id)
    ).first()
    if exists is not None:
        return False
    uow.session.add(PointSupport(campaign_id=point.campaign_id, point_id=point.id,
                                 member_id=member.id, supported_at=uow.clock.now()))
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
    return Points(campaign.name, [_view(uow, campaign, p, member) for p in rows], MIN_SUPPORTERS)


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
        log.info("point.supported point=%s", point.id)
    return Supported(campaign.name, _view(uow, campaign, point, member), not added,
                     MIN_SUPPORTERS)


def usable_point(uow: UnitOfWork, campaign: Campaign, point_id: int) -> str:
    """The text of a point a petition may use (R1), or why it may not."""
    point = _point_in(uow, campaign, point_id)
    if not is_usable(point_supporters(uow, point.id)):
        raise PointNotUsable(point=point.id, needed=MIN_SUPPORTERS)
    return vault_of(uow, campaign).open(point.text_sealed, "talking_point.text")
