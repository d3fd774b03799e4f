"""Every table, imported in one place so Alembic, the privacy page test and tools see it all."""

from sqlmodel import SQLModel

import campaigns.core.models  # noqa: F401
import campaigns.grievances.models  # noqa: F401
import campaigns.pledges.models  # noqa: F401
import campaigns.reports.models  # noqa: F401
import petitions.models  # noqa: F401

metadata = SQLModel.metadata
