"""The dispatcher: replies say what they are, forms are asked for, follow-ups reach one hook."""

from __future__ import annotations

import pytest

from bots.commands.replies import FollowUp, FormRequest, Kind
from tests.support import person

RISKY = "My manager Dave Miller is an idiot."


@pytest.fixture
def dispatcher(app):
    dispatcher = app.dispatcher("console")
    dispatcher.run(person("alice"), "/campaign create ethics --headcount 40")
    dispatcher.run(person("alice"), "/campaign liaison add ethics @carol")
    dispatcher.run(person("bob"), "/campaign join ethics")
    return dispatcher


@pytest.fixture
def follow_ups(dispatcher) -> list:
    called: list = []
    dispatcher.after_command(lambda who, follow_up: called.append((who.user, follow_up)))
    yield called
    dispatcher.after_command(None)


@pytest.mark.parametrize("who, line, field", [
    ("alice", "/campaign create other --threshold 0", "threshold"),
    ("alice", "/campaign create Not A Name!", None),
    ("alice", "/campaign create 'not a name'", "name"),
    ("bob", "/campaign join", "name"),
    ("bob", "/campaign jion ethics", None),
    ("bob", "/liaison show first", "item"),
    ("bob", "/campaign archive ethics --confirm", None),
])
def test_a_refusal_says_it_is_one_and_names_the_field_it_is_about(dispatcher, who, line, field):
    [reply] = dispatcher.run(person(who), line)

    assert reply.kind is Kind.REFUSAL
    assert reply.field == field


def test_an_answer_help_and_a_warning_say_what_they_are(dispatcher):
    [no_pledge] = dispatcher.run(person("carol"), "/pledge status ethics")
    [helped] = dispatcher.run(person("bob"), "/pledge help")
    [warned] = dispatcher.run(person("bob"), f'/grievance ethics --text "{RISKY}" --vent')
    [sent] = dispatcher.run(person("bob"), f'/grievance ethics --text "{RISKY}" --vent '
                                           f"--{warned.confirm}")

    assert (no_pledge.kind, helped.kind, sent.kind) == (Kind.REFUSAL, Kind.HELP, Kind.ANSWER)
    assert warned.kind is Kind.WARNING and warned.confirm == "send-anyway"


def test_a_form_command_without_options_asks_for_its_form_where_forms_exist(dispatcher):
    asked = dispatcher.run(person("bob"), "/grievance ethics", forms=True)
    [typed] = dispatcher.run(person("bob"), "/grievance ethics")

    assert asked == FormRequest("grievance", campaign="ethics")
    assert typed.kind is Kind.REFUSAL


def test_headcount_auto_calls_the_after_command_hook_once_after_it_succeeded(
        dispatcher, follow_ups):
    [refused] = dispatcher.run(person("bob"), "/campaign headcount ethics auto")
    dispatcher.run(person("alice"), "/campaign headcount ethics 1200")
    assert follow_ups == [] and refused.kind is Kind.REFUSAL

    [switched] = dispatcher.run(person("alice"), "/campaign headcount ethics auto")

    assert switched.kind is Kind.ANSWER and switched.follow_up is FollowUp.COUNT_WORKSPACE
    assert follow_ups == [("alice", FollowUp.COUNT_WORKSPACE)]


def test_a_failing_follow_up_does_not_turn_a_done_command_into_a_refusal(dispatcher, caplog):
    def broken(who, follow_up):
        raise RuntimeError("the directory is away")

    dispatcher.after_command(broken)
    try:
        [switched] = dispatcher.run(person("alice"), "/campaign headcount ethics auto")
    finally:
        dispatcher.after_command(None)

    assert switched.kind is Kind.ANSWER
    assert "command.follow_up_failed" in caplog.text and "directory is away" not in caplog.text
