"""Requests run once: a signed request seen before, on any worker, is not run again.

Only a hash of the request's signature is stored, with the moment after which
the platform's own age check would refuse the request anyway; rows past that
moment are deleted as new ones arrive (the caller says when, so that a burst
does not delete on every request). Nothing in a row says who sent what.

Every slash command passes here: its record is written in the transaction of
the command it starts (`record_delivery`; for commands run together, all of
theirs in one statement, `record_deliveries`), so that it costs one Core
statement and no transaction of its own; a command that commits nothing, or fails, has its
request recorded alone afterwards (`first_delivery`), before anyone is answered.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from campaigns.core.errors import TryAgain
from campaigns.core.models import SeenRequest

_SEEN = SeenRequest.__table__
_RECORD = insert(_SEEN)


def first_delivery(engine: Engine, digest: str, expires_at: int, now: int, *,
                   forget_expired: bool = True) -> bool:
    """Record a request by its digest; False when it was recorded already (a replay).
    With `forget_expired`, records past their moment are deleted first.

    Raises TryAgain when the database cannot be reached or stays locked.
    """
    try:
        with engine.begin() as connection:
            if forget_expired:
                connection.execute(delete(_SEEN).where(_SEEN.c.expires_at < now))
            connection.execute(_RECORD, {"digest": digest, "expires_at": expires_at})
    except IntegrityError:
        return False
    except (OperationalError, InterfaceError):
        raise TryAgain() from None
    return True


def record_delivery(session: Session, digest: str, expires_at: int) -> bool:
    """Record a request in the session's transaction, as the first thing the work it starts
    does; False when it was recorded already (a replay), the session then rolled back."""
    try:
        session.connection().execute(_RECORD, {"digest": digest, "expires_at": expires_at})
    except IntegrityError:
        session.rollback()
        return False
    return True


def recorded_already(session: Session, digests: list[str]) -> set[str]:
    """Which of these requests are recorded already: replays, not to be run again."""
    if not digests:
        return set()
    rows = session.connection().execute(select(_SEEN.c.digest).where(_SEEN.c.digest.in_(digests)))
    return set(rows.scalars())


def record_deliveries(session: Session, seen: list[tuple[str, int]]) -> None:
    """Record several new requests (digest, expires_at) in the session's transaction, in one
    statement; one recorded meanwhile elsewhere fails it with IntegrityError."""
    if seen:
        session.connection().execute(_RECORD, [{"digest": digest, "expires_at": expires_at}
                                               for digest, expires_at in seen])
