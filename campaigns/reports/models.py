"""Threshold report tables: a lead's weekly report schedule.

Every column is listed in docs/PRIVACY.md. The only personal value, the chat
channel a lead chose for the report, is sealed under the campaign key.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from campaigns.core.models import sealed


class ReportSchedule(SQLModel, table=True):
    """A weekly threshold report for one lead: day and local time in the campaign's zone,
    optionally also to a channel."""

    __tablename__ = "report_schedule"
    __table_args__ = (UniqueConstraint("member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", ondelete="CASCADE")
    weekday: int
    minute_of_day: int
    channel_sealed: bytes | None = Field(default=None, sa_column=sealed())
    created_at: datetime
