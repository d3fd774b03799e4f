"""What a dashboard page shows, gathered from the same domain functions chat answers with.

Nothing is counted here: the report is `/threshold NAME`, the pledge is
`/pledge status NAME`, the petitions are `/petition list NAME`, the queue's
size is `/liaison queue NAME` summed up — each asked as the viewer, so the
page shows exactly what chat would show the same person, and no more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bots.web.chart import Chart, supporters_chart
from campaigns.core.errors import NoPledge
from campaigns.core.models import Role
from campaigns.core.schedule import next_count
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.grievances.sizes import QueueSizes, queue_sizes
from campaigns.membership.dashboard import Viewer
from campaigns.pledges.signing import PledgeView, pledge_status
from campaigns.reports.report import ChartPoint, ThresholdReport, read_threshold_reports
from campaigns.reports.schedules import next_report
from petitions.listing import list_petitions
from petitions.records import PetitionView


@dataclass(frozen=True)
class Overview:
    campaign: str
    role: str
    report: ThresholdReport
    chart: Chart | None
    pledge: PledgeView | None
    petitions: list[PetitionView]
    queue: QueueSizes | None
    next_snapshot: datetime
    next_report: datetime | None
    k: int
    signed_in_until: datetime


def overview_of(uow: UnitOfWork, viewer: Viewer) -> Overview:
    """Everything the viewer's page shows, as of the latest snapshot."""
    person, name = viewer.person, viewer.campaign.name
    lead = viewer.role == Role.LEAD
    report = read_threshold_reports(uow, person, name)[0]
    try:
        pledge = pledge_status(uow, person, name)
    except NoPledge:
        pledge = None
    k = uow.rules.min_count
    chart = None
    if report.lead is not None:
        chart = supporters_chart(report.lead.history, report.headline.target, k)
    return Overview(
        campaign=name, role=viewer.role, report=report, chart=chart, pledge=pledge,
        petitions=list_petitions(uow, person, name).petitions,
        queue=queue_sizes(uow, person, name) if viewer.role == Role.LIAISON else None,
        next_snapshot=next_count(uow, viewer.campaign),
        next_report=next_report(uow, person, name) if lead else None,
        k=k, signed_in_until=viewer.expires_at,
    )


def series_of(uow: UnitOfWork, viewer: Viewer) -> tuple[ChartPoint, ...] | None:
    """The snapshot series a lead may download: the chart's points, suppressed as drawn."""
    if viewer.role != Role.LEAD:
        return None
    report = read_threshold_reports(uow, viewer.person, viewer.campaign.name)[0]
    return report.lead.history if report.lead is not None else ()
