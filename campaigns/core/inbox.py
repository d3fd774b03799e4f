"""Content-free notifications: the DM says only "run /campaign inbox"; the inbox says the rest."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import insert
from sqlmodel import select

from campaigns.core.access import vault_of
from campaigns.core.clock import day_of
from campaigns.core.contacts import open_contact
from campaigns.core.errors import Unreadable
from campaigns.core.models import Campaign, Member, Notice, Status
from campaigns.core.privacy import Person
from campaigns.core.unit_of_work import UnitOfWork

_PURPOSE = "notice.body"


def notify(uow: UnitOfWork, campaign: Campaign, member: Member, template: str, **params) -> None:
    """Leave `template` with `params` in the member's inbox and ping them after the commit."""
    notify_many(uow, campaign, [member], template, **params)


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
    uow.commit()
    return sorted(items, key=lambda item: item.created_at)


def notify_roles(uow: UnitOfWork, campaign: Campaign, roles, template: str, **params) -> int:
    """Notify every active member holding one of `roles`; returns how many were told."""
    members = uow.session.exec(
        select(Member.id, Member.member_ref, Member.role, Member.contact_sealed).where(
            Member.campaign_id == campaign.id,
            Member.status == Status.ACTIVE,
            Member.role.in_([str(r) for r in roles]),
        )
    ).all()
    return notify_many(uow, campaign, members, template, **params)


class Recipient(Protocol):
    """A member row, or just its `id`, `member_ref`, `role` and `contact_sealed` columns."""

    id: int
    member_ref: str
    role: str
    contact_sealed: bytes | None


# Rows per INSERT statement when a notice goes to many members at once.
_BATCH = 2000


def notify_many(uow: UnitOfWork, campaign: Campaign, members: Iterable[Recipient],
                template: str, **params) -> int:
    """`notify` each of `members` with the same notice, inserted in bulk; returns how many."""
    # A threshold reached by 100,000 signers tells every member: one ORM object per notice
    # took half a minute inside the snapshot's transaction (bench/threshold.py).
    vault, now = vault_of(uow, campaign), day_of(uow.clock.now())
    # Serialised once, as seal_json would; each notice is still sealed with a nonce of its own.
    body = json.dumps({"template": template, "params": params}, separators=(",", ":"))
    rows, told = [], 0
    for member in members:
        try:
            contact = open_contact(vault, member) if member.contact_sealed is not None else None
        except Unreadable:
            # A row changed without the key (a forged role, a swapped contact) is told nothing.
            continue
        rows.append({"campaign_id": campaign.id, "member_id": member.id, "created_at": now,
                     "body_sealed": vault.seal(body, _PURPOSE, member.id)})
        if contact is not None:
            uow.ping_after_commit(contact)
        if len(rows) == _BATCH:
            uow.session.execute(insert(Notice), rows)
            told, rows = told + len(rows), []
    if rows:
        uow.session.execute(insert(Notice), rows)
    return told + len(rows)
