"""Core tables. Columns ending in `_sealed` hold AES-GCM ciphertext; `*_ref` hold HMACs.

Every column here is listed, with who can read it and when it is destroyed, in
docs/PRIVACY.md; tests/integration/test_privacy_page.py keeps the two in step.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


class Role(StrEnum):
    MEMBER = "member"
    LIAISON = "liaison"
    LEAD = "lead"


EVERYONE = (Role.MEMBER, Role.LIAISON, Role.LEAD)


class Status(StrEnum):
    INVITED = "invited"
    ACTIVE = "active"


def sealed(nullable: bool = True) -> Column:
    return Column(LargeBinary, nullable=nullable)


class Meta(SQLModel, table=True):
    """Facts about the installation itself, such as the master key's check value."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=200)


class Campaign(SQLModel, table=True):
    __tablename__ = "campaign"
    __table_args__ = (UniqueConstraint("workspace_ref", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_ref: str = Field(max_length=64, index=True)
    name: str = Field(max_length=32)
    wrapped_key: bytes | None = Field(default=None, sa_column=sealed())
    title_sealed: bytes | None = Field(default=None, sa_column=sealed())
    description_sealed: bytes | None = Field(default=None, sa_column=sealed())
    headcount: int | None = None
    headcount_auto: bool = False
    threshold_percent: float = 5.0
    private: bool = False
    retention_days: int = 30
    created_at: datetime
    archived_at: datetime | None = None
    # What a lead chose (`/campaign language`, `/campaign timezone`); None: the deployment's.
    language: str | None = Field(default=None, max_length=16)
    timezone: str | None = Field(default=None, max_length=64)


class Team(SQLModel, table=True):
    """A self-declared team; its name is sealed, its ref groups breakdowns."""

    __tablename__ = "team"
    __table_args__ = (UniqueConstraint("campaign_id", "team_ref"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    team_ref: str = Field(max_length=64)
    name_sealed: bytes | None = Field(default=None, sa_column=sealed())


class Member(SQLModel, table=True):
    __tablename__ = "member"
    # The snapshot job counts members and groups them by team from this index alone; the
    # few leads and liaisons of a campaign are found by role without reading every member
    # (a petition's approvals, role notices, the dashboard: bench/dashboard.py).
    __table_args__ = (UniqueConstraint("campaign_id", "member_ref"),
                      Index("ix_member_campaign_team", "campaign_id", "team_id", "status"),
                      Index("ix_member_campaign_role", "campaign_id", "role"))

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", ondelete="CASCADE")
    member_ref: str = Field(max_length=64)
    role: str = Field(default=Role.MEMBER, max_length=16)
    status: str = Field(default=Status.ACTIVE, max_length=16)
    contact_sealed: bytes | None = Field(default=None, sa_column=sealed())
    team_id: int | None = Field(default=None, foreign_key="team.id", ondelete="SET NULL")
    grievance_blocked: bool = False
    joined_at: datetime
    # Off means this membership never asks for the daily digest ping (`/campaign digest`).
    digest: bool = True
    # The newest campaign announcement this member's inbox has shown.
    announcements_seen: int = 0


class Milestone(SQLModel, table=True):
    """A share of the headcount to reach (5% by default, then any further
    milestones); announced once when first crossed."""

    __tablename__ = "milestone"
    __table_args__ = (UniqueConstraint("campaign_id", "percent"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    percent: float
    reached_at: datetime | None = None


class Snapshot(SQLModel, table=True):
    """Published counts: every number a person sees is read from the latest of these."""

    __tablename__ = "snapshot"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    taken_at: datetime = Field(index=True)
    supporters: int
    headcount: int | None = None
    members: int = 0


class SnapshotTeam(SQLModel, table=True):
    """One team's cell of a snapshot; team_id NULL is "no team declared"."""

    __tablename__ = "snapshot_team"

    id: int | None = Field(default=None, primary_key=True)
    snapshot_id: int = Field(foreign_key="snapshot.id", index=True, ondelete="CASCADE")
    team_id: int | None = Field(default=None, foreign_key="team.id", ondelete="SET NULL")
    supporters: int


class Notice(SQLModel, table=True):
    """Waiting content for `/campaign inbox`; the DM that points here carries none."""

    __tablename__ = "notice"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    body_sealed: bytes | None = Field(default=None, sa_column=sealed())
    created_at: datetime


class Announcement(SQLModel, table=True):
    """A public event (a threshold reached, a petition opened) that every member's inbox shows.

    One row per event, however many members: the crossing snapshot of a huge
    campaign must not write a notice per member.
    """

    __tablename__ = "announcement"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    body_sealed: bytes | None = Field(default=None, sa_column=sealed())
    created_at: datetime


class Signature(SQLModel, table=True):
    """One person's signature on a pledge or petition: one per person per subject.

    `mode` is anonymous, named or conditional. `name_sealed` holds the way to
    name the signer, only for named and conditional signatures; `released_at`
    is set when a conditional name may be shown.
    """

    __tablename__ = "signature"
    # The snapshot job counts distinct signers of a campaign from this index alone.
    __table_args__ = (UniqueConstraint("subject", "subject_id", "member_id"),
                      Index("ix_signature_campaign_member", "campaign_id", "member_id"))

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", ondelete="CASCADE")
    subject: str = Field(max_length=16)
    subject_id: int = Field(index=True)
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    mode: str = Field(max_length=16)
    name_sealed: bytes | None = Field(default=None, sa_column=sealed())
    released_at: datetime | None = None
    signed_at: datetime
    # The snapshot that first put this name on the published list; cleared the moment the
    # signer takes their name back, so a name appears with a count and leaves at once.
    listed_at: datetime | None = None


class TalkingPoint(SQLModel, table=True):
    """A concrete point the liaisons drew from grievances; members +1 it.

    `supporters` is the published figure, refreshed by each count snapshot; nothing
    a person reads or any decision they can observe uses the live rows.
    """

    __tablename__ = "talking_point"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    text_sealed: bytes | None = Field(default=None, sa_column=sealed())
    created_at: datetime
    merged: int = 0  # grievances merged into it: one each, whoever wrote them
    supporters: int = 0  # published: +1s and merged grievances as of `counted_at`
    counted_at: datetime | None = None


class PointSupport(SQLModel, table=True):
    """One member's +1 on a talking point: one per member, and it outlives the grievance."""

    __tablename__ = "point_support"
    __table_args__ = (UniqueConstraint("point_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    point_id: int = Field(foreign_key="talking_point.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    supported_at: datetime | None = None


class BlockedAuthor(SQLModel, table=True):
    """A blocked author who left the campaign: only their pseudonym, so rejoining keeps the block."""

    __tablename__ = "blocked_author"
    __table_args__ = (UniqueConstraint("campaign_id", "member_ref"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    member_ref: str = Field(max_length=64)


class SeenRequest(SQLModel, table=True):
    """A signed platform request already run, by a hash of its signature, until it would be
    refused as too old anyway; so a replay is acknowledged and not run, on any worker."""

    __tablename__ = "seen_request"

    digest: str = Field(primary_key=True, max_length=64)
    expires_at: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
