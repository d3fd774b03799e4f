"""Every table, imported in one place so Alembic, the privacy page test and tools see it all."""

from sqlmodel import SQLModel

import campaigns.grievance_models  # noqa: F401
import campaigns.models  # noqa: F401
import campaigns.pledge_models  # noqa: F401
import campaigns.report_models  # noqa: F401
import petitions.models  # noqa: F401

metadata = SQLModel.metadata
