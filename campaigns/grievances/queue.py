"""The liaison queue (R2, R3, R12): read, claim, answer, decline, close, block; never the author.

Items are addressed by their queue number. Whatever a liaison does, what
they see of an item never depends on who wrote it, unless its author chose
to reveal themselves for that item. Answers to blocking are the same whether
or not the author was already blocked, so two items cannot be linked by it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from campaigns.core.access import (
    active_member_of,
    find_campaign,
    require_member,
    require_role,
    vault_of,
)
from campaigns.core.errors import AlreadyClaimed, ItemFinished, NotFound
from campaigns.core.inbox import notify
from campaigns.core.models import Campaign, Member, Role, Status
from campaigns.core.privacy import Person
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.grievances.filing import (
    TEXT_MAX,
    ThreadEntry,
    add_message,
    checked_text,
    purge_date,
    thread_of,
)
from campaigns.grievances.jobs import purge_grievance
from campaigns.grievances.models import FINISHED, Grievance, ItemStatus, Speaker, Tag

log = logging.getLogger("concerted.liaison")


@dataclass(frozen=True)
class QueueItem:
    """One item as liaisons see it: no author, unless the author revealed themselves."""

    id: int
    tag: str
    status: str
    age_days: int
    text: str
    messages: int
    waiting_on: str
    claimed: str | None
    point_id: int | None
    revealed: Person | None


@dataclass(frozen=True)
class Queue:
    campaign: str
    tag: str | None
    items: list[QueueItem]


@dataclass(frozen=True)
class ItemView:
    campaign: str
    item: QueueItem
    thread: list[ThreadEntry]
    closed_at: datetime | None
    purge_on: datetime | None


@dataclass(frozen=True)
class Handled:
    """What a liaison did to an item; `reached` says whether its author could be told."""

    campaign: str
    item: int
    action: str
    status: str
    reached: bool = True
    purge_on: datetime | None = None
    already: bool = False


def liaison_item(uow: UnitOfWork, person: Person, item_id: int,
                 action: str) -> tuple[Campaign, Member, Grievance]:
    """A queue item by number, for a liaison of its campaign; not found for anyone else.

    "Only liaisons can…" for an item that exists and "not found" for one that
    does not would let anyone count the queue and time each filing.
    """
    grievance = uow.session.get(Grievance, item_id)
    campaign = uow.session.get(Campaign, grievance.campaign_id) if grievance else None
    member = active_member_of(uow, person, campaign)
    if member is None or member.role != Role.LIAISON:
        raise NotFound(what="queue item", ref=f"#{item_id}")
    return campaign, member, grievance


def _item(uow: UnitOfWork, campaign: Campaign, liaison: Member, grievance: Grievance,
          messages: list[ThreadEntry]) -> QueueItem:
    vault = vault_of(uow, campaign)
    claimed = None
    if grievance.claimed_by is not None:
        claimed = "you" if grievance.claimed_by == liaison.id else "another"
    revealed = None
    if grievance.revealed_at is not None and grievance.member_id is not None:
        author = uow.session.get(Member, grievance.member_id)
        if author is not None and author.contact_sealed is not None:
            revealed = vault.open_person(author.contact_sealed)
    last = messages[-1].speaker if messages else Speaker.AUTHOR
    return QueueItem(
        id=grievance.id, tag=grievance.tag, status=grievance.status,
        age_days=(uow.clock.now() - grievance.filed_at).days,
        text=vault.open(grievance.text_sealed, "grievance.text"), messages=len(messages),
        waiting_on="author" if last == Speaker.LIAISONS else "liaisons",
        claimed=claimed, point_id=grievance.point_id, revealed=revealed,
    )


def view_queue(uow: UnitOfWork, person: Person, name: str, tag: str | None = None) -> Queue:
    """Open items, oldest first, optionally only vent or only solve (R3)."""
    campaign = find_campaign(uow, person, name)
    liaison = require_member(uow, campaign, person)
    require_role(liaison, (Role.LIAISON,), "liaison queue", campaign)
    query = select(Grievance).where(
        Grievance.campaign_id == campaign.id, Grievance.status.not_in([s.value for s in FINISHED])
    )
    if tag in (Tag.VENT, Tag.SOLVE):
        query = query.where(Grievance.tag == tag)
    vault = vault_of(uow, campaign)
    items = [
        _item(uow, campaign, liaison, grievance, thread_of(uow, vault, grievance))
        for grievance in uow.session.exec(query.order_by(Grievance.filed_at, Grievance.id))
    ]
    return Queue(campaign.name, tag, items)


def show_item(uow: UnitOfWork, person: Person, item_id: int) -> ItemView:
    """One item with every message on it, for a liaison of its campaign."""
    campaign, liaison, grievance = liaison_item(uow, person, item_id, "show")
    thread = thread_of(uow, vault_of(uow, campaign), grievance)
    return ItemView(campaign.name, _item(uow, campaign, liaison, grievance, thread), thread,
                    grievance.closed_at, purge_date(campaign, grievance))


def _unfinished(campaign: Campaign, grievance: Grievance) -> None:
    if grievance.status in FINISHED:
        raise ItemFinished(what="item", ref=f"#{grievance.id}", status=grievance.status,
                           speaker=Speaker.LIAISONS, name=campaign.name)


def claim_item(uow: UnitOfWork, person: Person, item_id: int) -> Handled:
    """Take an item, so the other liaisons know it is being handled."""
    campaign, liaison, grievance = liaison_item(uow, person, item_id, "claim")
    _unfinished(campaign, grievance)
    if grievance.claimed_by == liaison.id:
        return Handled(campaign.name, grievance.id, "claim", grievance.status, already=True)
    if grievance.claimed_by is not None:
        holder = uow.session.get(Member, grievance.claimed_by)
        if holder is not None and holder.role == Role.LIAISON and holder.status == Status.ACTIVE:
            raise AlreadyClaimed(item=grievance.id, name=campaign.name)
    _claim(grievance, liaison)
    uow.commit()
    log.info("grievance.claimed grievance=%s", grievance.id)
    return Handled(campaign.name, grievance.id, "claim", grievance.status)


def _claim(grievance: Grievance, liaison: Member) -> None:
    grievance.claimed_by = liaison.id
    grievance.status = ItemStatus.CLAIMED


def _tell_author(uow: UnitOfWork, campaign: Campaign, grievance: Grievance, template: str,
                 **params) -> bool:
    author = uow.session.get(Member, grievance.member_id) if grievance.member_id else None
    if author is None or author.status != Status.ACTIVE:
        return False
    notify(uow, campaign, author, template, name=campaign.name, ref=grievance.ref, **params)
    return True


def reply_to_author(uow: UnitOfWork, person: Person, item_id: int, text: str | None) -> Handled:
    """Answer the author privately, signed only "the liaison group"."""
    campaign, liaison, grievance = liaison_item(uow, person, item_id, "reply")
    text = checked_text(text, "reply", TEXT_MAX, f"/liaison reply {item_id} TEXT")
    _unfinished(campaign, grievance)
    add_message(uow, vault_of(uow, campaign), grievance, Speaker.LIAISONS, text)
    if grievance.claimed_by is None:
        _claim(grievance, liaison)
    uow.session.add(grievance)
    reached = _tell_author(uow, campaign, grievance, "notices/grievance_reply.j2")
    uow.commit()
    log.info("grievance.replied grievance=%s", grievance.id)
    return Handled(campaign.name, grievance.id, "reply", grievance.status, reached)


def _finish(uow: UnitOfWork, campaign: Campaign, grievance: Grievance, status: ItemStatus,
            template: str) -> Handled:
    grievance.status = status
    grievance.closed_at = uow.clock.now()
    uow.session.add(grievance)
    purge_on = purge_date(campaign, grievance)
    reached = _tell_author(uow, campaign, grievance, template, purge_on=purge_on.isoformat())
    uow.schedule(f"grievance-purge:{grievance.id}", purge_on, purge_grievance, grievance.id)
    uow.commit()
    log.info("grievance.%s grievance=%s", status.value, grievance.id)
    return Handled(campaign.name, grievance.id, status.value, status.value, reached, purge_on)


def decline_item(uow: UnitOfWork, person: Person, item_id: int, reason: str | None) -> Handled:
    """Decline an item, telling its author why; its text is deleted after the retention period."""
    campaign, _liaison, grievance = liaison_item(uow, person, item_id, "decline")
    reason = checked_text(reason, "reason", TEXT_MAX, f"/liaison decline {item_id} REASON")
    _unfinished(campaign, grievance)
    add_message(uow, vault_of(uow, campaign), grievance, Speaker.LIAISONS, reason, declined=True)
    return _finish(uow, campaign, grievance, ItemStatus.DECLINED, "notices/grievance_declined.j2")


def close_item(uow: UnitOfWork, person: Person, item_id: int) -> Handled:
    """Close an item; its text and replies are deleted after the retention period (R10)."""
    campaign, _liaison, grievance = liaison_item(uow, person, item_id, "close")
    _unfinished(campaign, grievance)
    return _finish(uow, campaign, grievance, ItemStatus.CLOSED, "notices/grievance_closed.j2")


def set_author_blocked(uow: UnitOfWork, person: Person, item_id: int, blocked: bool) -> Handled:
    """Stop (or let again) an item's author filing grievances here, by pseudonym only (R12)."""
    action = "block" if blocked else "unblock"
    campaign, _liaison, grievance = liaison_item(uow, person, item_id, action)
    author = uow.session.get(Member, grievance.member_id) if grievance.member_id else None
    if author is not None and author.grievance_blocked != blocked:
        author.grievance_blocked = blocked
        uow.session.add(author)
    uow.commit()
    log.info("grievance.author_%sed grievance=%s", action, grievance.id)
    # The same answer whatever the author's state: it must not tell two items' authors apart.
    return Handled(campaign.name, grievance.id, action, grievance.status)
