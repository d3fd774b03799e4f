"""Talking points and the retention purge on a real database."""

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from campaigns.core.access import find_campaign
from campaigns.core.errors import AlreadyMerged, NotAllowed, NotFound, PointNotUsable, TextTooLong
from campaigns.core.models import PointSupport, TalkingPoint
from campaigns.core.privacy import Person
from campaigns.grievances import filing as grievances
from campaigns.grievances import points
from campaigns.grievances import queue as liaison_queue
from campaigns.grievances.models import Grievance
from campaigns.membership import administration, roles
from campaigns.membership.joining import NewCampaign, join_campaign, open_campaign
from tests.support import publish

LEAD = Person("console", "console", "alice")
LIAISON = Person("console", "console", "bob")
AUTHOR = Person("console", "console", "carol")
MEMBERS = [Person("console", "console", f"m{i}") for i in range(5)]
POINT = "Night shifts are followed by day shifts with under 11 hours of rest."


def run(app, use_case, *args, **kwargs):
    with app.unit() as uow:
        return use_case(uow, *args, **kwargs)


@pytest.fixture
def ethics(app):
    run(app, open_campaign, LEAD, NewCampaign(name="ethics", headcount=40, retention_days=7))
    run(app, roles.add_liaison, LEAD, "ethics", LIAISON)
    for person in [AUTHOR, *MEMBERS]:
        run(app, join_campaign, person, "ethics")
    return "ethics"


def count(app, model) -> int:
    with app.unit() as uow:
        return len(uow.session.exec(select(model)).all())


def test_a_point_is_usable_only_once_two_people_back_it_as_published(app, ethics, clock):
    point = run(app, points.create_point, LIAISON, "ethics", POINT)
    with app.unit() as uow, pytest.raises(PointNotUsable):
        points.usable_point(uow, find_campaign(uow, LEAD, "ethics"), point.id)
    first = run(app, points.support_point, MEMBERS[0], point.id)
    assert not first.already and first.next_count is not None
    again = run(app, points.support_point, MEMBERS[0], point.id)
    assert again.already and count(app, PointSupport) == 1
    run(app, points.support_point, MEMBERS[1], point.id)
    with app.unit() as uow, pytest.raises(PointNotUsable):
        points.usable_point(uow, find_campaign(uow, LEAD, "ethics"), point.id)
    publish(app, clock)
    listed = run(app, points.list_points, AUTHOR, "ethics").points[0]
    assert listed.usable and str(listed.supporters) == "fewer than 5"
    with app.unit() as uow:
        assert points.usable_point(uow, find_campaign(uow, LEAD, "ethics"), point.id) == POINT


def test_support_counts_are_shown_only_from_k_upwards(app, ethics, clock):
    point = run(app, points.create_point, LIAISON, "ethics", POINT)
    assert run(app, points.list_points, AUTHOR, "ethics").points[0].supporters is None
    for person in MEMBERS[:4]:
        run(app, points.support_point, person, point.id)
    publish(app, clock)
    assert str(run(app, points.list_points, AUTHOR, "ethics").points[0].supporters) == "fewer than 5"
    run(app, points.support_point, MEMBERS[4], point.id)
    publish(app, clock)
    listed = run(app, points.list_points, AUTHOR, "ethics").points[0]
    assert str(listed.supporters) == "5" and not listed.yours


def test_only_liaisons_write_points_and_a_point_is_at_most_280_characters(app, ethics):
    with pytest.raises(NotAllowed):
        run(app, points.create_point, LEAD, "ethics", POINT)
    with pytest.raises(TextTooLong):
        run(app, points.create_point, LIAISON, "ethics", "x" * 281)
    created = run(app, points.create_point, LIAISON, "ethics", "Dave Miller ignores the rota.")
    assert [w.concern for w in created.warnings] == ["names"], "warned, yet saved"
    assert count(app, TalkingPoint) == 1


def test_a_merge_counts_the_grievance_once_whoever_wrote_it_and_supports_a_single_point(
        app, ethics, clock):
    ref = run(app, grievances.file_grievance, AUTHOR, "ethics", "No rest.", "solve").ref
    publish(app, clock)
    point = run(app, points.create_point, LIAISON, "ethics", POINT)
    other = run(app, points.create_point, LIAISON, "ethics", "The quiet room is gone.")
    run(app, points.support_point, AUTHOR, point.id)
    merged = run(app, points.merge_into_point, LIAISON, 1, point.id)
    assert not merged.already and count(app, PointSupport) == 1
    assert run(app, points.merge_into_point, LIAISON, 1, point.id).already
    with pytest.raises(AlreadyMerged):
        run(app, points.merge_into_point, LIAISON, 1, other.id)
    assert run(app, grievances.grievance_status, AUTHOR, ref).point_id == point.id
    publish(app, clock)
    listed = run(app, points.list_points, AUTHOR, "ethics").points[0]
    assert listed.usable, "the +1 and the merged grievance count once each, never matched"


def test_points_of_another_campaign_cannot_be_merged_or_supported_across_workspaces(app, ethics):
    run(app, open_campaign, LEAD, NewCampaign(name="canteen"))
    run(app, roles.add_liaison, LEAD, "canteen", LIAISON)
    elsewhere = run(app, points.create_point, LIAISON, "canteen", "The canteen closes at 2pm.")
    run(app, grievances.file_grievance, AUTHOR, "ethics", "No rest.", "solve")
    with pytest.raises(NotFound):
        run(app, points.merge_into_point, LIAISON, 1, elsewhere.id)
    with pytest.raises(NotFound):
        run(app, points.support_point, Person("slack", "T0", "carol"), elsewhere.id)


def test_the_purge_follows_the_campaigns_retention_and_the_point_keeps_its_supporters(
        app, ethics, clock):
    run(app, grievances.file_grievance, AUTHOR, "ethics", "No rest.", "solve")
    publish(app, clock)
    point = run(app, points.create_point, LIAISON, "ethics", POINT)
    run(app, points.merge_into_point, LIAISON, 1, point.id)
    run(app, points.support_point, MEMBERS[0], point.id)
    run(app, liaison_queue.reply_to_author, LIAISON, 1, "Noted.")
    closed = run(app, liaison_queue.close_item, LIAISON, 1)
    assert closed.purge_on == clock.now().replace(hour=0) + timedelta(days=7), "kept by the day"
    clock.advance(timedelta(days=6))
    app.jobs.run_due(clock.now())
    assert count(app, Grievance) == 1
    clock.advance(timedelta(days=1, hours=1))
    app.jobs.run_due(clock.now())
    assert count(app, Grievance) == 0
    with app.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM grievance_reply")).scalar_one() == 0
    listed = run(app, points.list_points, MEMBERS[0], "ethics").points[0]
    assert listed.usable and listed.yours, "the merged grievance's count outlives its text"
    assert count(app, PointSupport) == 1


def test_the_daily_sweep_purges_even_when_the_one_off_job_was_lost(app, ethics, clock):
    run(app, grievances.file_grievance, AUTHOR, "ethics", "No rest.", "solve")
    publish(app, clock)
    run(app, liaison_queue.close_item, LIAISON, 1)
    app.jobs.cancel("grievance-purge:1")
    clock.advance(timedelta(days=8))
    app.jobs.run_due(clock.now())
    assert count(app, Grievance) == 0


def test_open_items_are_never_purged_however_old(app, ethics, clock):
    run(app, grievances.file_grievance, AUTHOR, "ethics", "No rest.", "solve")
    clock.advance(timedelta(days=90))
    app.jobs.run_due(clock.now())
    assert count(app, Grievance) == 1


def test_archiving_a_campaign_destroys_its_grievances_points_and_supports(app, ethics, clock):
    run(app, grievances.file_grievance, AUTHOR, "ethics", "No rest.", "solve")
    publish(app, clock)
    point = run(app, points.create_point, LIAISON, "ethics", POINT)
    run(app, points.merge_into_point, LIAISON, 1, point.id)
    run(app, liaison_queue.reply_to_author, LIAISON, 1, "Noted.")
    run(app, administration.archive_campaign, LEAD, "ethics")
    assert count(app, Grievance) == count(app, TalkingPoint) == count(app, PointSupport) == 0
    with app.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM grievance_reply")).scalar_one() == 0
