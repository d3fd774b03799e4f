"""The snapshot job counts people, not signatures: someone who signed two things counts once,
in the total and in their team's cell; members who signed nothing are members, not supporters."""

from __future__ import annotations

from sqlmodel import select

from campaigns.core.models import Snapshot, SnapshotTeam
from campaigns.membership.joining import NewCampaign, join_campaign, open_campaign
from tests.support import add_supporters, next_snapshot, people, person


def latest(domain) -> tuple[Snapshot, dict[int | None, int]]:
    with domain.unit() as uow:
        snapshot = uow.session.exec(select(Snapshot).order_by(Snapshot.id.desc())).first()
        cells = {row.team_id: row.supporters for row in uow.session.exec(
            select(SnapshotTeam).where(SnapshotTeam.snapshot_id == snapshot.id))}
        return snapshot, cells


def test_two_signatures_from_one_person_count_as_one_supporter_in_total_and_in_the_team(
        domain, clock):
    with domain.unit() as uow:
        open_campaign(uow, person("alice"), NewCampaign("ethics", headcount=200))
    add_supporters(domain, "ethics", people("pay", 7), team="payments")
    add_supporters(domain, "ethics", people("pay", 4), subject_id=2)  # four of them sign again
    add_supporters(domain, "ethics", people("ops", 6), team="operations")
    add_supporters(domain, "ethics", people("solo", 2))
    for name in people("idle", 3):
        with domain.unit() as uow:
            join_campaign(uow, person(name), "ethics")
    next_snapshot(domain, clock)
    snapshot, cells = latest(domain)
    assert snapshot.supporters == 15
    assert snapshot.members == 19  # alice, 15 supporters, 3 who only joined
    assert sorted(cells.values()) == [2, 6, 7]
    assert cells[None] == 2
