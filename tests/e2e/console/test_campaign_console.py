"""Campaigns and roles through the console, as a person would type them."""

import re


def test_a_seventh_liaison_is_refused_with_the_limit_of_six_named(console):
    out = console.run("""
        alice: /campaign create ethics --headcount 40
        """ + "".join(f"alice: /campaign liaison add ethics @liaison{i}\n" for i in range(1, 7)) + """
        alice: /campaign liaison add ethics @liaison7
        alice: /campaign info ethics
    """)
    assert "6 of at most 6 liaisons" in out
    refusal = out.split("@liaison7")[0] if False else out.rsplit("[alice · only you]", 2)[1]
    assert "already has 6 liaisons" in refusal and "seventh is refused" in refusal
    assert "Liaisons: 6 of 6" in out


def test_an_uninvited_person_cannot_join_a_private_campaign_until_invited(console):
    out = console.run("""
        alice: /campaign create ethics --private
        bob: /campaign join ethics
    """)
    assert "no campaign called ethics that you can see" in out and "invited" in out
    out = console.run("""
        bob: /campaign list
        alice: /campaign invite ethics @bob
        bob: /campaign inbox
        bob: /campaign join ethics
    """)
    assert "There are no campaigns you can see" in out
    assert "[dm" not in out, "an invitation pings nobody: the daily digest points to it"
    assert "You are invited to the campaign ethics" in out
    assert "You joined ethics" in out


def test_a_member_cannot_add_liaisons_or_archive(console):
    out = console.run("""
        alice: /campaign create ethics
        bob: /campaign join ethics
        bob: /campaign liaison add ethics @carol
        bob: /campaign archive ethics --confirm
    """)
    assert out.count("Only leads of ethics can use") == 2
    assert "carol is now" not in out


def test_the_last_lead_cannot_leave_but_a_member_can(console):
    out = console.run("""
        alice: /campaign create ethics
        bob: /campaign join ethics
        alice: /campaign leave ethics
        bob: /campaign leave ethics
    """)
    assert "You are the last lead of ethics" in out
    assert "You left ethics" in out


def test_counts_appear_only_after_a_scheduled_snapshot(console):
    out = console.run("""
        alice: /campaign create ethics --headcount 1000
        alice: /campaign info ethics
    """)
    assert "not published yet" in out
    out = console.run("""
        :advance 61m
        alice: /campaign info ethics
    """)
    assert "1 scheduled job ran" in out
    assert "Supporters: 0 as of" in out


def test_mistyped_commands_get_usage_and_a_suggestion_and_the_session_goes_on(console):
    out = console.run("""
        alice: /campain list
        alice: /campaign craete ethics
        alice: /campaign create ethics --headcount many
        alice: /campaign create ethics
    """)
    assert "Did you mean `/campaign`?" in out
    assert "Did you mean `/campaign create`?" in out
    assert "The headcount" in out and "whole number" in out
    assert "Campaign ethics is open" in out
    assert "Traceback" not in out


def test_archiving_asks_for_confirmation_first(console):
    out = console.run("""
        alice: /campaign create ethics
        alice: /campaign archive ethics
        alice: /campaign info ethics
    """)
    assert "--confirm" in out
    assert "archived" not in out.rsplit("[alice · only you]", 1)[1]


def test_every_command_and_group_answers_help(console, app):
    from bots.commands.registry import registry

    paths = set(registry().specs)
    groups = {path[:n] for path in paths for n in range(1, len(path))}
    for path in sorted(paths | groups):
        out = console.run(f"alice: /{' '.join(path)} help\n")
        assert "Traceback" not in out and "errors/" not in out
        assert len(out.strip().splitlines()) >= 2, f"/{' '.join(path)} help says nothing"


def test_refusals_name_roles_in_plain_plurals_and_commands_as_typed(console):
    out = console.run("""
        maya: /campaign create ethics --headcount 40
        sam: /campaign join ethics
        sam: /campaign headcount ethics 50
        sam: /campaign liaison add ethics @lee
    """)
    assert "Only leads of ethics can use /campaign headcount." in out
    assert "Only leads of ethics can use /campaign liaison add." in out


def test_the_seventh_liaison_refusal_gives_the_reason_in_words_not_a_rule_number(console):
    adds = "\n".join(f"maya: /campaign liaison add ethics @l{n}" for n in range(7))
    out = console.run("maya: /campaign create ethics --headcount 40\n" + adds)
    assert "a seventh is refused" in out and "rule" not in out
    assert re.findall(r"\bR\d+\b", out) == []  # and no rule number


def test_a_console_line_is_parsed_once(console, monkeypatch):
    from bots.commands import parser

    seen: list[str] = []
    tokenize = parser.tokenize
    monkeypatch.setattr(parser, "tokenize", lambda text: seen.append(text) or tokenize(text))

    out = console.run("alice: /campaign create ethics --headcount 40 --milestone 30")

    assert "ethics" in out and seen == ["/campaign create ethics --headcount 40 --milestone 30"]
