"""How big the liaison queue is, by tag and by age: counts only, never text or authors.

It sums up what `/liaison queue` shows the same liaison (one line per open
item, with its tag and age), and only for a liaison of the campaign. Like
every figure, it is as of the latest snapshot: an item filed since then is
not counted yet, so the size cannot be watched for the moment someone files.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from campaigns.core.access import find_campaign, require_member, require_role
from campaigns.core.models import Role
from campaigns.core.privacy import Person
from campaigns.core.unit_of_work import UnitOfWork
from campaigns.grievances.models import FINISHED, Grievance, Tag
from campaigns.grievances.queue import published_at

# Age groups in days: waiting more than 3 days is when liaisons get a reminder.
AGES = ((0, 0), (1, 3), (4, 7), (8, None))


@dataclass(frozen=True)
class AgeRow:
    """Open items filed between `low` and `high` days ago (`high` None: or longer)."""

    low: int
    high: int | None
    vent: int
    solve: int

    @property
    def total(self) -> int:
        return self.vent + self.solve


@dataclass(frozen=True)
class QueueSizes:
    campaign: str
    rows: tuple[AgeRow, ...]

    @property
    def vent(self) -> int:
        return sum(row.vent for row in self.rows)

    @property
    def solve(self) -> int:
        return sum(row.solve for row in self.rows)

    @property
    def total(self) -> int:
        return self.vent + self.solve


def _group(days: int) -> int:
    for index, (low, high) in enumerate(AGES):
        if days >= low and (high is None or days <= high):
            return index
    return 0


def queue_sizes(uow: UnitOfWork, person: Person, name: str) -> QueueSizes:
    """Open queue items the latest snapshot published, counted by tag and age, for one of
    the campaign's liaisons."""
    campaign = find_campaign(uow, person, name)
    require_role(require_member(uow, campaign, person), (Role.LIAISON,), "liaison queue",
                 campaign)
    now = uow.clock.now()
    counts = [{Tag.VENT.value: 0, Tag.SOLVE.value: 0} for _ in AGES]
    published = published_at(uow, campaign)
    rows = [] if published is None else uow.session.exec(
        select(Grievance.tag, Grievance.filed_at).where(
            Grievance.campaign_id == campaign.id, Grievance.filed_at <= published,
            Grievance.status.not_in([s.value for s in FINISHED])))
    for tag, filed_at in rows:
        cell = counts[_group((now - filed_at).days)]
        cell[tag] = cell.get(tag, 0) + 1
    rows = tuple(AgeRow(low, high, cell[Tag.VENT.value], cell[Tag.SOLVE.value])
                 for (low, high), cell in zip(AGES, counts, strict=True))
    return QueueSizes(campaign.name, rows)
