"""Requests run once: a signed request seen before, on any worker, is not run again.

Only a hash of the request's signature is stored, with the moment after which
the platform's own age check would refuse the request anyway; rows past that
moment are deleted as new ones arrive. Nothing in a row says who sent what.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from campaigns.core.models import SeenRequest
from campaigns.core.unit_of_work import UnitOfWork


def first_delivery(uow: UnitOfWork, digest: str, expires_at: int, now: int) -> bool:
    """Record a request by its digest; False when it was recorded already (a replay)."""
    uow.session.execute(delete(SeenRequest).where(SeenRequest.expires_at < now))
    uow.session.add(SeenRequest(digest=digest, expires_at=expires_at))
    try:
        uow.commit()
    except IntegrityError:
        uow.rollback()
        return False
    return True
