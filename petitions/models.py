"""Petition tables. Text is sealed once, when a draft is made, and never updated.

Every column here is listed in docs/PRIVACY.md, with who can read it and
when it is destroyed; tests/integration/test_privacy_page.py keeps them in step.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from campaigns.core.models import sealed

SUBJECT = "petition"  # the `subject` of petition rows in the shared signature table


class Stage(StrEnum):
    DRAFT = "draft"  # waiting for two co-sponsors
    REVIEW = "review"  # with the liaisons
    RETURNED = "returned"  # sent back by a liaison; changes mean a new draft
    OPEN = "open"  # frozen text, open for signing
    DELIVERED = "delivered"  # the letter went out; closed to signing


class Petition(SQLModel, table=True):
    """Three talking points and one ask to a named addressee."""

    __tablename__ = "petition"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    ref: str = Field(max_length=16, unique=True)
    # SET NULL: an author who leaves takes their membership, not the colleagues' petition.
    author_id: int | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    stage: str = Field(default=Stage.DRAFT, max_length=16)
    title_sealed: bytes | None = Field(default=None, sa_column=sealed())
    addressee_sealed: bytes | None = Field(default=None, sa_column=sealed())
    points_sealed: bytes | None = Field(default=None, sa_column=sealed())
    ask_sealed: bytes | None = Field(default=None, sa_column=sealed())
    return_reason_sealed: bytes | None = Field(default=None, sa_column=sealed())
    created_at: datetime
    review_at: datetime | None = None
    opened_at: datetime | None = None
    returned_at: datetime | None = None
    delivered_at: datetime | None = None
    signatures: int = 0  # published: signatures as of `counted_at`, refreshed by each snapshot
    counted_at: datetime | None = None


class PetitionSponsor(SQLModel, table=True):
    """A co-sponsor of a draft; two send it to the liaisons."""

    __tablename__ = "petition_sponsor"
    __table_args__ = (UniqueConstraint("petition_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    petition_id: int = Field(foreign_key="petition.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    sponsored_at: datetime


class PetitionApproval(SQLModel, table=True):
    """A liaison's approval; two (one if there is only one liaison) open the petition."""

    __tablename__ = "petition_approval"
    __table_args__ = (UniqueConstraint("petition_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    petition_id: int = Field(foreign_key="petition.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    approved_at: datetime


class PetitionDelivery(SQLModel, table=True):
    """A delivery a lead asked for, and who confirmed it: disclosure takes two."""

    __tablename__ = "petition_delivery"

    id: int | None = Field(default=None, primary_key=True)
    petition_id: int = Field(foreign_key="petition.id", unique=True, ondelete="CASCADE")
    # CASCADE: a lead who leaves withdraws the request they made.
    requested_by: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    requested_at: datetime
    # HMAC under the campaign key over the petition's ref and the requesting lead's member_ref:
    # a request slipped in without the key cannot be "confirmed" into a delivery with names.
    request_mac: str | None = Field(default=None, max_length=64)
    confirmed_by: int | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    confirmed_at: datetime | None = None
