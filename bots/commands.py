"""Every command the bot answers, from one table per command family."""

from __future__ import annotations

from functools import cache

from bots.handlers import campaign
from bots.parser import Registry


@cache
def registry() -> Registry:
    return Registry([*campaign.SPECS])
