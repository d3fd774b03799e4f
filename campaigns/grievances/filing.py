"""Grievances, the author's side: file one, follow it, answer the liaisons, reveal oneself.

The author is known to the bot only as a member row. Liaisons see the item
by its queue number; the author follows it by a random reference that only
works for them. Front-page warnings come before anything is stored.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import select

from campaigns.core.access import (
    find_campaign,
    looks_like_ref,
    members_with_role,
    require_member,
    vault_of,
)
from campaigns.core.clock import day_of
from campaigns.core.errors import (
    GrievanceBlocked,
    GrievanceLimit,
    ItemFinished,
    NotFound,
    TagNeeded,
    TextMissing,
    TextTooLong,
)
from campaigns.core.frontpage import FrontPageWarning, front_page_warnings
from campaigns.core.inbox import notify_roles
from campaigns.core.models import Campaign, Member, Role
from campaigns.core.privacy import CampaignVault, Person
from campaigns.core.schedule import next_count
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.grievances.models import FINISHED, Grievance, GrievanceReply, Speaker, Tag

log = logging.getLogger("concerted.grievances")

TEXT_MAX = 2000
DAILY_LIMIT = 5
_REF_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L to misread
_REF_LENGTH = 6
TEXT = "grievance.text"
REVEAL = "grievance.reveal"
_REPLY = "grievance_reply.body"
FILE_USAGE = '/grievance NAME --text "…" --vent|--solve'


@dataclass(frozen=True)
class Filed:
    campaign: str
    ref: str
    tag: str
    liaisons: int
    retention_days: int
    next_count: datetime | None = None  # when the liaisons' queue will show it


@dataclass(frozen=True)
class Warned:
    """Nothing was stored: the author sees the warnings and may edit or send anyway."""

    campaign: str
    tag: str
    warnings: list[FrontPageWarning]


@dataclass(frozen=True)
class ThreadEntry:
    speaker: str
    text: str
    at: datetime
    declined: bool = False


@dataclass(frozen=True)
class GrievanceView:
    """What the author sees of their own grievance."""

    campaign: str
    ref: str
    tag: str
    status: str
    filed_at: datetime
    text: str
    thread: list[ThreadEntry]
    revealed: bool
    point_id: int | None
    closed_at: datetime | None
    purge_on: datetime | None


@dataclass(frozen=True)
class Answered:
    campaign: str
    ref: str
    liaisons: int
    next_count: datetime | None = None  # when the liaisons can read it


@dataclass(frozen=True)
class Revealed:
    campaign: str
    ref: str
    confirmed: bool
    already: bool


def checked_text(text: str | None, what: str, limit: int, usage: str) -> str:
    """Text stripped of outer space, or the error that says it is missing or too long."""
    text = (text or "").strip()
    if not text:
        raise TextMissing(what=what, usage=usage)
    if len(text) > limit:
        raise TextTooLong(what=what, length=len(text), limit=limit)
    return text


def purge_date(campaign: Campaign, grievance: Grievance) -> datetime | None:
    """When a finished item's text and replies are deleted."""
    if grievance.closed_at is None:
        return None
    return grievance.closed_at + timedelta(days=campaign.retention_days)


def thread_of(uow: UnitOfWork, vault: CampaignVault, grievance: Grievance) -> list[ThreadEntry]:
    """The messages on an item, oldest first, each only as "author" or "liaisons"."""
    rows = uow.session.exec(
        select(GrievanceReply)
        .where(GrievanceReply.grievance_id == grievance.id)
        .order_by(GrievanceReply.created_at, GrievanceReply.id)
    )
    return [ThreadEntry(row.speaker, _reply_text(vault, row),
                        row.created_at, row.declined) for row in rows]


def _reply_row(grievance_id: int, speaker: str) -> str:
    return f"{grievance_id}:{speaker}"


def _reply_text(vault: CampaignVault, row: GrievanceReply) -> str:
    return vault.open(row.body_sealed, _REPLY, _reply_row(row.grievance_id, row.speaker))


def add_message(uow: UnitOfWork, campaign: Campaign, grievance: Grievance, speaker: Speaker,
                text: str, *, declined: bool = False) -> None:
    vault = vault_of(uow, campaign)
    # An author's answer reaches the liaisons with the next snapshot and keeps that moment;
    # the liaisons' own messages (a role's work, read by the author at once) keep the day.
    at = next_count(uow, campaign) if speaker == Speaker.AUTHOR else day_of(uow.clock.now())
    uow.session.add(GrievanceReply(
        campaign_id=grievance.campaign_id, grievance_id=grievance.id, speaker=speaker,
        declined=declined, body_sealed=vault.seal(text, _REPLY, _reply_row(grievance.id, speaker)),
        created_at=at,
    ))


def file_grievance(uow: UnitOfWork, person: Person, name: str, text: str | None,
                   tag: str | None, *, send_anyway: bool = False) -> Filed | Warned:
    """Queue a grievance for the liaisons, or return the front-page warnings and store nothing."""
    campaign = find_campaign(uow, person, name)
    member = require_member(uow, campaign, person)
    if member.grievance_blocked:
        raise GrievanceBlocked(name=campaign.name)
    _check_daily_limit(uow, campaign, member)
    text = checked_text(text, "grievance text", TEXT_MAX, FILE_USAGE)
    if tag not in (Tag.VENT, Tag.SOLVE):
        raise TagNeeded(name=campaign.name)
    warnings = front_page_warnings(text)
    if warnings and not send_anyway:
        return Warned(campaign.name, tag, warnings)
    vault = vault_of(uow, campaign)
    grievance = Grievance(
        campaign_id=campaign.id, member_id=member.id, ref=_new_ref(uow, campaign), tag=tag,
        # The snapshot that shows it to the liaisons: no finer than what they can see.
        filed_at=next_count(uow, campaign),
    )
    grievance.text_sealed = vault.seal(text, TEXT, grievance.ref)
    uow.session.add(grievance)
    uow.commit()
    # The campaign only: an item number next to a timestamp could be matched to a person.
    log.info("grievance.filed campaign=%s", campaign.id)
    liaisons = len(members_with_role(uow, campaign, Role.LIAISON))
    return Filed(campaign.name, grievance.ref, tag, liaisons, campaign.retention_days,
                 next_count(uow, campaign))


def _check_daily_limit(uow: UnitOfWork, campaign: Campaign, member: Member) -> None:
    # A calendar day (UTC). A grievance keeps the snapshot that publishes it, just after it
    # was filed: those published after midnight are today's.
    today = day_of(uow.clock.now())
    filed = uow.session.exec(
        select(Grievance.id)
        .where(Grievance.campaign_id == campaign.id, Grievance.member_id == member.id,
               Grievance.filed_at > today)
        .limit(DAILY_LIMIT)
    ).all()
    if len(filed) >= DAILY_LIMIT:
        raise GrievanceLimit(name=campaign.name, limit=DAILY_LIMIT,
                             until=today + timedelta(days=1))


def _new_ref(uow: UnitOfWork, campaign: Campaign) -> str:
    while True:
        ref = "G-" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(_REF_LENGTH))
        taken = uow.session.exec(
            select(Grievance.id).where(Grievance.campaign_id == campaign.id, Grievance.ref == ref)
        ).first()
        if taken is None:
            return ref


def normal_ref(ref: str) -> str:
    """`g-7kq2xh`, `7KQ2XH` and `G-7KQ2XH` are the same reference."""
    cleaned = "".join((ref or "").split()).upper()
    return cleaned if cleaned.startswith("G-") else "G-" + cleaned


def _authored(uow: UnitOfWork, person: Person,
              ref: str) -> tuple[Campaign, Member, Grievance]:
    """The person's own grievance by its reference; anyone else's is simply not found."""
    wanted = normal_ref(ref)
    if not looks_like_ref(wanted, "G"):
        raise NotFound(what="grievance", ref=ref)
    workspace = uow.keys.workspace_ref(person.platform, person.workspace)
    rows = uow.session.exec(
        select(Campaign, Grievance)
        .join(Grievance, Grievance.campaign_id == Campaign.id)
        .where(Campaign.workspace_ref == workspace, Campaign.archived_at.is_(None),
               Grievance.ref == wanted)
    ).all()
    for campaign, grievance in rows:
        member = uow.session.exec(
            select(Member).where(Member.campaign_id == campaign.id,
                                 Member.member_ref == vault_of(uow, campaign).member_ref(person))
        ).first()
        if member is not None and grievance.member_id == member.id:
            return campaign, member, grievance
    raise NotFound(what="grievance", ref=wanted)


def grievance_status(uow: UnitOfWork, person: Person, ref: str) -> GrievanceView:
    """The author's own view of a grievance: its text, status and the replies both ways."""
    campaign, _member, grievance = _authored(uow, person, ref)
    return view_of(uow, campaign, grievance)


def view_of(uow: UnitOfWork, campaign: Campaign, grievance: Grievance) -> GrievanceView:
    """A grievance as its author sees it."""
    vault = vault_of(uow, campaign)
    return GrievanceView(
        campaign=campaign.name, ref=grievance.ref, tag=grievance.tag, status=grievance.status,
        filed_at=grievance.filed_at, text=vault.open(grievance.text_sealed, TEXT, grievance.ref),
        thread=thread_of(uow, vault, grievance), revealed=grievance.reveal_mac is not None,
        point_id=grievance.point_id, closed_at=grievance.closed_at,
        purge_on=purge_date(campaign, grievance),
    )


def answer_liaisons(uow: UnitOfWork, person: Person, ref: str, text: str | None) -> Answered:
    """The author writes back to the liaison group, still without being named."""
    campaign, _member, grievance = _authored(uow, person, ref)
    text = checked_text(text, "answer", TEXT_MAX, f"/grievance reply {grievance.ref} TEXT")
    if grievance.status in FINISHED:
        raise ItemFinished(what="grievance", ref=grievance.ref, status=grievance.status,
                           speaker=Speaker.AUTHOR, name=campaign.name)
    add_message(uow, campaign, grievance, Speaker.AUTHOR, text)
    told = notify_roles(uow, campaign, (Role.LIAISON,), "notices/grievance_answered.j2",
                        name=campaign.name, item=grievance.id)
    uow.commit()
    log.info("grievance.answered campaign=%s", campaign.id)
    return Answered(campaign.name, grievance.ref, told, next_count(uow, campaign))


def reveal_to_liaisons(uow: UnitOfWork, person: Person, ref: str, *,
                       confirm: bool = False) -> Revealed:
    """Only the author may show the liaisons who wrote an item, and only for that item."""
    campaign, _member, grievance = _authored(uow, person, ref)
    already = grievance.reveal_mac is not None
    if not confirm or already:
        return Revealed(campaign.name, grievance.ref, confirm, already)
    grievance.revealed_at = next_count(uow, campaign)  # the snapshot that shows the liaisons
    # Only the key can say "the author agreed": a revealed_at set by hand shows no name.
    grievance.reveal_mac = vault_of(uow, campaign).mac(REVEAL, grievance.ref, _member.member_ref)
    uow.session.add(grievance)
    notify_roles(uow, campaign, (Role.LIAISON,), "notices/grievance_revealed.j2",
                 name=campaign.name, item=grievance.id)
    uow.commit()
    log.info("grievance.revealed campaign=%s", campaign.id)
    return Revealed(campaign.name, grievance.ref, True, False)
