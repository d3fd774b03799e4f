"""Every table, imported in one place so Alembic, the privacy page test and tools see it all."""

from sqlmodel import SQLModel

import campaigns.models  # noqa: F401

metadata = SQLModel.metadata
