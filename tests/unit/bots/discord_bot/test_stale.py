"""An interaction read as far as the registry knows it: the closest command or group."""

from bots.commands.registry import registry
from bots.discord_bot.stale import closest_path, command_words, unknown_options


def test_the_words_of_an_interaction_are_its_command_and_nested_subcommands():
    data = {"name": "campaign", "options": [
        {"name": "liaison", "type": 2, "options": [
            {"name": "add", "type": 1, "options": [{"name": "name", "type": 3, "value": "x"}]}]}]}

    assert command_words(data) == ("campaign", "liaison", "add")


def test_a_discord_own_subcommand_reads_back_as_the_command_it_runs():
    assert closest_path(registry(), ("grievance", "file")) == ("grievance",)
    assert closest_path(registry(), ("threshold", "show")) == ("threshold",)


def test_unknown_words_fall_back_to_the_closest_group_or_to_nothing():
    assert closest_path(registry(), ("campaign", "liaison", "promote")) == ("campaign", "liaison")
    assert closest_path(registry(), ("grievance",)) == ("grievance",)
    assert closest_path(registry(), ("retired", "thing")) == ()


def test_options_a_command_does_not_have_are_named():
    spec = registry().specs[("petition", "draft")]

    assert unknown_options(spec, ["name", "point_1", "use_point_1", "points"]) == ["points"]
