"""Headcount `auto`: the workspace's people, counted from `users.list`.

Counted: active full members. Left out: bots and apps, Slackbot (which
`users.list` does not flag as a bot), deactivated accounts, and guests
(single- and multi-channel), who are not part of the workforce a threshold
is a share of. Only the number is kept; no user is stored or logged. The
locale listing (locales.py) already reads the whole workspace every ten
minutes and counts the same people: its count is taken when it is fresh,
so that Slack's rate-limited listing is paged once, not twice.
"""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.web.async_client import AsyncWebClient

from bots.commands.replies import FollowUp
from bots.runtime import jobs
from bots.slack_app.adapter import Slack
from bots.slack_app.locales import Locales
from bots.slack_app.translate import PLATFORM, is_person
from campaigns.membership.administration import record_workspace_headcount

log = logging.getLogger("concerted.slack.directory")
PAGE = 200
COUNT_TIMEOUT = 600.0


async def count_people(client: AsyncWebClient,
                       locales: Locales | None = None) -> tuple[str, int]:
    """The workspace id and how many people it has: as the locale listing of the last few
    minutes counted them (one pass of users.list for both), else paging through it now."""
    team = (await client.auth_test())["team_id"]
    listed = locales.headcount(team) if locales is not None else None
    if listed is not None:
        return team, listed
    people = 0
    async for page in await client.users_list(limit=PAGE):
        people += sum(1 for user in page.get("members", []) if is_person(user))
    return team, people


def counter(client: AsyncWebClient, loop: asyncio.AbstractEventLoop,
            locales: Locales | None = None):
    """A blocking counter for the scheduler's worker thread; the count runs on the Slack loop."""

    def count() -> dict[str, int]:
        future = asyncio.run_coroutine_threadsafe(count_people(client, locales), loop)
        team, people = future.result(timeout=COUNT_TIMEOUT)
        return {team: people}

    return count


def install(slack: Slack, loop: asyncio.AbstractEventLoop) -> None:
    """Refresh `auto` headcounts daily from this workspace's directory, and at once after a
    lead switched a campaign to `auto`."""
    jobs.register_directory(slack.app, PLATFORM, counter(slack.client, loop, slack.locales))
    jobs.install_headcount_refresh(slack.app)
    slack.follow_ups[FollowUp.COUNT_WORKSPACE] = lambda person: refresh_now(slack, person.workspace)


def uninstall(slack: Slack) -> None:
    """The adapter is stopping: the headcount job no longer counts through it."""
    jobs.forget_directory(slack.app, PLATFORM)
    slack.follow_ups.pop(FollowUp.COUNT_WORKSPACE, None)


async def refresh_now(slack: Slack, team_id: str) -> None:
    """Count at once, right after a lead switched a campaign to `auto`."""
    try:
        team, people = await count_people(slack.client, slack.locales)
    except Exception as exc:  # noqa: BLE001 - the daily refresh will try again
        log.warning("slack.headcount_failed error=%s", type(exc).__name__)
        return
    if team != team_id:
        return
    ref = slack.app.keys.workspace_ref(PLATFORM, team)

    def record() -> int:
        with slack.app.unit() as uow:
            return record_workspace_headcount(uow, ref, people)

    updated = await slack.in_thread(record)
    log.info("slack.headcount_counted campaigns=%s", updated)
