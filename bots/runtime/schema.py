"""Every table, imported in one place so Alembic, the privacy page test and tools see it all."""

import campaigns.core.models  # noqa: F401
import campaigns.grievances.models  # noqa: F401
import campaigns.membership.models  # noqa: F401
import campaigns.pledges.models  # noqa: F401
import campaigns.reports.models  # noqa: F401
import petitions.models  # noqa: F401
from campaigns.core.schema import metadata

__all__ = ["metadata"]
