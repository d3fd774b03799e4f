"""The daily digest: one content-free ping to every member, at a time no event chooses.

Members are never pinged when something happens to them (a reply, a release, an
expiry): that DM, its time and its recipients would say who signed or who
complained. Instead everyone with digests on gets the same ping, once a day, in
random order, whether or not anything waits; the inbox holds what is theirs.
"""

from __future__ import annotations

import hashlib
import secrets
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from random import SystemRandom

from sqlalchemy import func
from sqlmodel import select

from campaigns.core.access import find_campaign, require_member, vault_of
from campaigns.core.contacts import open_contact
from campaigns.core.errors import BadValue, Unreadable
from campaigns.core.models import Campaign, Member, Status
from campaigns.core.privacy import Person
from campaigns.core.unit_of_work import UnitOfWork

ON_WORDS, OFF_WORDS = ("on", "yes"), ("off", "no", "stop")
# Rows decrypted and handed to the sender at a time: memory stays flat for any campaign size.
BATCH = 500


@dataclass(frozen=True)
class DigestSet:
    campaign: str
    on: bool


def set_digest(uow: UnitOfWork, person: Person, name: str, setting: str | None) -> DigestSet:
    """Turn the person's daily digest ping for one campaign on or off."""
    word = (setting or "").strip().lower()
    if word not in ON_WORDS + OFF_WORDS:
        raise BadValue(field="digest", value=setting or "", expected="on_off")
    campaign = find_campaign(uow, person, name)
    member = require_member(uow, campaign, person)
    member.digest = word in ON_WORDS
    uow.session.add(member)
    uow.commit()
    return DigestSet(campaign.name, member.digest)


def digest_recipients(uow: UnitOfWork, batch: int = BATCH) -> Iterator[list[Person]]:
    """Everyone to ping, workspace by workspace, in random order, each person once.

    Yields lists of at most `batch` people. Only two integers per membership are
    held for the whole run; contacts are read and decrypted one batch at a time,
    and no transaction stays open between batches.
    """
    workspaces = sorted(set(uow.session.exec(
        select(Campaign.workspace_ref).where(Campaign.archived_at.is_(None))
    )))
    uow.session.commit()
    for workspace in workspaces:
        yield from _workspace_recipients(uow, workspace, batch)


def _workspace_recipients(uow: UnitOfWork, workspace: str, batch: int) -> Iterator[list[Person]]:
    campaign_ids, member_ids = array("q"), array("q")
    for campaign_id, member_id in uow.session.exec(
        select(Member.campaign_id, Member.id)
        .join(Campaign, Campaign.id == Member.campaign_id)
        .where(Campaign.workspace_ref == workspace, Campaign.archived_at.is_(None),
               Member.digest.is_(True), Member.contact_sealed.is_not(None),
               Member.status.in_([Status.ACTIVE, Status.INVITED]))
        .execution_options(yield_per=5000)
    ):
        campaign_ids.append(campaign_id)
        member_ids.append(member_id)
    uow.session.commit()
    order = array("q", range(len(member_ids)))
    SystemRandom().shuffle(order)
    # One ping per person across the workspace's campaigns. Their member refs differ per
    # campaign, so people are recognised by a keyed hash that lives only for this run.
    salt, seen = secrets.token_bytes(16), set()
    for start in range(0, len(order), batch):
        chosen = [(campaign_ids[i], member_ids[i]) for i in order[start:start + batch]]
        people = []
        for person in _contacts(uow, chosen):
            mark = hashlib.blake2b(person.identity.encode(), key=salt, digest_size=16).digest()
            if mark not in seen:
                seen.add(mark)
                people.append(person)
        uow.session.commit()
        if people:
            yield people


def _contacts(uow: UnitOfWork, chosen: list[tuple[int, int]]) -> list[Person]:
    by_campaign: dict[int, list[int]] = {}
    for campaign_id, member_id in chosen:
        by_campaign.setdefault(campaign_id, []).append(member_id)
    found: dict[int, Person] = {}
    for campaign_id, ids in by_campaign.items():
        campaign = uow.session.get(Campaign, campaign_id)
        if campaign is None or campaign.archived_at is not None:
            continue
        vault = vault_of(uow, campaign)
        for member in uow.session.exec(
            select(Member.id, Member.member_ref, Member.role, Member.contact_sealed)
            .where(Member.id.in_(ids), Member.digest.is_(True),
                   Member.contact_sealed.is_not(None))
        ):
            try:
                found[member.id] = open_contact(vault, member)
            except Unreadable:
                continue  # a row changed without the key is pinged by nobody
    # Keep the shuffled order, not the order the database returned.
    return [found[member_id] for _, member_id in chosen if member_id in found]


def digest_memberships(uow: UnitOfWork) -> int:
    """How many memberships would get a digest: an upper bound on the people pinged."""
    counted = uow.session.exec(
        select(func.count(Member.id))
        .join(Campaign, Campaign.id == Member.campaign_id)
        .where(Campaign.archived_at.is_(None), Member.digest.is_(True),
               Member.contact_sealed.is_not(None),
               Member.status.in_([Status.ACTIVE, Status.INVITED]))
    ).one()
    uow.session.commit()
    return counted
