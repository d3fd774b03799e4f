"""App Home: each person's own page; the Messages tab gets nothing."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.e2e.slack_app.payloads import app_home_opened_event, slack_view
from tests.e2e.slack_app.workspace import PEOPLE, start_campaign


async def _campaign_with_activity(workspace) -> None:
    await start_campaign(workspace, liaison="carol", members=("bob", "dave"))
    await workspace.command("alice", '/pledge create ethics --text "We will not build it"')
    await workspace.command("bob", "/pledge sign ethics --named")
    await workspace.command("dave", '/grievance ethics --text "The rota leaves no rest" --solve')
    await workspace.advance(timedelta(hours=1))


async def test_a_member_sees_their_campaigns_and_signatures_on_their_home(workspace):
    await _campaign_with_activity(workspace)

    home = await workspace.open_home("bob")

    text = json.dumps(home)
    assert home["type"] == "home"
    assert "You are a member" in text and "the pledge (named)" in text
    assert "liaison queue" not in text and "threshold report" not in text
    [publish] = workspace.mock.calls("views.publish")
    assert publish.args["user_id"] == PEOPLE["bob"]


async def test_a_liaison_sees_their_queue_size_and_a_lead_the_latest_report(workspace):
    await _campaign_with_activity(workspace)

    liaison = json.dumps(await workspace.open_home("carol"))
    lead = json.dumps(await workspace.open_home("alice"))

    assert "Your liaison queue has 1 open item" in liaison
    assert "rota" not in liaison  # the size, never the text
    assert "threshold report" in lead and "Members:" in lead
    assert "liaison queue" not in lead


async def test_someone_new_is_offered_to_start_a_campaign_and_the_button_opens_the_form(
    workspace,
):
    home = await workspace.open_home("erin")

    assert "You are not in any campaign yet" in json.dumps(home)
    actions = next(b for b in home["blocks"] if b["type"] == "actions")
    button = next(e for e in actions["elements"] if e["action_id"] == "home-new-campaign")
    await workspace.click("erin", button["action_id"], view=slack_view("V0HOME", kind="home"))

    [opened] = workspace.opened_views()
    assert opened["title"]["text"] == "New campaign"


async def test_refresh_publishes_the_page_again(workspace):
    await workspace.open_home("erin")

    await workspace.click("erin", "home-refresh", view=slack_view("V0HOME", kind="home"))

    assert len(workspace.mock.calls("views.publish")) == 2


async def test_opening_the_messages_tab_publishes_and_posts_nothing(workspace):
    await start_campaign(workspace, liaison=None, members=("bob",))
    before = len(workspace.mock.calls())

    response = await workspace.post(app_home_opened_event(PEOPLE["bob"], tab="messages"))
    await workspace.settle()

    assert response.status_code == 200
    assert workspace.mock.calls()[before:] == []
