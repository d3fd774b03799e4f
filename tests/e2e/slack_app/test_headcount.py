"""Headcount `auto`: counted from users.list, without bots, Slackbot, deactivated users or guests."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bots.slack_app.directory import is_person
from campaigns.core.models import Campaign
from tests.e2e.slack_app.mock_slack import default_roster, slack_user


def _headcount(workspace) -> int | None:
    with workspace.app.unit() as uow:
        return uow.session.exec(select(Campaign.headcount)).one()


async def test_switching_to_auto_counts_the_people_of_the_workspace_at_once(workspace):
    await workspace.command("alice", "/campaign create ethics --headcount 40")

    answer = await workspace.command("alice", "/campaign headcount ethics auto")

    assert "counted from the workspace" in answer.text
    assert workspace.mock.calls("users.list")
    assert _headcount(workspace) == 3  # alice, bob and carol; not the bot, Slackbot, the
    #                                     deactivated account or either kind of guest


async def test_the_daily_refresh_pages_through_a_large_workspace(workspace):
    await workspace.command("alice", "/campaign create ethics --headcount 40")
    await workspace.command("alice", "/campaign headcount ethics auto")
    workspace.mock.users = default_roster() + [
        slack_user(f"U0STAFF{i:04d}", f"staff{i}") for i in range(450)]
    workspace.mock._calls.clear()

    await workspace.advance(timedelta(days=1, minutes=1))

    assert len(workspace.mock.calls("users.list")) == 3  # 458 accounts, 200 a page
    assert _headcount(workspace) == 453


async def test_a_campaign_with_a_fixed_headcount_keeps_it(workspace):
    await workspace.command("alice", "/campaign create ethics --headcount 40")

    await workspace.advance(timedelta(days=1, minutes=1))

    assert _headcount(workspace) == 40


def test_only_active_full_members_count_as_people():
    roster = {user["id"]: is_person(user) for user in default_roster()}

    assert roster == {"U0ALICE": True, "U0BOB": True, "U0CAROL": True, "U0CONCERTBOT": False,
                      "USLACKBOT": False, "U0GONE": False, "U0GUEST": False, "U0SINGLE": False}
