"""Command text becomes plain command objects, and every mistake gets a useful answer."""

import pytest

from bots.commands.parser import (
    HelpRequest,
    Invocation,
    Option,
    ParseError,
    Registry,
    Spec,
    mention_user,
    require_arguments,
    tokenize,
)

REGISTRY = Registry([
    Spec(("campaign", "create"), ("NAME",), (Option("headcount"), Option("private", "flag"),
                                             Option("milestone", "many"))),
    Spec(("campaign", "liaison", "add"), ("NAME", "@user")),
    Spec(("grievance",), ("NAME",), (Option("text"), Option("vent", "flag"))),
    Spec(("grievance", "reply"), ("REF", "TEXT...")),
    Spec(("threshold",), ("[NAME]",)),
])


def test_options_values_and_flags_are_bound_by_name():
    inv = REGISTRY.parse('/campaign create ethics --headcount 40 --private --milestone 30 --milestone 50')
    assert inv.spec.path == ("campaign", "create")
    assert inv.args == {"name": "ethics"}
    assert inv.options == {"headcount": "40", "private": True, "milestone": ["30", "50"]}


def test_quoted_values_keep_their_spaces_even_with_curly_quotes_from_chat_clients():
    inv = REGISTRY.parse("/grievance ethics --text “the rota leaves no rest” --vent")
    assert inv.options["text"] == "the rota leaves no rest"


def test_the_rest_of_the_words_form_a_text_argument_even_if_one_is_help():
    inv = REGISTRY.parse("/grievance reply G-1 thanks, we can help")
    assert inv.args == {"ref": "G-1", "text": "thanks, we can help"}


def test_people_are_read_from_slack_discord_and_console_mentions():
    assert mention_user("<@U024BE7LH|alex>") == "U024BE7LH"
    assert mention_user("<@!81234>") == "81234"
    assert mention_user("@bob") == "bob"
    assert mention_user("bob") is None
    assert REGISTRY.parse("/campaign liaison add ethics <@U1>").args["user"] == "U1"


def test_help_is_answered_for_a_group_a_command_and_an_option():
    assert REGISTRY.parse("/campaign") == HelpRequest(("campaign",))
    assert REGISTRY.parse("/campaign liaison help") == HelpRequest(("campaign", "liaison"))
    assert REGISTRY.parse("/campaign create --help") == HelpRequest(("campaign", "create"))


def test_an_optional_argument_may_be_left_out():
    assert REGISTRY.parse("/threshold").args == {}


@pytest.mark.parametrize(("text", "template", "suggestion"), [
    ("/campain create x", "errors/unknown_command.j2", "campaign"),
    ("/campaign crate x", "errors/unknown_subcommand.j2", "create"),
    ("/campaign create x --headcont 4", "errors/unknown_option.j2", "headcount"),
])
def test_a_misspelt_word_is_refused_with_a_suggestion(text, template, suggestion):
    with pytest.raises(ParseError) as refused:
        REGISTRY.parse(text)
    assert refused.value.template == template
    assert refused.value.params["suggestion"] == suggestion


@pytest.mark.parametrize(("text", "template"), [
    ("campaign create x", "errors/not_a_command.j2"),
    ("/campaign create", "errors/missing_argument.j2"),
    ("/campaign create a b", "errors/too_many_arguments.j2"),
    ("/campaign create x --headcount", "errors/option_needs_value.j2"),
    ("/campaign liaison add ethics bob", "errors/not_a_person.j2"),
])
def test_malformed_commands_name_what_is_wrong(text, template):
    with pytest.raises(ParseError) as refused:
        REGISTRY.parse(text)
    assert refused.value.template == template


def test_quotes_group_words_and_apostrophes_stay_part_of_them():
    assert tokenize('/a "b c" d') == ["/a", "b c", "d"]
    assert tokenize("/g reply G-1 we don't have rest, it’s 5 o'clock") == [
        "/g", "reply", "G-1", "we", "don't", "have", "rest,", "it’s", "5", "o'clock"]
    assert tokenize("--text='the rota' --to=“Dana Lee”") == ["--text=the rota", "--to=Dana Lee"]


def test_a_quote_left_open_runs_to_the_end_rather_than_being_refused():
    inv = REGISTRY.parse('/grievance ethics --vent --text "the rota leaves no rest')
    assert inv.options["text"] == "the rota leaves no rest"


def test_a_dash_typed_by_autocorrect_still_starts_an_option_but_dashes_in_prose_stay():
    inv = REGISTRY.parse("/grievance ethics —text “shifts — again” —vent")
    assert inv.options == {"text": "shifts — again", "vent": True}


SIGN = Registry([Spec(("pledge", "sign"), ("NAME",), (Option("named", "flag"),
                                                     Option("conditional", "flag"),
                                                     Option("ask")),
                      exclusive=(("named", "conditional"),))])


def test_an_option_of_one_value_given_twice_is_refused_rather_than_overwritten():
    with pytest.raises(ParseError) as refused:
        SIGN.parse('/pledge sign ethics --ask "please" --ask "again"')
    assert refused.value.template == "errors/option_repeated.j2"
    assert refused.value.params["word"] == "ask"


def test_a_repeated_flag_means_the_same_and_a_repeated_list_option_collects():
    assert SIGN.parse("/pledge sign ethics --named --named").options == {"named": True}
    assert REGISTRY.parse("/campaign create e --milestone 30 --milestone 50").options[
        "milestone"] == ["30", "50"]


def test_flags_that_contradict_each_other_are_refused_whichever_comes_first():
    for text in ("/pledge sign ethics --named --conditional",
                 "/pledge sign ethics --conditional --ask x --named"):
        with pytest.raises(ParseError) as refused:
            SIGN.parse(text)
        assert refused.value.template == "errors/options_contradict.j2"
        assert sorted(refused.value.params["given"]) == ["conditional", "named"]


def test_contradicting_flags_bound_without_text_are_refused_too():
    # Discord's options are bound to an Invocation directly: the same refusal applies.
    spec = SIGN.specs[("pledge", "sign")]
    with pytest.raises(ParseError):
        require_arguments(Invocation(spec, {"name": "ethics"}, {"named": True, "conditional": True}))
