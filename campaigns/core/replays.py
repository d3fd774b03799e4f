"""Requests run once: a signed request seen before, on any worker, is not run again.

Only a hash of the request's signature is stored, with the moment after which
the platform's own age check would refuse the request anyway; rows past that
moment are deleted as new ones arrive (the caller says when, so that a burst
does not delete on every request). Nothing in a row says who sent what.

Every slash command passes here: its record is written in the transaction of
the command it starts (`record_delivery`; for commands run together, all of
theirs in one statement that also tells the replays, `record_new`), so that
it costs one Core statement and no transaction of its own; a command that commits nothing, or fails, has its
request recorded alone afterwards (`first_delivery`), before anyone is answered.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, String, delete, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from campaigns.core.batch_rows import arrays_of, unnested
from campaigns.core.errors import TryAgain
from campaigns.core.models import SeenRequest

_SEEN = SeenRequest.__table__
_RECORD = insert(_SEEN)
# Many at once. PostgreSQL: the rows of two arrays, so the statement's text is the same for
# any number of requests (campaigns/core/batch_rows.py); SQLite: the rows as a list.
_ARRIVED = unnested("arrived", digest=String(), expires_at=BigInteger())
_RECORD_NEW = {
    "postgresql": postgresql_insert(_SEEN).from_select(
        ["digest", "expires_at"], select(_ARRIVED.c.digest, _ARRIVED.c.expires_at))
    .on_conflict_do_nothing().returning(_SEEN.c.digest),
    "sqlite": sqlite_insert(_SEEN).on_conflict_do_nothing().returning(_SEEN.c.digest),
}


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


def record_new(session: Session, seen: list[tuple[str, int]]) -> set[str]:
    """Record several requests (digest, expires_at) in the session's transaction, in one
    statement; the digests that were new. The others were recorded already: replays."""
    if not seen:
        return set()
    connection = session.connection()
    dialect = connection.dialect.name
    rows = [{"digest": digest, "expires_at": expires_at} for digest, expires_at in seen]
    return set(connection.execute(_RECORD_NEW[dialect], arrays_of(rows, _ARRIVED)
                                  if dialect == "postgresql" else rows).scalars())


def unrecord(session: Session, digests: list[str]) -> None:
    """Take back records made in the session's transaction for requests that will run on
    their own after all (and be recorded there)."""
    if digests:
        session.connection().execute(delete(_SEEN).where(_SEEN.c.digest.in_(digests)))
