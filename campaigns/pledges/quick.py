"""The common case of `/pledge sign`, lean: one read, two inserts, one commit (shared).

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

Signatures arriving together (bots/runtime/lane.py) are signed in one
transaction: each is looked up as above, then all new members are inserted in
one statement and all signatures in another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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
        _C.language, _C.timezone,
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
# Many rows in one statement; the new ids come back in the order the rows were given.
_NEW_MEMBER = insert(Member.__table__).returning(_M.id, sort_by_parameter_order=True)
_NEW_SIGNATURE = insert(Signature.__table__)


@dataclass(frozen=True)
class Ask:
    """One person's `/pledge sign NAME` in a given mode."""

    person: Person
    name: str
    mode: Mode


@dataclass(frozen=True)
class QuickSigned:
    """What `sign_pledge` reports of a first signature, and the campaign's own language and
    time zone (None: the deployment's) for its answer."""

    campaign: str
    campaign_id: int
    state: str
    release_at: datetime | None
    next_count: datetime
    language: str | None = None
    timezone: str | None = None


@dataclass
class _Plan:
    ask: Ask
    row: Any
    vault: CampaignVault
    ref: str
    member_id: int | None = None


def first_signature(uow: UnitOfWork, person: Person, name: str, mode: Mode) -> QuickSigned | None:
    """Sign in the common case and commit; None, having written nothing, in any other case."""
    [signed] = first_signatures(uow, [Ask(person, name, mode)])
    if signed is not None:
        uow.concerns(signed.campaign_id, signed.language, signed.timezone)
        uow.commit()
    return signed


def first_signatures(uow: UnitOfWork, asks: Sequence[Ask]) -> list[QuickSigned | None]:
    """The common case among `asks`, signed in the unit's transaction and left for the caller
    to commit: the members in one statement, the signatures in another. None for every other
    ask, for which nothing is written; the full use case answers those, one by one, after."""
    now = uow.clock.now()
    plans: list[_Plan | None] = []
    taken: set[tuple[int, str]] = set()
    for ask in asks:
        plan = _plan(uow, ask)
        if plan is not None and (plan.row.campaign_id, plan.ref) in taken:
            plan = None  # the same person twice at once: the full use case tells them
        if plan is not None:
            taken.add((plan.row.campaign_id, plan.ref))
        plans.append(plan)
    connection = uow.session.connection()
    joining = [plan for plan in plans if plan is not None and plan.row.member_id is None]
    if joining:
        ids = connection.execute(_NEW_MEMBER, [{
            "campaign_id": plan.row.campaign_id, "member_ref": plan.ref, "role": Role.MEMBER,
            "status": Status.ACTIVE,
            "contact_sealed": seal_contact(plan.vault, plan.ask.person, plan.ref, Role.MEMBER),
            "team_id": None, "grievance_blocked": False, "joined_at": day_of(now),
            "digest": True, "announcements_seen": 0,
        } for plan in joining]).scalars().all()
        for plan, member_id in zip(joining, ids, strict=True):
            plan.member_id = member_id
    signing = [plan for plan in plans if plan is not None]
    counted = {plan.row.campaign_id: next_count_after(uow, plan.row.latest) for plan in signing}
    if signing:
        connection.execute(_NEW_SIGNATURE, [_signature(plan, counted[plan.row.campaign_id])
                                            for plan in signing])
    return [None if plan is None else QuickSigned(
        plan.row.name, plan.row.campaign_id, plan.row.state, plan.row.release_at,
        counted[plan.row.campaign_id], plan.row.language, plan.row.timezone)
        for plan in plans]


def _plan(uow: UnitOfWork, ask: Ask) -> _Plan | None:
    try:
        name = normal_name(ask.name)
    except BadName:
        return None
    workspace = uow.keys.workspace_ref(ask.person.platform, ask.person.workspace)
    row, vault, ref = _look_up(uow, ask.person, workspace, name)
    if row is None or vault is None or not _common(uow, row, vault, ask.mode):
        return None
    return _Plan(ask, row, vault, ref, row.member_id)


def _signature(plan: _Plan, counted_from: datetime) -> dict:
    sealed = None
    if plan.ask.mode != Mode.ANONYMOUS:
        sealed = plan.vault.seal_person(
            plan.ask.person, NAME,
            f"{SUBJECT}:{plan.row.pledge_id}:{plan.member_id}:{plan.ask.mode}")
    return {"campaign_id": plan.row.campaign_id, "subject": SUBJECT,
            "subject_id": plan.row.pledge_id, "member_id": plan.member_id,
            "mode": plan.ask.mode.value, "name_sealed": sealed, "released_at": None,
            "signed_at": counted_from, "listed_at": None}


def _look_up(uow: UnitOfWork, person: Person, workspace: str,
             name: str) -> tuple[Any, CampaignVault | None, str]:
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
            return None, None, ref
        if hint is not None and bytes(row.wrapped_key) == hint:
            return row, vault.bound(row.campaign_id), ref
        hint = bytes(row.wrapped_key)
        uow.keys.remember_key(workspace, name, hint)
    return None, None, ""


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
