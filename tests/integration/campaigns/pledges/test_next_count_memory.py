"""Signers are told when the next count includes them. The time is kept in memory for a
moment, since every signature asks, but never once it has passed or the plan has changed."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from bots.runtime.bootstrap import build
from bots.runtime.jobs import publish_counts
from campaigns.core.clock import ManualClock
from campaigns.core.privacy import Person
from campaigns.core.schedule import SNAPSHOTS
from campaigns.core.signatures import Mode
from campaigns.membership.joining import NewCampaign, open_campaign
from campaigns.pledges import signing as pledges

# Later than the wall clock, so that remembered times are still ahead and are served.
LATER = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)


def person(name: str) -> Person:
    return Person("console", "console", name)


def run(app, use_case, *args):
    with app.unit() as uow:
        return use_case(uow, *args)


@pytest.fixture
def later():
    return ManualClock(LATER, frozen=True)


@pytest.fixture
def app_later(settings, later, notifier):
    built = build(settings, clock=later, notifier=notifier, realtime=False, logging_setup=False)
    yield built
    built.close()


def test_a_signer_after_a_count_is_told_the_following_count_not_the_one_just_taken(
        app_later, later):
    run(app_later, open_campaign, person("alice"), NewCampaign("ethics", headcount=40))
    run(app_later, pledges.create_pledge, person("alice"), "ethics", "We stand together.", None)
    first = run(app_later, pledges.sign_pledge, person("bob"), "ethics", Mode.ANONYMOUS)
    later.advance(timedelta(hours=1))
    app_later.jobs.run_due(later.now())
    second = run(app_later, pledges.sign_pledge, person("carol"), "ethics", Mode.ANONYMOUS)
    assert first.next_count == LATER + timedelta(hours=1)
    assert second.next_count == LATER + timedelta(hours=2)


def test_a_job_planned_again_or_called_off_is_seen_at_once(app_later):
    jobs = app_later.jobs
    jobs.at("bench-memory:1", LATER + timedelta(days=1), publish_counts)
    assert jobs.next_run("bench-memory:1") == LATER + timedelta(days=1)
    jobs.at("bench-memory:1", LATER + timedelta(days=2), publish_counts)
    assert jobs.next_run("bench-memory:1") == LATER + timedelta(days=2)
    jobs.cancel("bench-memory:1")
    assert jobs.next_run("bench-memory:1") is None


def test_a_plan_changed_by_another_process_is_seen_once_the_moment_has_passed(
        app_later, settings, later, notifier):
    app_later.jobs.next_run_ttl = 0.2
    before = app_later.jobs.next_run(SNAPSHOTS)
    faster = settings.model_copy(update={"snapshot_every": timedelta(minutes=15)})
    other = build(faster, clock=later, notifier=notifier, realtime=False, logging_setup=False)
    other.close()
    time.sleep(0.3)
    assert before == LATER + timedelta(hours=1)
    assert app_later.jobs.next_run(SNAPSHOTS) == LATER + timedelta(minutes=15)
