"""The synced command tree read as a Discord user reads it: every option says, in plain words,
what it means for that command."""

from collections import defaultdict

CONSOLE_SYNTAX = ("--", "Turns on", "(see help)")
# Options that mean the same wherever they appear, and those that do within one command family.
SHARED_EVERYWHERE = {"name", "command"}
SHARED_IN_FAMILY = {"id", "ref"}


def _options(commands, path=()):
    """(command path, option) for every option of every synced command, groups walked."""
    for command in commands:
        here = (*path, command["name"])
        for option in command.get("options", []):
            if option["type"] in (1, 2):
                yield from _options([option], here)
            else:
                yield here, option


def _described(commands, path=()):
    for command in commands:
        here = (*path, command["name"])
        yield here, command["description"]
        yield from _described([o for o in command.get("options", []) if o["type"] in (1, 2)],
                              here)


async def test_no_description_speaks_console_syntax_or_sends_the_reader_elsewhere(bot):
    synced = bot.fake.commands[None]
    found = [(path, option["name"], option["description"])
             for path, option in _options(synced)]
    found += [(path, "", about) for path, about in _described(synced)]

    wrong = [item for item in found if any(bad in item[2] for bad in CONSOLE_SYNTAX)]
    assert len(found) > 150
    assert wrong == []
    assert all(1 <= len(about) <= 100 for _, _, about in found)


async def test_options_of_commands_that_differ_share_no_description(bot):
    by_text = defaultdict(set)
    for path, option in _options(bot.fake.commands[None]):
        by_text[option["description"]].add((path, option["name"]))

    shared_wrongly = {}
    for about, uses in by_text.items():
        names = {name for _, name in uses}
        families = {path[0] for path, _ in uses}
        if len(uses) < 2 or names <= SHARED_EVERYWHERE:
            continue
        if len(names) == 1 and names <= SHARED_IN_FAMILY and len(families) == 1:
            continue
        shared_wrongly[about] = sorted(uses)
    assert shared_wrongly == {}


def _option(bot, path, name):
    return next(option for where, option in _options(bot.fake.commands[None])
                if where == path and option["name"] == name)


async def test_revealing_a_grievance_is_not_described_as_destroying_anything(bot):
    reveal = _option(bot, ("grievance", "reveal"), "confirm")["description"]
    archive = _option(bot, ("campaign", "archive"), "confirm")["description"]

    assert "destroy" not in reveal.lower() and "liaisons" in reveal
    assert "destroy" in archive.lower()


async def test_a_petitions_written_points_and_picked_points_say_how_they_differ(bot):
    path = ("petition", "draft")
    written = [_option(bot, path, f"point_{n}")["description"] for n in (1, 2, 3)]
    picked = [_option(bot, path, f"use_point_{n}")["description"] for n in (1, 2, 3)]

    assert all("your words" in about for about in written)
    assert all("instead of writing" in about.lower() for about in picked)
    assert all("number" in about for about in picked)


async def test_flags_say_what_turning_them_on_does(bot):
    here = _option(bot, ("threshold", "schedule"), "here")["description"]
    leave = _option(bot, ("pledge", "connect"), "leave")["description"]
    anyway = _option(bot, ("grievance", "file"), "send_anyway")["description"]

    assert here.startswith("Yes: ") and "channel" in here
    assert leave.startswith("Yes: ") and "pool" in leave
    assert anyway.startswith("Yes: ") and "queue it" in anyway
