"""The liaison queue: read, claim, answer, decline, close, block; never the author.

Items are addressed by their queue number. Whatever a liaison does, what
they see of an item never depends on who wrote it, unless its author chose
to reveal themselves for that item. Answers to blocking are the same whether
or not the author was already blocked, so two items cannot be linked by it.

What authors do reaches the liaisons with the count snapshot, like every
figure: an item filed, an answer written or a name revealed since the last
snapshot is not shown yet, and an item filed since answers like one that does
not exist, so a liaison cannot time a grievance to a colleague at their desk.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import select

from campaigns.core.access import (
    active_member_of,
    find_campaign,
    latest_snapshot,
    require_member,
    require_role,
    vault_of,
)
from campaigns.core.clock import day_of
from campaigns.core.contacts import open_contact
from campaigns.core.errors import AlreadyClaimed, ItemFinished, NotFound, Unreadable
from campaigns.core.inbox import notify
from campaigns.core.models import Campaign, Member, Role, Status
from campaigns.core.privacy import UNREADABLE, CampaignVault, Person, UnreadableEntry
from campaigns.core.schedule import next_count
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.grievances.filing import (
    REVEAL,
    TEXT,
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
    text: str | UnreadableEntry
    messages: int
    waiting_on: str
    claimed: str | None
    point_id: int | None
    revealed: Person | UnreadableEntry | None


@dataclass(frozen=True)
class Queue:
    campaign: str
    tag: str | None
    items: list[QueueItem]
    next_count: datetime | None = None


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
    if not _published(grievance.filed_at, published_at(uow, campaign)):
        raise NotFound(what="queue item", ref=f"#{item_id}")
    return campaign, member, grievance


def published_at(uow: UnitOfWork, campaign: Campaign) -> datetime | None:
    """The moment of the last count snapshot: what authors did before it is shown."""
    snapshot = latest_snapshot(uow, campaign)
    return snapshot.taken_at if snapshot else None


def _published(moment: datetime | None, published: datetime | None) -> bool:
    # Moments are stored as the snapshot that publishes them (campaigns.core.schedule).
    return moment is not None and published is not None and moment <= published


def published_thread(uow: UnitOfWork, campaign: Campaign,
                     grievance: Grievance) -> list[ThreadEntry]:
    """The liaisons' messages, and the author's as of the last snapshot."""
    published = published_at(uow, campaign)
    return [entry for entry in thread_of(uow, vault_of(uow, campaign), grievance)
            if entry.speaker == Speaker.LIAISONS or _published(entry.at, published)]


def published_open_items(uow: UnitOfWork, campaign: Campaign) -> int:
    """How many unfinished items the queue shows: those filed before the last snapshot."""
    published = published_at(uow, campaign)
    if published is None:
        return 0
    return uow.session.exec(
        select(func.count(Grievance.id)).where(
            Grievance.campaign_id == campaign.id, Grievance.filed_at <= published,
            Grievance.status.not_in([s.value for s in FINISHED]))
    ).one()


def _item(uow: UnitOfWork, campaign: Campaign, liaison: Member, grievance: Grievance,
          messages: list[ThreadEntry]) -> QueueItem:
    vault = vault_of(uow, campaign)
    claimed = None
    if grievance.claimed_by is not None:
        claimed = "you" if grievance.claimed_by == liaison.id else "another"
    last = messages[-1].speaker if messages else Speaker.AUTHOR
    return QueueItem(
        id=grievance.id, tag=grievance.tag, status=grievance.status,
        age_days=(uow.clock.now() - grievance.filed_at).days,
        text=_text(vault, grievance), messages=len(messages),
        waiting_on="author" if last == Speaker.LIAISONS else "liaisons",
        claimed=claimed, point_id=grievance.point_id,
        revealed=_revealed(uow, vault, grievance, published_at(uow, campaign)),
    )


def _text(vault: CampaignVault, grievance: Grievance) -> str | UnreadableEntry:
    # One tampered item must not hide the rest of the queue.
    try:
        return vault.open(grievance.text_sealed, TEXT, grievance.ref)
    except Unreadable:
        return UNREADABLE


def _revealed(uow: UnitOfWork, vault: CampaignVault, grievance: Grievance,
              published: datetime | None) -> Person | UnreadableEntry | None:
    """The author's name, only if the author revealed this very item (and a snapshot has
    published it since); UNREADABLE if forged."""
    if grievance.revealed_at is None and grievance.reveal_mac is None:
        return None
    if grievance.revealed_at is not None and not _published(grievance.revealed_at, published):
        return None
    author = uow.session.get(Member, grievance.member_id) if grievance.member_id else None
    if author is None:
        return None
    if not vault.verify(grievance.reveal_mac, REVEAL, grievance.ref, author.member_ref):
        return UNREADABLE
    try:
        return open_contact(vault, author)
    except Unreadable:
        return UNREADABLE


def view_queue(uow: UnitOfWork, person: Person, name: str, tag: str | None = None) -> Queue:
    """Open items filed before the last snapshot, oldest first, optionally only vent or only
    solve."""
    campaign = find_campaign(uow, person, name)
    liaison = require_member(uow, campaign, person)
    require_role(liaison, (Role.LIAISON,), "liaison queue", campaign)
    published = published_at(uow, campaign)
    items = []
    if published is not None:
        query = select(Grievance).where(
            Grievance.campaign_id == campaign.id, Grievance.filed_at <= published,
            Grievance.status.not_in([s.value for s in FINISHED]),
        )
        if tag in (Tag.VENT, Tag.SOLVE):
            query = query.where(Grievance.tag == tag)
        items = [
            _item(uow, campaign, liaison, grievance, published_thread(uow, campaign, grievance))
            for grievance in uow.session.exec(query.order_by(Grievance.filed_at, Grievance.id))
        ]
    return Queue(campaign.name, tag, items, next_count(uow, campaign))


def show_item(uow: UnitOfWork, person: Person, item_id: int) -> ItemView:
    """One item with every message on it, for a liaison of its campaign."""
    campaign, liaison, grievance = liaison_item(uow, person, item_id, "show")
    thread = published_thread(uow, campaign, grievance)
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
    log.info("grievance.claimed campaign=%s", campaign.id)
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
    add_message(uow, campaign, grievance, Speaker.LIAISONS, text)
    if grievance.claimed_by is None:
        _claim(grievance, liaison)
    uow.session.add(grievance)
    reached = _tell_author(uow, campaign, grievance, "notices/grievance_reply.j2")
    uow.commit()
    log.info("grievance.replied campaign=%s", campaign.id)
    return Handled(campaign.name, grievance.id, "reply", grievance.status, reached)


def _finish(uow: UnitOfWork, campaign: Campaign, grievance: Grievance, status: ItemStatus,
            template: str) -> Handled:
    grievance.status = status
    grievance.closed_at = day_of(uow.clock.now())
    uow.session.add(grievance)
    purge_on = purge_date(campaign, grievance)
    reached = _tell_author(uow, campaign, grievance, template, purge_on=purge_on.isoformat())
    uow.schedule(f"grievance-purge:{grievance.id}", purge_on, purge_grievance, grievance.id)
    uow.commit()
    log.info("grievance.%s campaign=%s", status.value, campaign.id)
    return Handled(campaign.name, grievance.id, status.value, status.value, reached, purge_on)


def decline_item(uow: UnitOfWork, person: Person, item_id: int, reason: str | None) -> Handled:
    """Decline an item, telling its author why; its text is deleted after the retention period."""
    campaign, _liaison, grievance = liaison_item(uow, person, item_id, "decline")
    reason = checked_text(reason, "reason", TEXT_MAX, f"/liaison decline {item_id} REASON")
    _unfinished(campaign, grievance)
    add_message(uow, campaign, grievance, Speaker.LIAISONS, reason, declined=True)
    return _finish(uow, campaign, grievance, ItemStatus.DECLINED, "notices/grievance_declined.j2")


def close_item(uow: UnitOfWork, person: Person, item_id: int) -> Handled:
    """Close an item; its text and replies are deleted after the retention period."""
    campaign, _liaison, grievance = liaison_item(uow, person, item_id, "close")
    _unfinished(campaign, grievance)
    return _finish(uow, campaign, grievance, ItemStatus.CLOSED, "notices/grievance_closed.j2")


def set_author_blocked(uow: UnitOfWork, person: Person, item_id: int, blocked: bool) -> Handled:
    """Stop (or let again) an item's author filing grievances here, by pseudonym only."""
    action = "block" if blocked else "unblock"
    campaign, _liaison, grievance = liaison_item(uow, person, item_id, action)
    author = uow.session.get(Member, grievance.member_id) if grievance.member_id else None
    if author is not None and author.grievance_blocked != blocked:
        author.grievance_blocked = blocked
        uow.session.add(author)
    uow.commit()
    log.info("grievance.author_%sed campaign=%s", action, campaign.id)
    # The same answer whatever the author's state: it must not tell two items' authors apart.
    return Handled(campaign.name, grievance.id, action, grievance.status)
