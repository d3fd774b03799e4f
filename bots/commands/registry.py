"""Every command the bot answers, from one table per command family."""

from __future__ import annotations

from functools import cache

from bots.commands.handlers import campaign, campaign_language, grievance, liaison, points
from bots.commands.handlers import petition as petition_commands
from bots.commands.handlers import pledge as pledge_commands
from bots.commands.handlers import threshold as threshold_commands
from bots.commands.parser import Registry


@cache
def registry() -> Registry:
    return Registry([*campaign.SPECS, *grievance.SPECS, *liaison.SPECS, *points.SPECS, *petition_commands.SPECS,
                     *pledge_commands.SPECS, *threshold_commands.SPECS,
                     *campaign_language.SPECS])
