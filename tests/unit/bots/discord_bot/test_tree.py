"""The Discord command tree is generated from the registry and reads back to the same commands."""

import re
from datetime import UTC, datetime

import discord
import pytest

from bots.commands.binding import to_command
from bots.commands.forms import forms
from bots.commands.handlers.campaign import CreateCampaign, NamePerson
from bots.commands.parser import Option, Registry, Spec
from bots.commands.registry import registry
from bots.discord_bot.modals import split_label
from bots.discord_bot.translate import chunks, to_invocation
from bots.discord_bot.tree import (
    build_commands,
    discord_name,
    discord_path,
    slots,
    usage,
)
from campaigns.core.privacy import Person

NAME = re.compile(r"^[-_a-z0-9]{1,32}$")
ASKER = Person("discord", "1", "42")
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


async def _nothing(*args):
    return None


def _walk(commands, depth=0):
    for command in commands:
        yield command, depth
        yield from _walk(getattr(command, "commands", []), depth + 1)


def test_arguments_and_options_become_typed_discord_options_required_first():
    spec = Spec(("pledge", "sign"), ("NAME", "@user", "[N]", "TEAM..."), (
        Option("named", "flag"), Option("deadline", metavar="WHEN"),
        Option("point", "many", "TEXT"), Option("send-anyway", "flag")))

    found = [(s.name, s.kind, s.required) for s in slots(spec)]

    assert found == [
        ("name", "arg", True), ("user", "user", True), ("team", "arg", True),
        ("n", "arg", False), ("named", "flag", False), ("deadline", "value", False),
        ("point_1", "many", False), ("point_2", "many", False), ("point_3", "many", False),
        ("send_anyway", "flag", False),
    ]


def test_typed_options_give_the_same_invocation_as_the_typed_text():
    spec = registry().specs[("campaign", "create")]
    text = ('/campaign create ethics --title "Stop it" --private --milestone 30 '
            "--milestone 50 --headcount 1200")

    from_options = to_invocation(spec, {
        "name": "ethics", "title": "Stop it", "private": True, "milestone_1": "30",
        "milestone_2": "50", "milestone_3": None, "headcount": "1200", "description": None})
    from_text = registry().parse(text)

    assert from_options == from_text
    assert to_command(from_options, asker=ASKER, now=NOW) == to_command(
        from_text, asker=ASKER, now=NOW) == CreateCampaign(
        name="ethics", title="Stop it", private=True, milestone=(30.0, 50.0), headcount=1200)


def test_a_user_option_binds_the_users_id_as_the_parser_binds_a_mention():
    spec = registry().specs[("campaign", "invite")]

    inv = to_invocation(spec, {"name": "ethics", "user": discord.Object(1234)})

    assert inv == registry().parse("/campaign invite ethics <@1234>")
    assert to_command(inv, asker=ASKER, now=NOW) == NamePerson(
        "ethics", Person("discord", "1", "1234"))


def test_a_form_choice_is_one_option_and_reads_back_as_its_flag():
    spec = Spec(("grievance",), ("NAME",), (
        Option("text", metavar="TEXT"), Option("vent", "flag"), Option("solve", "flag")),
        form="grievance")

    [tag] = [s for s in slots(spec) if s.kind == "choice"]
    inv = to_invocation(spec, {"name": "ethics", "tag": "solve"})

    assert tag.required and [value for value, _ in tag.choices] == ["vent", "solve"]
    assert "vent" not in [s.name for s in slots(spec)]
    assert inv.options == {"solve": True}


def test_a_command_that_also_has_subcommands_gets_its_own_subcommand():
    specs = Registry([Spec(("threshold",), ("[NAME]",)), Spec(("threshold", "schedule"), ("NAME",)),
                      Spec(("report",), ("NAME",))])

    assert discord_path(specs, specs.specs[("threshold",)]) == ("threshold", "show")
    assert discord_path(specs, specs.specs[("report",)]) == ("report",)
    assert usage(specs, specs.specs[("threshold",)]) == "/threshold show [name:]"
    [threshold, report] = build_commands(specs, _nothing, _nothing)  # in the order given
    assert isinstance(report, discord.app_commands.Command)
    assert sorted(c.name for c in threshold.commands) == ["help", "schedule", "show"]


def test_a_path_deeper_than_discord_allows_is_refused_when_the_tree_is_built():
    deep = Registry([Spec(("campaign", "lead", "add", "now"), ("NAME",))])

    with pytest.raises(ValueError, match="nested deeper than Discord allows"):
        build_commands(deep, _nothing, _nothing)


def test_every_name_and_description_of_the_whole_tree_fits_discords_limits():
    tree = build_commands(registry(), _nothing, _nothing)

    for command, depth in _walk(tree):
        assert depth <= 2 and NAME.match(command.name), command.name
        assert 1 <= len(command.description) <= 100, command.qualified_name
        for parameter in getattr(command, "parameters", []):
            assert NAME.match(parameter.display_name)
            assert 1 <= len(parameter.description) <= 100, (command.qualified_name, parameter)
    tops = {command.name for command in tree}
    assert tops == set(registry().commands)


def test_descriptions_come_from_the_help_templates():
    tree = {command.name: command for command in build_commands(registry(), _nothing, _nothing)}

    assert tree["campaign"].description.startswith("A campaign is one demand")
    join = next(c for c in tree["campaign"].commands if c.name == "join")
    assert join.description == "Join a campaign."


def test_names_are_lowercased_with_underscores():
    assert discord_name("Send-Anyway") == "send_anyway"
    assert discord_name("HH:MM") == "hh_mm"


def test_long_labels_are_split_into_a_label_and_a_description():
    label = forms()["grievance"].fields[0].label

    assert split_label(label) == ("What is wrong?",
                                  "Only the liaisons read it, without your name")
    assert split_label("Title") == ("Title", None)
    head, rest = split_label("x" * 60)
    assert len(head) <= 45 and rest == "x" * 60


def test_every_discord_form_fits_in_a_modal():
    for form in forms().values():
        assert len(form.modal_fields("discord")) <= 5, form.name
        for field in form.modal_fields("discord"):
            assert len(split_label(field.label)[0]) <= 45


def test_long_answers_are_split_at_line_ends_within_discords_limit():
    text = "\n".join(f"line {n} " + "x" * 90 for n in range(60))

    parts = list(chunks(text))

    assert len(parts) > 1 and all(len(part) <= 2000 for part in parts)
    assert "\n".join(parts) == text


def test_an_option_nobody_described_stops_the_tree_from_being_built():
    spec = Spec(("campaign", "rename"), ("NAME",), (Option("new-name", metavar="NAME"),),
                handler=_nothing)

    with pytest.raises(ValueError, match="'new_name' has no description"):
        build_commands(Registry([spec]), _nothing, _nothing)


def test_an_option_is_described_for_its_own_command_before_the_shared_description():
    from bots.discord_bot.tree import Descriptions

    describe = Descriptions()
    shown = {spec.path: describe.option(spec.path, slots(spec)[0])
             for spec in (registry().specs[("threshold",)], registry().specs[("pledge", "sign")])}

    assert shown[("pledge", "sign")] == "The campaign's short name, such as ethics"
    assert "leave it out" in shown[("threshold",)]
