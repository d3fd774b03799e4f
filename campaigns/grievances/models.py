"""Grievances and the replies that travel both ways.

A grievance links to its author only by `member_id` (itself a pseudonymous
row), so the bot can answer them, rate-limit them and block them; liaisons
never see it. Texts are sealed; grievance texts and replies are deleted
`retention_days` after the item is closed or declined. Every column is
listed in docs/PRIVACY.md.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from campaigns.core.models import sealed


class Tag(StrEnum):
    """Venting is heard and counted; problems go into talking points."""

    VENT = "vent"
    SOLVE = "solve"


class ItemStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    DECLINED = "declined"
    CLOSED = "closed"


FINISHED = (ItemStatus.DECLINED, ItemStatus.CLOSED)


class Speaker(StrEnum):
    AUTHOR = "author"
    LIAISONS = "liaisons"


class Grievance(SQLModel, table=True):
    """One item in the liaison queue; `ref` is the author's private handle on it."""

    __tablename__ = "grievance"
    __table_args__ = (UniqueConstraint("campaign_id", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    # SET NULL: an author who leaves takes the link to them, not the colleagues' queue item.
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True,
                                  ondelete="SET NULL")
    ref: str = Field(max_length=16)
    tag: str = Field(max_length=8)
    status: str = Field(default=ItemStatus.OPEN, max_length=16)
    text_sealed: bytes | None = Field(default=None, sa_column=sealed())
    claimed_by: int | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    point_id: int | None = Field(default=None, foreign_key="talking_point.id",
                                 ondelete="SET NULL")
    filed_at: datetime = Field(index=True)
    revealed_at: datetime | None = None
    # HMAC under the campaign key over (ref, author's member_ref): the author's consent to be
    # named to the liaisons. Without it, revealed_at alone shows no name.
    reveal_mac: str | None = Field(default=None, max_length=64)
    announced_at: datetime | None = None
    reminded_at: datetime | None = None
    closed_at: datetime | None = None


class GrievanceReply(SQLModel, table=True):
    """A message on a grievance, from the liaison group or from the author; never signed."""

    __tablename__ = "grievance_reply"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    grievance_id: int = Field(foreign_key="grievance.id", index=True, ondelete="CASCADE")
    speaker: str = Field(max_length=16)
    declined: bool = False
    body_sealed: bytes | None = Field(default=None, sa_column=sealed())
    created_at: datetime
