"""What makes a talking point usable: two or more behind it (one is a gripe), as last published.

A point's support is its members' +1s (one per member) plus the grievances
merged into it (one per grievance, whoever wrote it). The two are never
matched against each other: matching would let a liaison test who wrote a
grievance by merging it (docs/PRIVACY.md, "Merges count grievances").
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import select

from campaigns.core.models import PointSupport, TalkingPoint
from campaigns.core.unit_of_work import UnitOfWork

MIN_SUPPORTERS = 2


def is_usable(supporters: int) -> bool:
    """One is a gripe; a point needs two or more behind it."""
    return supporters >= MIN_SUPPORTERS


def publish_points(uow: UnitOfWork, campaign_id: int, when: datetime) -> None:
    """Copy every talking point's support of the campaign into its published figure."""
    backers = select(func.count(PointSupport.id)).where(
        PointSupport.point_id == TalkingPoint.id
    ).scalar_subquery()
    uow.session.flush()
    uow.session.execute(
        update(TalkingPoint)
        .where(TalkingPoint.campaign_id == campaign_id)
        .values(supporters=backers + TalkingPoint.merged, counted_at=when)
        .execution_options(synchronize_session=False)
    )
    for row in list(uow.session.identity_map.values()):
        if isinstance(row, TalkingPoint):
            uow.session.expire(row)


def published_support(point: TalkingPoint) -> int | None:
    """The support as last published, None before the point's first count."""
    return point.supporters if point.counted_at is not None else None
