"""The daily digest: everyone with digests on, once per person per workspace, at the set local
time, whether or not anything waits; `/campaign digest NAME off` means never pinged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bots.runtime.bootstrap import build
from bots.runtime.jobs import DIGEST
from campaigns.core.digests import digest_recipients
from tests.support import advance, ask


def _day(app, clock, notifier) -> list[str]:
    notifier.digests.clear()
    advance(app, clock, timedelta(days=1))
    return sorted(p.user for p in notifier.digests)


def test_a_person_in_two_campaigns_of_the_workspace_is_pinged_once(app, clock, notifier):
    ask(app, "alice", "/campaign create ethics")
    ask(app, "alice", "/campaign create payroll")
    ask(app, "bob", "/campaign join ethics")
    ask(app, "bob", "/campaign join payroll")
    ask(app, "carol", "/campaign join payroll")
    assert _day(app, clock, notifier) == ["alice", "bob", "carol"]


def test_off_means_never_pinged_for_that_campaign_and_on_brings_it_back(app, clock, notifier):
    ask(app, "alice", "/campaign create ethics")
    ask(app, "alice", "/campaign create payroll")
    ask(app, "bob", "/campaign join ethics")
    turned = ask(app, "bob", "/campaign digest ethics off")[0]
    assert "is off" in turned
    assert _day(app, clock, notifier) == ["alice"]
    assert _day(app, clock, notifier) == ["alice"]
    ask(app, "alice", "/campaign digest ethics off")
    assert _day(app, clock, notifier) == ["alice"], "still on for payroll"
    ask(app, "bob", "/campaign digest ethics on")
    assert _day(app, clock, notifier) == ["alice", "bob"]


def test_only_members_may_set_it_and_only_to_on_or_off(app):
    ask(app, "alice", "/campaign create ethics")
    assert "take" in ask(app, "alice", "/campaign digest ethics sometimes")[0]
    assert "on or off" in ask(app, "alice", "/campaign digest ethics sometimes")[0]
    refused = ask(app, "mallory", "/campaign digest ethics off")[0]
    assert "is off" not in refused
    assert "`on` or `off`" in ask(app, "alice", "/campaign digest help")[0]


def test_invited_people_are_pinged_and_archived_campaigns_are_not(app, clock, notifier):
    ask(app, "alice", "/campaign create ethics --private")
    ask(app, "alice", "/campaign invite ethics @bob")
    ask(app, "carol", "/campaign create payroll")
    ask(app, "carol", "/campaign archive payroll --confirm")
    assert _day(app, clock, notifier) == ["alice", "bob"]


def test_recipients_come_in_batches_each_person_once(app):
    ask(app, "alice", "/campaign create ethics")
    ask(app, "alice", "/campaign create payroll")
    for name in ("b", "c", "d", "e", "f", "g"):
        ask(app, name, "/campaign join ethics")
        ask(app, name, "/campaign join payroll")
    with app.unit() as uow:
        batches = list(digest_recipients(uow, batch=3))
    assert all(1 <= len(batch) <= 3 for batch in batches)
    everyone = [p.user for batch in batches for p in batch]
    assert sorted(everyone) == ["alice", "b", "c", "d", "e", "f", "g"]


def test_the_digest_runs_at_the_local_time_of_the_deployment(settings, clock, notifier):
    local = settings.model_copy(update={"digest_at": datetime(2026, 1, 1, 17, 30).time(),
                                        "timezone": "Europe/Berlin"})
    app = build(local, clock=clock, notifier=notifier, realtime=False, logging_setup=False)
    try:
        # 2 November: Berlin is on winter time, UTC+1.
        assert app.jobs.next_run(DIGEST) == datetime(2026, 11, 2, 16, 30, tzinfo=UTC)
        ask(app, "alice", "/campaign create ethics")
        advance(app, clock, timedelta(hours=7, minutes=29))
        assert notifier.digests == []
        advance(app, clock, timedelta(minutes=1))
        assert [p.user for p in notifier.digests] == ["alice"]
    finally:
        app.close()


def test_a_restart_keeps_the_planned_digest_and_runs_it_once(settings, clock, notifier):
    first = build(settings, clock=clock, notifier=notifier, realtime=False, logging_setup=False)
    planned = first.jobs.next_run(DIGEST)
    first.close()
    clock.advance(timedelta(hours=3))
    again = build(settings, clock=clock, notifier=notifier, realtime=False, logging_setup=False)
    try:
        assert again.jobs.next_run(DIGEST) == planned == datetime(2026, 11, 3, 9, tzinfo=UTC)
    finally:
        again.close()


def test_a_changed_time_zone_replaces_the_planned_digest(settings, clock, notifier):
    build(settings, clock=clock, notifier=notifier, realtime=False, logging_setup=False).close()
    moved = settings.model_copy(update={"timezone": "America/New_York"})
    app = build(moved, clock=clock, notifier=notifier, realtime=False, logging_setup=False)
    try:
        # 09:00 in New York on 2 November (winter time, UTC−5) is 14:00 UTC.
        assert app.jobs.next_run(DIGEST) == datetime(2026, 11, 2, 14, tzinfo=UTC)
    finally:
        app.close()
