"""Notifications that carry no selection: the inbox holds what is someone's, pings carry nothing.

Who receives a DM, and when, is data (docs/PRIVACY.md, "Side channels"). So:

- `notify` / `notify_many` leave a notice in a member's inbox and ping nobody: a member
  learns of it from the daily digest ping, which every member gets alike
  (`campaigns.core.digests`).
- `announce` records a public event once for the whole campaign; every member's inbox
  shows it. Its cost does not grow with the number of members.
- `alert_role` / `alert_roles` are the only immediate DMs: to liaisons and leads, about
  role work (a queue to read, a petition to review, a delivery to confirm, a report).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import func, insert
from sqlmodel import select

from campaigns.core.access import vault_of
from campaigns.core.clock import day_of
from campaigns.core.contacts import open_contact
from campaigns.core.errors import Unreadable
from campaigns.core.models import Announcement, Campaign, Member, Notice, Signature, Status
from campaigns.core.privacy import Person
from campaigns.core.unit_of_work import UnitOfWork

_PURPOSE = "notice.body"
_ANNOUNCEMENT = "announcement.body"
_WHOLE_CAMPAIGN = "campaign"  # an announcement is the campaign's, not any member's


def notify(uow: UnitOfWork, campaign: Campaign, member: Member, template: str, **params) -> None:
    """Leave `template` with `params` in the member's inbox; the daily digest points to it."""
    notify_many(uow, campaign, [member], template, **params)


def alert_role(uow: UnitOfWork, campaign: Campaign, member: Member, template: str,
               **params) -> None:
    """`notify` a liaison or lead about role work, and ping them right after the commit."""
    notify(uow, campaign, member, template, **params)
    _ping(uow, campaign, [member])


def _ping(uow: UnitOfWork, campaign: Campaign, members: Iterable[Member]) -> None:
    vault = vault_of(uow, campaign)
    for member in members:
        if member.contact_sealed is None:
            continue
        try:
            uow.ping_after_commit(open_contact(vault, member))
        except Unreadable:
            continue  # a row changed without the key (a forged role) is told nothing


def announce(uow: UnitOfWork, campaign: Campaign, template: str, **params) -> None:
    """Record a public event once; every member's inbox shows it, nobody is pinged for it."""
    _record(uow, campaign, {"template": template, "params": params})


def announce_to_signers(uow: UnitOfWork, campaign: Campaign, subject: str, subject_id: int,
                        mode: str, template: str, **params) -> None:
    """Like `announce`, but shown only in the inbox of those who, when they read it, have
    signed `subject` in `mode` (the conditional signers of a pledge that reached its threshold).

    One row whatever the number of signers: the snapshot that crosses a threshold writes
    nothing per member. Who it is for is sealed with the body, never in plain.
    """
    _record(uow, campaign, {"template": template, "params": params,
                            "signers": [subject, subject_id, mode]})


def _record(uow: UnitOfWork, campaign: Campaign, body: dict) -> None:
    sealed = vault_of(uow, campaign).seal_json(body, _ANNOUNCEMENT, _WHOLE_CAMPAIGN)
    uow.session.add(Announcement(campaign_id=campaign.id, body_sealed=sealed,
                                 created_at=uow.clock.now()))


@dataclass(frozen=True)
class InboxItem:
    campaign: str
    template: str
    params: dict
    created_at: datetime


def read_inbox(uow: UnitOfWork, person: Person) -> list[InboxItem]:
    """Everything waiting for the person in this workspace, oldest first; reading clears it."""
    ref = uow.keys.workspace_ref(person.platform, person.workspace)
    campaigns = uow.session.exec(
        select(Campaign).where(Campaign.workspace_ref == ref, Campaign.archived_at.is_(None))
    ).all()
    items: list[InboxItem] = []
    for campaign in campaigns:
        vault = vault_of(uow, campaign)
        member = uow.session.exec(
            select(Member).where(
                Member.campaign_id == campaign.id, Member.member_ref == vault.member_ref(person)
            )
        ).first()
        if member is None:
            continue
        for notice in uow.session.exec(
            select(Notice).where(Notice.member_id == member.id).order_by(Notice.id)
        ):
            try:
                body = vault.open_json(notice.body_sealed, _PURPOSE, member.id)
            except Unreadable:
                body = {"template": "notices/unreadable.j2", "params": {}}
            items.append(InboxItem(campaign.name, body["template"], body["params"],
                                   notice.created_at))
            uow.session.delete(notice)
        items.extend(_unseen_announcements(uow, campaign, member))
    uow.commit()
    return sorted(items, key=lambda item: item.created_at)


def _unseen_announcements(uow: UnitOfWork, campaign: Campaign, member: Member) -> list[InboxItem]:
    # Only what happened while they were a member, and each once.
    vault, items = vault_of(uow, campaign), []
    for row in uow.session.exec(
        select(Announcement).where(
            Announcement.campaign_id == campaign.id,
            Announcement.id > member.announcements_seen,
            Announcement.created_at >= member.joined_at,
        ).order_by(Announcement.id)
    ):
        try:
            body = vault.open_json(row.body_sealed, _ANNOUNCEMENT, _WHOLE_CAMPAIGN)
        except Unreadable:
            body = {"template": "notices/unreadable.j2", "params": {}}
        if "signers" in body and not _has_signed(uow, member, *body["signers"]):
            continue
        items.append(InboxItem(campaign.name, body["template"], body["params"], row.created_at))
    newest = uow.session.exec(
        select(func.max(Announcement.id)).where(Announcement.campaign_id == campaign.id)
    ).one()
    if newest is not None and newest > member.announcements_seen:
        member.announcements_seen = newest
        uow.session.add(member)
    return items


def _has_signed(uow: UnitOfWork, member: Member, subject: str, subject_id: int,
                mode: str) -> bool:
    return uow.session.exec(
        select(Signature.id).where(Signature.subject == subject,
                                   Signature.subject_id == subject_id,
                                   Signature.member_id == member.id, Signature.mode == mode)
    ).first() is not None


def _role_members(uow: UnitOfWork, campaign: Campaign, roles) -> list:
    return uow.session.exec(
        select(Member.id, Member.member_ref, Member.role, Member.contact_sealed).where(
            Member.campaign_id == campaign.id,
            Member.status == Status.ACTIVE,
            Member.role.in_([str(r) for r in roles]),
        )
    ).all()


def notify_roles(uow: UnitOfWork, campaign: Campaign, roles, template: str, **params) -> int:
    """`notify` every active member holding one of `roles`, with no ping; returns how many."""
    return notify_many(uow, campaign, _role_members(uow, campaign, roles), template, **params)


def alert_roles(uow: UnitOfWork, campaign: Campaign, roles, template: str, **params) -> int:
    """`alert_role` every active liaison or lead holding one of `roles`; returns how many."""
    members = _role_members(uow, campaign, roles)
    told = notify_many(uow, campaign, members, template, **params)
    _ping(uow, campaign, members)
    return told


class Recipient(Protocol):
    """A member row, or just its `id` column."""

    id: int


# Rows per INSERT statement when a notice goes to many members at once.
_BATCH = 2000


def notify_many(uow: UnitOfWork, campaign: Campaign, members: Iterable[Recipient],
                template: str, **params) -> int:
    """`notify` each of `members` with the same notice, inserted in bulk; returns how many."""
    # One ORM object per notice took half a minute inside a snapshot's transaction for
    # 100,000 members (bench/threshold.py).
    vault, now = vault_of(uow, campaign), day_of(uow.clock.now())
    # Serialised once, as seal_json would; each notice is still sealed with a nonce of its own.
    body = json.dumps({"template": template, "params": params}, separators=(",", ":"))
    rows, told = [], 0
    for member in members:
        rows.append({"campaign_id": campaign.id, "member_id": member.id, "created_at": now,
                     "body_sealed": vault.seal(body, _PURPOSE, member.id)})
        if len(rows) == _BATCH:
            uow.session.execute(insert(Notice), rows)
            told, rows = told + len(rows), []
    if rows:
        uow.session.execute(insert(Notice), rows)
    return told + len(rows)
