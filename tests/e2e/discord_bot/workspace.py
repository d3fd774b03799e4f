"""Shared steps of the Discord flow tests."""

from __future__ import annotations

import re

from sqlmodel import select

from tests.e2e.discord_bot.driver import Bot

TITLE = "Stop serving nudify apps"


async def start_campaign(bot: Bot, *, liaison: str | None = "carol", members=("bob",),
                         headcount: str = "40") -> None:
    """alice opens `ethics` (typed options, no form), appoints a liaison, members join."""
    await bot.run("alice", "campaign", "create",
                  {"name": "ethics", "title": TITLE, "headcount": headcount})
    if liaison:
        await bot.run("alice", "campaign", ["liaison", "add"], {"name": "ethics"},
                      users={"user": liaison})
    for name in members:
        await bot.run(name, "campaign", "join", {"name": "ethics"})
    await bot.dms(liaison or "alice")  # let the appointment's ping arrive before the test looks


def find(pattern: str, text: str) -> str:
    """The first match of pattern (its first group, if it has one) in text."""
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not found in {text!r}"
    return match.group(1) if match.groups() else match.group(0)


def count_rows(bot: Bot, model) -> int:
    """How many rows of `model` the database holds now."""
    with bot.app.unit() as uow:
        return len(uow.session.exec(select(model)).all())
