"""App Home: a private page per person, published when they open it or press Refresh.

The Home tab shows a person their campaigns and signatures, a liaison their
queue size, a lead the latest report. The Messages tab is a DM that the
employer can export, so nothing is published there: only content-free pings.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.commands.forms import forms
from bots.commands.overview import gather_overview
from bots.slack_app.adapter import Slack
from bots.slack_app.modals import open_form
from bots.slack_app.translate import plain, to_blocks, to_person
from bots.slack_app.views import Opening, labels

log = logging.getLogger("concerted.slack.home")
REFRESH = "home-refresh"
NEW_CAMPAIGN = "home-new-campaign"
HOME_BLOCKS_MAX = 100


def register(bolt, slack: Slack) -> None:
    """Publish the Home tab on opening and on Refresh; open the campaign form from it."""

    async def home_opened(event: dict, body: dict, client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        slack.spawn(publish_home(slack, client, _team(body), event["user"]))

    async def refresh(ack, body: dict, client: AsyncWebClient) -> None:
        await ack()
        slack.spawn(publish_home(slack, client, _team(body), body["user"]["id"]))

    async def new_campaign(ack, body: dict, client: AsyncWebClient) -> None:
        await ack()
        slack.spawn(open_form(client, body.get("trigger_id"), Opening(forms()["campaign"])))

    bolt.event("app_home_opened")(home_opened)
    bolt.action(REFRESH)(refresh)
    bolt.action(NEW_CAMPAIGN)(new_campaign)


async def publish_home(slack: Slack, client: AsyncWebClient, team: str, user: str) -> None:
    """Build the person's overview off the loop and publish it to their Home tab."""
    overview = await slack.in_thread(_gather, slack, to_person(team, user))
    text = slack.render("adapter/home.j2", {"o": overview})
    try:
        await client.views_publish(user_id=user, view=home_view(text))
    except SlackApiError as exc:
        log.warning("slack.home_not_published error=%s", exc.response.get("error", "unknown"))


def home_view(text: str) -> dict:
    """The Home tab: the rendered overview and its two buttons."""
    actions = {"type": "actions", "block_id": "home-actions", "elements": [
        {"type": "button", "action_id": REFRESH, "text": plain(labels()["refresh"])},
        {"type": "button", "action_id": NEW_CAMPAIGN, "text": plain(labels()["new_campaign"]),
         "style": "primary"},
    ]}
    return {"type": "home", "blocks": [*to_blocks(text)[: HOME_BLOCKS_MAX - 1], actions]}


def _gather(slack: Slack, person):
    with slack.app.unit() as uow:
        return gather_overview(uow, person)


def _team(body: dict) -> str:
    return body.get("team_id") or (body.get("team") or {}).get("id") or body["user"]["team_id"]
