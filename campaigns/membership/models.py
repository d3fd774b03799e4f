"""Dashboard access tables: one-time links and the browser sessions they open.

Neither holds a token: only its keyed hash (`MasterKey.access_ref`). Both rows
name a member row and its campaign, so they go when the member leaves or the
campaign is archived. Every column is listed in docs/PRIVACY.md.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class DashboardLink(SQLModel, table=True):
    """A one-time link to a campaign's dashboard, for one lead or liaison; valid 10 minutes."""

    __tablename__ = "dashboard_link"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    token_ref: str = Field(max_length=64, unique=True)
    expires_at: datetime
    used_at: datetime | None = None


class DashboardSession(SQLModel, table=True):
    """A browser's hour on one campaign's dashboard, opened by a link."""

    __tablename__ = "dashboard_session"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    session_ref: str = Field(max_length=64, unique=True)
    expires_at: datetime
