"""The domain fixture's in-memory jobs plan and run exactly as the real scheduler does."""

from __future__ import annotations

from datetime import timedelta

import pytest

from campaigns.core.models import Meta
from campaigns.core.unit_of_work import UnitOfWork


def note(uow: UnitOfWork, label: str) -> None:
    """A use case that leaves a trace: one row per run, keyed by label and run number."""
    runs = uow.session.get(Meta, f"runs:{label}")
    count = int(runs.value) + 1 if runs else 1
    uow.session.merge(Meta(key=f"runs:{label}", value=str(count)))
    uow.commit()


def _runs(jobs_owner, label: str) -> int:
    with jobs_owner.unit() as uow:
        row = uow.session.get(Meta, f"runs:{label}")
        return int(row.value) if row else 0


@pytest.fixture(params=["app", "domain"])
def owner(request):
    """The real scheduler of a built app, or the in-memory jobs of the domain fixture."""
    return request.getfixturevalue(request.param)


def test_one_off_weekly_and_cancelled_plans_run_alike_on_both(owner, clock):
    jobs, now = owner.jobs, clock.now()
    jobs.at("once:1", now + timedelta(hours=2), note, "once")
    jobs.at("once:1", now + timedelta(hours=3), note, "once")  # the same id replaces the plan
    jobs.weekly("weekly:1", now + timedelta(hours=1), note, "weekly")
    jobs.at("cancelled:1", now + timedelta(hours=1), note, "cancelled")
    jobs.cancel("cancelled:1")
    assert jobs.next_run("once:1") == now + timedelta(hours=3)

    clock.advance(timedelta(days=22))
    jobs.run_due(clock.now())

    assert (_runs(owner, "once"), _runs(owner, "weekly"), _runs(owner, "cancelled")) == (1, 1, 0)
    assert jobs.next_run("once:1") is None and jobs.next_run("cancelled:1") is None
    assert jobs.next_run("weekly:1") == now + timedelta(hours=1) + timedelta(weeks=4)
    assert jobs.run_due(clock.now()) == 0


def test_a_use_case_that_cannot_be_found_by_name_again_is_refused_when_planned_on_both(
        owner, clock):
    def nested(uow: UnitOfWork) -> None:
        """Not reachable as module:name, so a stored job could never find it again."""

    with pytest.raises(TypeError, match="module-level"):
        owner.jobs.at("nested:1", clock.now(), nested)
    assert owner.jobs.next_run("nested:1") is None
