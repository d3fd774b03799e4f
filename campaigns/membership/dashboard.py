"""Getting into a campaign's web dashboard: a one-time link from chat, then a short session.

A lead or liaison asks in chat and gets a link holding a random token: single
use, valid ten minutes, bound to their member row and the campaign, stored
only as a keyed hash. Opening it trades the token for a session of one hour,
also stored hashed, which ends early when the person's role ends or the
campaign is archived (archiving deletes both tables' rows with the others).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_
from sqlmodel import select

from campaigns.core.access import find_campaign, membership, normal_name, vault_of
from campaigns.core.contacts import open_contact
from campaigns.core.errors import (
    CampaignArchived,
    CampaignNotFound,
    DashboardRefused,
    DashboardSessionEnded,
    LinkUnusable,
    Unreadable,
)
from campaigns.core.models import Campaign, Member, Role, Status
from campaigns.core.privacy import Person
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.membership.models import DashboardLink, DashboardSession

log = logging.getLogger("concerted.dashboard")

LINK_LIFETIME = timedelta(minutes=10)
SESSION_LIFETIME = timedelta(hours=1)
VIEWERS = (Role.LEAD, Role.LIAISON)
# A used or expired link is kept this long, so opening it again can say which it was.
_KEPT = timedelta(days=1)


@dataclass(frozen=True)
class IssuedLink:
    """What the asker gets back: the token travels once, in their private answer."""

    campaign: str
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class OpenedSession:
    campaign: str
    token: str
    expires_at: datetime
    # The campaign's language and zone (None: the deployment's), for the page that says so.
    language: str | None = None
    timezone: str | None = None


@dataclass(frozen=True)
class Viewer:
    """Who is looking at a dashboard: a lead or liaison of `campaign`, as chat knows them."""

    campaign: Campaign
    member: Member
    person: Person
    role: str
    expires_at: datetime


def _may_view(member: Member | None) -> bool:
    return (member is not None and member.status == Status.ACTIVE
            and Role(member.role) in VIEWERS)


def issue_dashboard_link(uow: UnitOfWork, person: Person, name: str) -> IssuedLink:
    """A one-time link for a lead or liaison; anyone else is refused in the same words
    whether or not the campaign exists (authorization before existence)."""
    cleaned = normal_name(name)
    try:
        campaign = find_campaign(uow, person, cleaned)
    except (CampaignNotFound, CampaignArchived):
        raise DashboardRefused(name=cleaned) from None
    member = membership(uow, campaign, person)
    if not _may_view(member):
        raise DashboardRefused(name=cleaned)
    now = uow.clock.now()
    uow.session.execute(delete(DashboardLink).where(
        DashboardLink.expires_at < now - _KEPT))
    token = secrets.token_urlsafe(32)
    uow.session.add(DashboardLink(campaign_id=campaign.id, member_id=member.id,
                                  token_ref=uow.keys.access_ref(token),
                                  expires_at=now + LINK_LIFETIME))
    uow.commit()
    log.info("dashboard.link_issued")
    return IssuedLink(campaign.name, token, now + LINK_LIFETIME)


def open_dashboard_link(uow: UnitOfWork, token: str) -> OpenedSession:
    """Trade a link's token, once, for a session; LinkUnusable says used, expired or unknown."""
    now = uow.clock.now()
    link = uow.session.exec(select(DashboardLink).where(
        DashboardLink.token_ref == uow.keys.access_ref(token or ""))).first()
    if link is None:
        raise LinkUnusable(reason="unknown")
    if link.used_at is not None:
        raise LinkUnusable(reason="used")
    if link.expires_at <= now:
        raise LinkUnusable(reason="expired")
    link.used_at = now
    uow.session.add(link)
    campaign = uow.session.get(Campaign, link.campaign_id)
    member = uow.session.get(Member, link.member_id)
    if campaign is None or campaign.archived_at is not None or not _may_view(member):
        uow.commit()
        raise LinkUnusable(reason="ended")
    uow.session.execute(delete(DashboardSession).where(DashboardSession.expires_at <= now))
    session = secrets.token_urlsafe(32)
    uow.session.add(DashboardSession(campaign_id=campaign.id, member_id=member.id,
                                     session_ref=uow.keys.access_ref(session),
                                     expires_at=now + SESSION_LIFETIME))
    uow.commit()
    log.info("dashboard.session_opened")
    return OpenedSession(campaign.name, session, now + SESSION_LIFETIME,
                         campaign.language, campaign.timezone)


def dashboard_viewer(uow: UnitOfWork, session: str | None, name: str) -> Viewer:
    """The lead or liaison a session belongs to, for campaign `name` only; a session of
    another campaign gets the same refusal whether or not `name` exists."""
    row = None
    if session:
        row = uow.session.exec(select(DashboardSession).where(
            DashboardSession.session_ref == uow.keys.access_ref(session))).first()
    now = uow.clock.now()
    if row is None:
        raise DashboardSessionEnded()
    campaign = uow.session.get(Campaign, row.campaign_id)
    member = uow.session.get(Member, row.member_id)
    if (row.expires_at <= now or campaign is None or campaign.archived_at is not None
            or not _may_view(member)):
        uow.session.delete(row)
        uow.commit()
        raise DashboardSessionEnded()
    if campaign.name != (name or "").strip().lower():
        raise DashboardRefused(name=campaign.name)
    try:
        # The role is bound into the sealed contact: one set without the key does not open.
        person = open_contact(vault_of(uow, campaign), member)
    except Unreadable:
        raise DashboardSessionEnded() from None
    return Viewer(campaign, member, person, member.role, row.expires_at)


def session_campaign(uow: UnitOfWork, session: str | None) -> str | None:
    """The campaign a live session is for, so a bare visit can be sent to its page."""
    if not session:
        return None
    row = uow.session.exec(select(DashboardSession).where(
        DashboardSession.session_ref == uow.keys.access_ref(session),
        DashboardSession.expires_at > uow.clock.now())).first()
    campaign = uow.session.get(Campaign, row.campaign_id) if row else None
    return campaign.name if campaign is not None and campaign.archived_at is None else None


def end_dashboard_session(uow: UnitOfWork, session: str | None) -> None:
    """Sign out: the session's row is deleted, so its cookie opens nothing any more."""
    if session:
        uow.session.execute(delete(DashboardSession).where(or_(
            DashboardSession.session_ref == uow.keys.access_ref(session),
            DashboardSession.expires_at <= uow.clock.now())))
        uow.commit()
    log.info("dashboard.session_ended")
