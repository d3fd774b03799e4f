"""Help lists commands in the order a person meets them, and each command's help names the others."""

import re

from bots.commands.registry import MET_IN_ORDER, registry


def listed(out: str) -> list[str]:
    return re.findall(r"^\s*• `(/[a-z ]+?)(?: [A-Z@\[`]|`)", out, re.M)


def test_campaign_help_starts_with_create_and_join_ends_with_archive_and_names_the_others(console):
    out = console.run("alice: /campaign help")
    commands = listed(out)
    assert commands[:3] == ["/campaign create", "/campaign join", "/campaign info"]
    assert commands[-1] == "/campaign archive"
    assert "The other commands: `/pledge`, `/grievance`, `/liaison`, `/petition`, `/threshold`." in out


def test_every_group_lists_what_one_does_first_before_what_one_does_later(console):
    assert listed(console.run("alice: /pledge help"))[:2] == ["/pledge create", "/pledge sign"]
    assert listed(console.run("alice: /petition help"))[:2] == ["/petition draft",
                                                                "/petition sponsor"]
    assert listed(console.run("alice: /liaison help"))[0] == "/liaison queue"


def test_the_top_help_names_the_commands_in_the_same_order(console):
    out = console.run("alice: /nothing")
    assert "`/campaign`, `/pledge`, `/grievance`, `/liaison`, `/petition`, `/threshold`" in out


def test_every_command_has_its_place_in_the_meeting_order():
    placed = {tuple(line.split()) for line in MET_IN_ORDER.strip().splitlines()}
    assert set(registry().specs) == placed
