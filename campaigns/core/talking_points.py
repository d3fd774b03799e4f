"""What makes a talking point usable: two or more people behind it (one is a gripe)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from campaigns.core.models import PointSupport
from campaigns.core.unit_of_work import UnitOfWork

MIN_SUPPORTERS = 2


def is_usable(supporters: int) -> bool:
    """R1: one person is a gripe; a point needs two or more behind it."""
    return supporters >= MIN_SUPPORTERS


def point_supporters(uow: UnitOfWork, point_id: int) -> int:
    """How many members stand behind a point: for decisions, and shown only suppressed."""
    return uow.session.exec(
        select(func.count(PointSupport.id)).where(PointSupport.point_id == point_id)
    ).one()
