"""Pledges and consent-based introductions between their signers
(docs/ORGANIZING.md: "Nobody wants to go first", "Find each other by consent").

Signatures themselves live in the shared `signature` table (subject "pledge").
Every column here is listed in docs/PRIVACY.md.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from campaigns.core.models import sealed


class PledgeState(StrEnum):
    OPEN = "open"  # collecting signatures, threshold not reached yet
    REACHED = "reached"  # threshold reached: conditional names wait out the cooling-off window
    RELEASED = "released"  # conditional names are shown to members
    EXPIRED = "expired"  # the deadline came first: names destroyed, only the count kept


class IntroductionStatus(StrEnum):
    PENDING = "pending"
    MADE = "made"  # both accepted; each was told who the other is
    DECLINED = "declined"
    CANCELLED = "cancelled"  # one side left the pool or withdrew before both accepted


class Pledge(SQLModel, table=True):
    """A campaign's pledge; its counts are refreshed only when a snapshot is taken."""

    __tablename__ = "pledge"
    # Ids are never reused, so a job planned for an archived pledge cannot touch a newer one.
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    text_sealed: bytes | None = Field(default=None, sa_column=sealed())
    state: str = Field(default=PledgeState.OPEN, max_length=16)
    deadline: datetime | None = None
    created_at: datetime
    reached_at: datetime | None = None
    release_at: datetime | None = None
    released_at: datetime | None = None
    expired_at: datetime | None = None
    supporters: int = 0
    named: int = 0
    counted_at: datetime | None = None


class IntroductionPool(SQLModel, table=True):
    """A signer who asked to meet other signers of the pledge, in their team or anywhere."""

    __tablename__ = "introduction_pool"
    __table_args__ = (UniqueConstraint("pledge_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    pledge_id: int = Field(foreign_key="pledge.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    team_only: bool = False
    joined_at: datetime


class Introduction(SQLModel, table=True):
    """An offered introduction between two pooled signers; identities pass only if both accept."""

    __tablename__ = "introduction"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    pledge_id: int = Field(foreign_key="pledge.id", index=True, ondelete="CASCADE")
    ref: str = Field(max_length=12, unique=True)
    requester_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    other_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    requester_accepted: bool = False
    other_accepted: bool = False
    status: str = Field(default=IntroductionStatus.PENDING, max_length=16)
    # HMAC under the campaign key over both answers and the status: a database writer
    # without the key cannot turn a pending introduction into a made one.
    consent_mac: str | None = Field(default=None, max_length=64)
    created_at: datetime
    decided_at: datetime | None = None
