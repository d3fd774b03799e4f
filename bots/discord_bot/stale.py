"""Interactions for commands the synced tree no longer has, as an old Discord client sends them.

Discord clients cache the command list: after an update, a person may still
send a subcommand that is gone, an option that was renamed, or a group with
no subcommand at all. Such an interaction is read as far as it matches the
registry, and answered with the usage of what it was closest to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from discord import app_commands

from bots.commands.parser import Registry, Spec
from bots.discord_bot.tree import discord_name, discord_path, slots

SUBCOMMAND, GROUP = 1, 2
# What discord.py raises for an interaction that does not fit the tree it was given.
STALE = (app_commands.CommandNotFound, app_commands.CommandSignatureMismatch,
         app_commands.TransformerError)


def command_words(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The command and subcommand names an interaction carries: ("campaign", "liaison", "add")."""
    words = [str(data.get("name", ""))]
    options = data.get("options") or []
    while True:
        nested = next((o for o in options if o.get("type") in (SUBCOMMAND, GROUP)), None)
        if nested is None:
            return tuple(words)
        words.append(str(nested.get("name", "")))
        options = nested.get("options") or []


def closest_path(registry: Registry, words: Iterable[str]) -> tuple[str, ...]:
    """The registry path (a command or a group) that the longest start of `words` names on
    Discord, or () when not even the command is known."""
    known: dict[tuple[str, ...], tuple[str, ...]] = {}
    for spec in registry.specs.values():
        known[discord_path(registry, spec)] = spec.path
        for n in range(1, len(spec.path) + 1):
            known.setdefault(tuple(discord_name(w) for w in spec.path[:n]), spec.path[:n])
    words = tuple(words)
    for n in range(len(words), 0, -1):
        if words[:n] in known:
            return known[words[:n]]
    return ()


def unknown_options(spec: Spec, given: Iterable[str]) -> list[str]:
    """The option names an interaction sent that this command does not have (any longer)."""
    names = {slot.name for slot in slots(spec)}
    return sorted(name for name in given if name not in names)
