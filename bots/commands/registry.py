"""Every command the bot answers, from one table per command family."""

from __future__ import annotations

from functools import cache

from bots.commands.handlers import campaign, campaign_language, grievance, liaison, points
from bots.commands.handlers import petition as petition_commands
from bots.commands.handlers import pledge as pledge_commands
from bots.commands.handlers import threshold as threshold_commands
from bots.commands.parser import Registry, Spec

# How a person meets the commands, which is how help lists them: a campaign is created and
# joined before anything is signed or filed; the rarer a command, the later; archive last.
MET_IN_ORDER = """
campaign create
campaign join
campaign info
campaign list
campaign team
campaign points
campaign support
campaign inbox
campaign digest
campaign invite
campaign leave
campaign lead add
campaign liaison add
campaign liaison remove
campaign headcount
campaign milestone
campaign language
campaign timezone
campaign dashboard
campaign archive
pledge create
pledge sign
pledge status
pledge signers
pledge withdraw
pledge connect
pledge accept
pledge decline
grievance
grievance status
grievance reply
grievance reveal
liaison queue
liaison show
liaison claim
liaison reply
liaison decline
liaison close
liaison point
liaison merge
liaison block
liaison unblock
petition draft
petition sponsor
petition show
petition list
petition approve
petition return
petition sign
petition withdraw
petition deliver
threshold
threshold schedule
"""


def in_meeting_order(specs: list[Spec]) -> list[Spec]:
    """The specs as MET_IN_ORDER lists them; any it does not list yet come last, by name."""
    rank = {tuple(line.split()): n for n, line in enumerate(MET_IN_ORDER.strip().splitlines())}
    return sorted(specs, key=lambda spec: (rank.get(spec.path, len(rank)), spec.path))


@cache
def registry() -> Registry:
    return Registry(in_meeting_order([
        *campaign.SPECS, *grievance.SPECS, *liaison.SPECS, *points.SPECS,
        *petition_commands.SPECS, *pledge_commands.SPECS, *threshold_commands.SPECS,
        *campaign_language.SPECS]))
