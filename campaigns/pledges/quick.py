"""The common case of `/pledge sign`, lean: one read, two inserts, one commit.

In a burst almost every signature is the first one of a person who is not a
member yet, or an active member, of an open campaign whose pledge is open.
That case is read in one statement (the campaign, its newest pledge, the
latest snapshot's time, the person's membership, a block on their pseudonym
and any signature of theirs) and written with two Core inserts, instead of
nine ORM statements. Anything else (a repeat, a change of mode, an invited
member, a private campaign, an error to explain) returns None, and the full
use case in `signing.py` handles it from the start, so both give the same
answers, the same rows and the same refusals.

The statement needs the member_ref, an HMAC under the campaign's key, before
it has read the campaign row: the key the campaign had when last looked up is
used as a hint, and the row read must still hold exactly that key, or the
lookup is made again with the key it does hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, exists, func, insert, literal, select

from campaigns.core.access import normal_name
from campaigns.core.clock import day_of
from campaigns.core.contacts import role_is_genuine, seal_contact
from campaigns.core.errors import BadName
from campaigns.core.models import BlockedAuthor, Campaign, Member, Role, Signature, Snapshot, Status
from campaigns.core.privacy import CampaignVault, Person
from campaigns.core.schedule import next_count_after
from campaigns.core.signatures import NAME, Mode
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.pledges.models import Pledge, PledgeState
from campaigns.pledges.outcomes import SUBJECT, closed_for_signing

_C, _P, _M = Campaign.__table__.c, Pledge.__table__.c, Member.__table__.c
_S, _B, _N = Signature.__table__.c, BlockedAuthor.__table__.c, Snapshot.__table__.c
_NEWEST = Pledge.__table__.alias("newest")

# Built once: executing a statement object again skips building and keying it anew.
_LOOKUP = (
    select(
        _C.id.label("campaign_id"), _C.name, _C.wrapped_key, _C.private, _C.archived_at,
        _P.id.label("pledge_id"), _P.state, _P.deadline, _P.release_at,
        _M.id.label("member_id"), _M.member_ref, _M.role, _M.status, _M.contact_sealed,
        exists().where(_B.campaign_id == _C.id, _B.member_ref == bindparam("ref"))
        .label("blocked"),
        select(func.max(_N.taken_at)).where(_N.campaign_id == _C.id).scalar_subquery()
        .label("latest"),
        _S.id.label("signature_id"),
    )
    .select_from(Campaign.__table__)
    .outerjoin(Pledge.__table__, _P.id == select(func.max(_NEWEST.c.id)).where(
        _NEWEST.c.campaign_id == _C.id).correlate(Campaign.__table__).scalar_subquery())
    .outerjoin(Member.__table__, and_(_M.campaign_id == _C.id, _M.member_ref == bindparam("ref")))
    .outerjoin(Signature.__table__, and_(_S.subject == literal(SUBJECT), _S.subject_id == _P.id,
                                         _S.member_id == _M.id))
    .where(_C.workspace_ref == bindparam("workspace"), _C.name == bindparam("name"))
)
_NEW_MEMBER = insert(Member.__table__).returning(_M.id)
_NEW_SIGNATURE = insert(Signature.__table__)


@dataclass(frozen=True)
class QuickSigned:
    """What `sign_pledge` reports of a first signature."""

    campaign: str
    campaign_id: int
    state: str
    release_at: datetime | None
    next_count: datetime


def first_signature(uow: UnitOfWork, person: Person, name: str, mode: Mode) -> QuickSigned | None:
    """Sign in the common case and commit; None, having written nothing, in any other case."""
    try:
        name = normal_name(name)
    except BadName:
        return None
    workspace = uow.keys.workspace_ref(person.platform, person.workspace)
    row, vault = _look_up(uow, person, workspace, name)
    if row is None or vault is None or not _common(uow, row, vault, mode):
        return None
    now = uow.clock.now()
    member_id = row.member_id
    connection = uow.session.connection()
    if member_id is None:
        ref = vault.member_ref(person)
        member_id = connection.execute(_NEW_MEMBER, {
            "campaign_id": row.campaign_id, "member_ref": ref, "role": Role.MEMBER,
            "status": Status.ACTIVE, "contact_sealed": seal_contact(vault, person, ref, Role.MEMBER),
            "team_id": None, "grievance_blocked": False, "joined_at": day_of(now), "digest": True,
            "announcements_seen": 0,
        }).scalar_one()
    counted_from = next_count_after(uow, row.latest)
    sealed = None
    if mode != Mode.ANONYMOUS:
        sealed = vault.seal_person(person, NAME, f"{SUBJECT}:{row.pledge_id}:{member_id}:{mode}")
    connection.execute(_NEW_SIGNATURE, {
        "campaign_id": row.campaign_id, "subject": SUBJECT, "subject_id": row.pledge_id,
        "member_id": member_id, "mode": mode.value, "name_sealed": sealed, "released_at": None,
        "signed_at": counted_from, "listed_at": None,
    })
    uow.commit()
    return QuickSigned(row.name, row.campaign_id, row.state, row.release_at, counted_from)


def _look_up(uow: UnitOfWork, person: Person, workspace: str,
             name: str) -> tuple[object | None, CampaignVault | None]:
    hint = uow.keys.key_hint(workspace, name)
    # Core statements on the session's connection, in its transaction: Session.execute
    # would only add its ORM bookkeeping to each (bench/slack_wrk.py).
    connection = uow.session.connection()
    for _ in range(2):
        vault = uow.keys.vault(hint) if hint is not None else None
        ref = vault.member_ref(person) if vault is not None else ""
        row = connection.execute(_LOOKUP, {"workspace": workspace, "name": name,
                                          "ref": ref}).first()
        if row is None or row.wrapped_key is None:
            return None, None
        if hint is not None and bytes(row.wrapped_key) == hint:
            return row, vault.bound(row.campaign_id)
        hint = bytes(row.wrapped_key)
        uow.keys.remember_key(workspace, name, hint)
    return None, None


def _common(uow: UnitOfWork, row, vault: CampaignVault, mode: Mode) -> bool:
    """A live, open pledge; a person who never signed it, either new to an open campaign and
    not blocked, or an active member whose role is genuine."""
    if row.archived_at is not None or row.pledge_id is None or row.signature_id is not None:
        return False
    if closed_for_signing(row, uow.clock.now()):
        return False
    if mode == Mode.CONDITIONAL and row.state == PledgeState.RELEASED:
        return False
    if row.member_id is None:
        return not row.private and not row.blocked
    return row.status == Status.ACTIVE and role_is_genuine(vault, row)
