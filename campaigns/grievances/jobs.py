"""Scheduled work on the grievance queue: the retention purge and liaison reminders."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import select

from campaigns.core.access import latest_snapshot
from campaigns.core.inbox import alert_roles
from campaigns.core.models import Campaign, Role
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.grievances.models import FINISHED, Grievance, GrievanceReply, Speaker

log = logging.getLogger("concerted.grievances")

WAIT_LIMIT = timedelta(days=3)
_FINISHED = [status.value for status in FINISHED]


def _expired(uow: UnitOfWork, campaign: Campaign, grievance: Grievance) -> bool:
    if grievance.status not in _FINISHED or grievance.closed_at is None:
        return False
    return grievance.closed_at + timedelta(days=campaign.retention_days) <= uow.clock.now()


def _delete(uow: UnitOfWork, ids: list[int]) -> None:
    # The whole row goes: text, replies, and the link to the author. Supports of a talking
    # point are rows of their own, so the point keeps its count.
    uow.session.execute(delete(GrievanceReply).where(GrievanceReply.grievance_id.in_(ids)))
    uow.session.execute(delete(Grievance).where(Grievance.id.in_(ids)))


def _truncate_wal(uow: UnitOfWork) -> None:
    # SQLite keeps old page images in its write-ahead log; with secure_delete on, a truncating
    # checkpoint leaves the deleted text nowhere on disk.
    bind = uow.session.get_bind()
    if bind.dialect.name == "sqlite":
        with bind.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def purge_grievance(uow: UnitOfWork, grievance_id: int) -> bool:
    """Delete one finished item, its text and its replies, once its retention period is over."""
    grievance = uow.session.get(Grievance, grievance_id)
    campaign = uow.session.get(Campaign, grievance.campaign_id) if grievance else None
    if campaign is None or not _expired(uow, campaign, grievance):
        return False
    _delete(uow, [grievance.id])
    uow.commit()
    _truncate_wal(uow)
    log.info("grievance.purged grievance=%s", grievance_id)
    return True


def purge_expired_grievances(uow: UnitOfWork) -> int:
    """The daily sweep: every finished item past its campaign's retention period."""
    rows = uow.session.exec(
        select(Grievance, Campaign)
        .join(Campaign, Campaign.id == Grievance.campaign_id)
        .where(Grievance.status.in_(_FINISHED), Grievance.closed_at.is_not(None))
    ).all()
    expired = [grievance.id for grievance, campaign in rows if _expired(uow, campaign, grievance)]
    if expired:
        _delete(uow, expired)
    uow.commit()
    if expired:
        _truncate_wal(uow)
    log.info("grievance.retention_purge purged=%d", len(expired))
    return len(expired)


def remind_liaisons(uow: UnitOfWork) -> int:
    """Tell liaisons, in batches, of new items and of items that waited over 3 days."""
    now = uow.clock.now()
    told = 0
    campaigns = uow.session.exec(
        select(Campaign).where(Campaign.archived_at.is_(None)).order_by(Campaign.id)
    ).all()
    for campaign in campaigns:
        snapshot = latest_snapshot(uow, campaign)
        if snapshot is None:
            continue
        # Only what the queue shows: items filed before the last snapshot.
        items = uow.session.exec(
            select(Grievance)
            .where(Grievance.campaign_id == campaign.id, Grievance.status.not_in(_FINISHED),
                   Grievance.filed_at <= snapshot.taken_at)
            .order_by(Grievance.filed_at, Grievance.id)
        ).all()
        if not items:
            continue
        answered = set(uow.session.exec(
            select(GrievanceReply.grievance_id).where(
                GrievanceReply.campaign_id == campaign.id,
                GrievanceReply.speaker == Speaker.LIAISONS,
            )
        ).all())
        new = [g for g in items if g.announced_at is None]
        waiting = [g for g in items if g.reminded_at is None and g.id not in answered
                   and now - g.filed_at > WAIT_LIMIT]
        if new and alert_roles(uow, campaign, (Role.LIAISON,), "notices/queue_new.j2",
                                name=campaign.name, count=len(new)):
            for grievance in new:
                grievance.announced_at = now
                uow.session.add(grievance)
        if waiting and alert_roles(uow, campaign, (Role.LIAISON,), "notices/queue_waiting.j2",
                                    name=campaign.name, items=[g.id for g in waiting],
                                    days=WAIT_LIMIT.days):
            for grievance in waiting:
                grievance.reminded_at = now
                uow.session.add(grievance)
            told += len(waiting)
        uow.commit()
    log.info("grievance.reminders waiting=%d", told)
    return told
