"""The common case of `/pledge sign`, lean: a few reads, two inserts, one commit, shared by
every signature that arrives at the same moment.

In a burst almost every signature is the first one of a person who is not a
member yet, or an active member, of an open campaign whose pledge is open.
That case is read in two statements for all the signatures of a batch
(bots/runtime/lane.py) together: each campaign with its newest pledge and the
latest snapshot's time; then, by the signers' pseudonyms, their memberships,
blocks and signatures. All new members are written in one statement and all
signatures in another, instead of nine ORM statements each. On PostgreSQL,
where each statement is a round trip that the whole batch waits for, the
pseudonyms travel as one array and the new members' ids come back from their
insert (campaigns/core/batch_rows.py). Anything else (a repeat, a change of
mode, an invited member, a private campaign, an error to explain) returns
None, and the full use case in `signing.py` handles it from the start, so both
give the same answers, the same rows and the same refusals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Integer,
    LargeBinary,
    String,
    and_,
    bindparam,
    func,
    insert,
    literal,
    select,
    true,
)

from campaigns.core.access import normal_name
from campaigns.core.batch_rows import arrays_of, listed, unnested
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
_CAMPAIGN = (
    select(
        _C.id.label("campaign_id"), _C.name, _C.wrapped_key, _C.private, _C.archived_at,
        _C.language, _C.timezone,
        _P.id.label("pledge_id"), _P.state, _P.deadline, _P.release_at,
        select(func.max(_N.taken_at)).where(_N.campaign_id == _C.id).scalar_subquery()
        .label("latest"),
    )
    .select_from(Campaign.__table__)
    .outerjoin(Pledge.__table__, _P.id == select(func.max(_NEWEST.c.id)).where(
        _NEWEST.c.campaign_id == _C.id).correlate(Campaign.__table__).scalar_subquery())
    .where(_C.workspace_ref == bindparam("workspace"), _C.name == bindparam("name"))
)
_MEMBERS = select(_M.id, _M.member_ref).where(
    _M.campaign_id == bindparam("campaign"), _M.member_ref.in_(bindparam("refs", expanding=True)))
# SQLite: rows written with the driver's executemany, then the new members' ids read back by
# their pseudonyms (_MEMBERS). PostgreSQL: the same rows sent column by column as arrays, in
# one statement of the same text for any batch, which returns the ids: one round trip,
# parsed once (campaigns/core/batch_rows.py).
_NEW_MEMBER = insert(Member.__table__)
_NEW_SIGNATURE = insert(Signature.__table__)
_JOINING = unnested(
    "joining", campaign_id=Integer(), member_ref=String(), role=String(), status=String(),
    contact_sealed=LargeBinary(), team_id=Integer(), grievance_blocked=Boolean(),
    joined_at=DateTime(), digest=Boolean(), announcements_seen=Integer())
_JOIN = insert(Member.__table__).from_select(list(_JOINING.c.keys()), select(_JOINING)) \
    .returning(_M.id, _M.campaign_id, _M.member_ref)
_SIGNING = unnested(
    "signing", campaign_id=Integer(), subject=String(), subject_id=Integer(),
    member_id=Integer(), mode=String(), name_sealed=LargeBinary(), released_at=DateTime(),
    signed_at=DateTime(), listed_at=DateTime())
_SIGN = insert(Signature.__table__).from_select(list(_SIGNING.c.keys()), select(_SIGNING))


@cache
def _signers_read(dialect: str):
    """Each pseudonym asked about, with its membership if any, whether it is blocked, and
    whether that member signed the pledge already: one statement for a whole batch.

    On PostgreSQL the statement is prepared, and its plan kept, while a campaign is young and
    its statistics say it has a handful of members; a burst makes it thousands within
    seconds. Looking each pseudonym up on its own (LATERAL ... LIMIT 1, on the unique keys)
    keeps the plan right at any size, where a join planned for a handful would read every
    member of the campaign for each batch."""
    asked = listed(dialect, "refs", String(), "asked")
    ref, campaign = asked.c.value, bindparam("campaign", type_=Integer())
    same_person = (_M.campaign_id == campaign, _M.member_ref == ref)
    not_allowed = (_B.campaign_id == campaign, _B.member_ref == ref)
    signed_by = (_S.subject == literal(SUBJECT), _S.subject_id == bindparam("pledge"))
    if dialect == "postgresql":
        member = select(_M.id, _M.member_ref, _M.role, _M.status, _M.contact_sealed) \
            .where(*same_person).limit(1).lateral("known")
        blocked = select(_B.id).where(*not_allowed).limit(1).lateral("blocked")
        signed = select(_S.member_id).where(*signed_by, _S.member_id == member.c.id) \
            .limit(1).lateral("signed")
        joined = asked.outerjoin(member, true()).outerjoin(blocked, true()) \
            .outerjoin(signed, true())
    else:
        member, blocked, signed = Member.__table__, BlockedAuthor.__table__, Signature.__table__
        joined = asked.outerjoin(member, and_(*same_person)) \
            .outerjoin(blocked, and_(*not_allowed)) \
            .outerjoin(signed, and_(*signed_by, _S.member_id == _M.id))
    return select(ref.label("ref"), member.c.id, member.c.member_ref, member.c.role,
                  member.c.status, member.c.contact_sealed,
                  blocked.c.id.is_not(None).label("blocked"),
                  signed.c.member_id.is_not(None).label("signed")).select_from(joined)


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
    campaign: Any  # the campaign's row (_CAMPAIGN)
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
    to commit. None for every other ask, for which nothing is written; the full use case
    answers those, one by one, after."""
    plans = _plans(uow, asks)
    now = uow.clock.now()
    connection = uow.session.connection()
    joining = [plan for plan in plans if plan is not None and plan.member_id is None]
    if joining:
        _join(connection, joining, day_of(now))
    signing = [plan for plan in plans if plan is not None]
    counted = {plan.campaign.campaign_id: next_count_after(uow, plan.campaign.latest)
               for plan in signing}
    if signing:
        rows = [_signature(plan, counted[plan.campaign.campaign_id]) for plan in signing]
        if connection.dialect.name == "postgresql":
            connection.execute(_SIGN, arrays_of(rows, _SIGNING))
        else:
            connection.execute(_NEW_SIGNATURE, rows)
    return [None if plan is None else QuickSigned(
        plan.campaign.name, plan.campaign.campaign_id, plan.campaign.state,
        plan.campaign.release_at, counted[plan.campaign.campaign_id], plan.campaign.language,
        plan.campaign.timezone) for plan in plans]


def _plans(uow: UnitOfWork, asks: Sequence[Ask]) -> list[_Plan | None]:
    # Each ask's campaign, read once per campaign; then its signers, read together.
    plans: list[_Plan | None] = [None] * len(asks)
    by_campaign: dict[tuple[str, str], list[int]] = {}
    for position, ask in enumerate(asks):
        try:
            name = normal_name(ask.name)
        except BadName:
            continue
        workspace = uow.keys.workspace_ref(ask.person.platform, ask.person.workspace)
        by_campaign.setdefault((workspace, name), []).append(position)
    connection = uow.session.connection()
    for (workspace, name), positions in by_campaign.items():
        campaign = connection.execute(_CAMPAIGN, {"workspace": workspace, "name": name}).first()
        if campaign is None or campaign.wrapped_key is None or not _open(uow, campaign):
            continue
        vault = uow.keys.vault(campaign.wrapped_key, campaign.campaign_id)
        refs: dict[str, int] = {}
        for position in positions:
            if asks[position].mode == Mode.CONDITIONAL and campaign.state == PledgeState.RELEASED:
                continue
            ref = vault.member_ref(asks[position].person)
            if ref not in refs:  # the same person twice at once: the full use case tells them
                refs[ref] = position
        for ref, member_id in _signers(connection, campaign, vault, list(refs)).items():
            plans[refs[ref]] = _Plan(asks[refs[ref]], campaign, vault, ref, member_id)
    return plans


def _open(uow: UnitOfWork, campaign) -> bool:
    """A live campaign with an open pledge."""
    return (campaign.archived_at is None and campaign.pledge_id is not None
            and not closed_for_signing(campaign, uow.clock.now()))


def _signers(connection, campaign, vault: CampaignVault, refs: list[str]) -> dict[str, int | None]:
    """Which of these pseudonyms may sign now as a plain first signature, with their member id
    (None: not a member yet). A new person may join an open campaign unless blocked; a member
    must be active, hold the role their contact was sealed with, and not have signed."""
    if not refs:
        return {}
    may: dict[str, int | None] = {}
    for row in connection.execute(_signers_read(connection.dialect.name), {
            "campaign": campaign.campaign_id, "pledge": campaign.pledge_id, "refs": refs}):
        if row.id is None:
            if not campaign.private and not row.blocked:
                may[row.ref] = None
        elif row.status == Status.ACTIVE and not row.signed and role_is_genuine(vault, row):
            may[row.ref] = row.id
    return may


def _join(connection, joining: list[_Plan], joined_at: datetime) -> None:
    """Write the members these plans need, and give each plan its member's id."""
    rows = [{"campaign_id": plan.campaign.campaign_id, "member_ref": plan.ref,
             "role": Role.MEMBER, "status": Status.ACTIVE,
             "contact_sealed": seal_contact(plan.vault, plan.ask.person, plan.ref, Role.MEMBER),
             "team_id": None, "grievance_blocked": False, "joined_at": joined_at,
             "digest": True, "announcements_seen": 0} for plan in joining]
    if connection.dialect.name == "postgresql":
        ids = {(row.campaign_id, row.member_ref): row.id for row in connection.execute(
            _JOIN, arrays_of(rows, _JOINING))}
    else:
        connection.execute(_NEW_MEMBER, rows)
        ids = {}
        for campaign_id in {plan.campaign.campaign_id for plan in joining}:
            ids.update({(campaign_id, row.member_ref): row.id for row in connection.execute(
                _MEMBERS, {"campaign": campaign_id, "refs": [
                    plan.ref for plan in joining if plan.campaign.campaign_id == campaign_id]})})
    for plan in joining:
        plan.member_id = ids[(plan.campaign.campaign_id, plan.ref)]


def _signature(plan: _Plan, counted_from: datetime) -> dict:
    sealed = None
    if plan.ask.mode != Mode.ANONYMOUS:
        sealed = plan.vault.seal_person(
            plan.ask.person, NAME,
            f"{SUBJECT}:{plan.campaign.pledge_id}:{plan.member_id}:{plan.ask.mode}")
    return {"campaign_id": plan.campaign.campaign_id, "subject": SUBJECT,
            "subject_id": plan.campaign.pledge_id, "member_id": plan.member_id,
            "mode": plan.ask.mode.value, "name_sealed": sealed, "released_at": None,
            "signed_at": counted_from, "listed_at": None}
