"""One signature mechanism for pledges and petitions: conditional
signatures named only after the threshold, anonymous ones named only by their author.

A signature is anonymous (counted, never named), named (the signer may be
named to members now) or conditional (named only once the threshold is
reached and the cooling-off window has passed). One per person per subject,
whatever the retries: the unique constraint decides, and a losing race simply
finds the winner's row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import delete, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from campaigns.core.clock import day_of
from campaigns.core.models import Member, Signature
from campaigns.core.privacy import UNREADABLE, CampaignVault, Person, UnreadableEntry
from campaigns.core.unit_of_work import UnitOfWork

T = TypeVar("T")

NAME = "signature.name"
RELEASED = "released"


class Mode(StrEnum):
    ANONYMOUS = "anonymous"
    NAMED = "named"
    CONDITIONAL = "conditional"


def mode_from_flags(named: bool, conditional: bool) -> Mode:
    """`--named`, `--conditional`, or neither for anonymous. Commands refuse both at once; were
    both to arrive here, conditional is the more cautious reading."""
    if conditional:
        return Mode.CONDITIONAL
    return Mode.NAMED if named else Mode.ANONYMOUS


def name_row(row: Signature, state: str) -> str:
    """The place a sealed name is bound to, with the state that lets it be shown.

    `state` is the mode it was sealed under, or "released" once a conditional
    name may be shown: changing `mode` or `released_at` without the key makes
    the name unreadable instead of showing it.
    """
    return f"{row.subject}:{row.subject_id}:{row.member_id}:{state}"


@dataclass(frozen=True)
class Signed:
    subject: str
    subject_id: int
    mode: Mode
    previous: Mode | None
    unlisted: bool = False  # the signer's name was on a published list and is now off it

    @property
    def changed(self) -> bool:
        return self.previous is not None and self.previous != self.mode

    @property
    def repeated(self) -> bool:
        return self.previous == self.mode


def current(uow: UnitOfWork, subject: str, subject_id: int, member: Member) -> Signature | None:
    return uow.session.exec(
        select(Signature).where(
            Signature.subject == subject,
            Signature.subject_id == subject_id,
            Signature.member_id == member.id,
        )
    ).first()


def sign(uow: UnitOfWork, vault: CampaignVault, member: Member, person: Person, subject: str,
         subject_id: int, mode: Mode, counted_from: datetime | None = None) -> Signed:
    """Record or change the member's signature; only the signer can ever change its mode.

    `signed_at` keeps only the snapshot that first counts it (`counted_from`; without a
    scheduler, the end of the day): a bound on when it was made, no finer than what the
    published counts already show, and never earlier than the real moment.
    """
    row = current(uow, subject, subject_id, member)
    previous = Mode(row.mode) if row else None
    if row is None:
        stamp = counted_from or day_of(uow.clock.now()) + timedelta(days=1)
        row = Signature(campaign_id=member.campaign_id, subject=subject, subject_id=subject_id,
                        member_id=member.id, mode=mode, signed_at=stamp)
    was_listed = row.listed_at is not None
    row.mode = mode
    if mode != Mode.CONDITIONAL:
        row.released_at = None
    if not is_shown(row):
        # Taking one's name back works at once; being listed waits for the next snapshot.
        row.listed_at = None
    state = RELEASED if mode == Mode.CONDITIONAL and row.released_at else mode
    row.name_sealed = (None if mode == Mode.ANONYMOUS
                       else vault.seal_person(person, NAME, name_row(row, state)))
    uow.session.add(row)
    uow.session.flush()
    return Signed(subject, subject_id, mode, previous, was_listed and row.listed_at is None)


def is_shown(row: Signature) -> bool:
    """Whether the signature's name may be shown: named, or conditional and released."""
    return row.mode == Mode.NAMED or (row.mode == Mode.CONDITIONAL and row.released_at is not None)


def withdraw(uow: UnitOfWork, subject: str, subject_id: int, member: Member) -> bool:
    """Remove the member's signature, sealed name and all; False if there was none."""
    row = current(uow, subject, subject_id, member)
    if row is None:
        return False
    uow.session.delete(row)
    uow.session.flush()
    return True


def release_conditional(uow: UnitOfWork, vault: CampaignVault, subject: str, subject_id: int,
                        when: datetime, only: set[int] | None = None) -> int:
    """After the cooling-off window: conditional names may now be shown. Never undone.

    Each name is re-sealed under the "released" state: only the key can release a name.
    """
    rows = uow.session.exec(
        select(Signature)
        .where(Signature.subject == subject, Signature.subject_id == subject_id,
               Signature.mode == Mode.CONDITIONAL, Signature.released_at.is_(None))
    ).all()
    released = 0
    for row in rows:
        if only is not None and row.id not in only:
            continue
        if row.name_sealed is not None:
            person = vault.name_or_unreadable(row.name_sealed, NAME, name_row(row, Mode.CONDITIONAL))
            row.name_sealed = (vault.seal_person(person, NAME, name_row(row, RELEASED))
                               if isinstance(person, Person) else None)
        row.released_at = day_of(when)
        uow.session.add(row)
        released += 1
    uow.session.flush()
    return released


def destroy_sealed_names(uow: UnitOfWork, subject: str, subject_id: int) -> int:
    """The pledge expired first: sealed conditional names are destroyed; the count stays."""
    result = uow.session.execute(
        update(Signature)
        .where(Signature.subject == subject, Signature.subject_id == subject_id,
               Signature.mode == Mode.CONDITIONAL, Signature.released_at.is_(None))
        .values(name_sealed=None)
    )
    return result.rowcount or 0


def visible_names(uow: UnitOfWork, vault: CampaignVault, subject: str,
                  subject_id: int) -> list[Person | UnreadableEntry]:
    """Named signers and released conditional ones, in signing order; nobody else.

    A name whose seal does not open under the state the row claims is UNREADABLE.
    """
    rows = uow.session.exec(
        select(Signature)
        .where(Signature.subject == subject, Signature.subject_id == subject_id,
               Signature.name_sealed.is_not(None))
        .order_by(Signature.id)
    )
    return _names(vault, rows)


def _names(vault: CampaignVault, rows) -> list[Person | UnreadableEntry]:
    """The names rows may show, each opened under the state its row claims."""
    names: list[Person | UnreadableEntry] = []
    for row in rows:
        if row.mode == Mode.NAMED:
            state = Mode.NAMED
        elif row.mode == Mode.CONDITIONAL and row.released_at:
            state = RELEASED
        elif row.mode in (Mode.CONDITIONAL, Mode.ANONYMOUS):
            continue
        else:
            names.append(UNREADABLE)
            continue
        names.append(vault.name_or_unreadable(row.name_sealed, NAME, name_row(row, state)))
    return names


def tally(uow: UnitOfWork, subject: str, subject_id: int) -> dict[Mode, int]:
    """Signatures by mode, counted live: for delivery and internal decisions, never for display."""
    rows = uow.session.exec(
        select(Signature.mode, func.count(Signature.id))
        .where(Signature.subject == subject, Signature.subject_id == subject_id)
        .group_by(Signature.mode)
    )
    counts = {mode: 0 for mode in Mode}
    for mode, count in rows:
        counts[Mode(mode)] = count
    return counts


def signer_members(uow: UnitOfWork, subject: str, subject_id: int,
                   *modes: Mode) -> list[Member]:
    """The members who signed (optionally in given modes), to tell them what happened."""
    query = select(Member).join(Signature, Signature.member_id == Member.id).where(
        Signature.subject == subject, Signature.subject_id == subject_id
    )
    if modes:
        query = query.where(Signature.mode.in_([m.value for m in modes]))
    return list(uow.session.exec(query.order_by(Member.id)))


def committed_once(uow: UnitOfWork, work: Callable[[], T]) -> T:
    """Run `work` and commit; if a concurrent duplicate won the race, run it again on its rows."""
    try:
        result = work()
        uow.commit()
        return result
    except IntegrityError:
        uow.rollback()
    result = work()
    uow.commit()
    return result


def erase(uow: UnitOfWork, subject: str, subject_id: int) -> int:
    """Delete every signature on the subject, names and member links alike; returns how many.

    For a subject that expired before its threshold: a count kept elsewhere is all that stays.
    """
    result = uow.session.execute(
        delete(Signature).where(Signature.subject == subject, Signature.subject_id == subject_id)
    )
    return result.rowcount or 0


def list_names(uow: UnitOfWork, subject: str, subject_id: int, when: datetime) -> int:
    """At a snapshot: names that may be shown and are not listed yet are listed from `when`."""
    result = uow.session.execute(
        update(Signature)
        .where(Signature.subject == subject, Signature.subject_id == subject_id,
               Signature.listed_at.is_(None), Signature.name_sealed.is_not(None),
               or_(Signature.mode == Mode.NAMED,
                   (Signature.mode == Mode.CONDITIONAL) & Signature.released_at.is_not(None)))
        .values(listed_at=when)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def listed_names(uow: UnitOfWork, vault: CampaignVault, subject: str,
                 subject_id: int) -> list[Person | UnreadableEntry]:
    """The published list: names listed by a snapshot and not taken back since."""
    rows = uow.session.exec(
        select(Signature)
        .where(Signature.subject == subject, Signature.subject_id == subject_id,
               Signature.listed_at.is_not(None), Signature.name_sealed.is_not(None))
        .order_by(Signature.id)
    )
    return _names(vault, rows)
