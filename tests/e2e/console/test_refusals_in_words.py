"""Refusals that say in words what was wrong, quote what was typed, and read as written by a
person: no internal role or field values, no converted numbers, no empty value in a sentence."""

import re

SETUP = """
    maya: /campaign create ethics --headcount 40
    maya: /campaign liaison add ethics @jon
    sam: /campaign join ethics
"""


def replies(out: str) -> list[str]:
    """Each reply's text, without its header, its lines joined."""
    blocks = re.split(r"^\[[^\]\n]+\]$", out, flags=re.MULTILINE)
    return [" ".join(line.strip() for line in block.strip().splitlines()) for block in blocks
            if block.strip()]


def test_giving_a_role_someone_holds_says_who_holds_what_not_the_role_as_a_value(console):
    console.run(SETUP)
    out = replies(console.run("""
        maya: /campaign liaison add ethics @maya
        maya: /campaign liaison add ethics @jon
        maya: /campaign lead add ethics @maya
    """))
    assert out[0].startswith("You are a lead of ethics, and a lead cannot also be a liaison")
    assert out[1] == "jon is already a liaison of ethics, so nothing was changed."
    assert out[2] == "You are already a lead of ethics, so nothing was changed."
    assert not any("The person" in line or "not something" in line for line in out)


def test_a_missing_or_overlong_team_name_is_said_in_words_with_no_empty_value(console):
    console.run(SETUP)
    missing, long = replies(console.run(f"""
        sam: /campaign team ethics
        sam: /campaign team ethics {"x" * 61}
    """))
    assert "  " not in missing and "The team name is missing" in missing
    assert "/campaign team ethics TEAM" in missing
    assert long.startswith("Your team name is 61 characters long; it can be at most 60.")


def test_a_long_title_is_refused_by_its_length_not_as_a_strange_value(console):
    [out] = replies(console.run(f'maya: /campaign create ethics --title "{"t" * 101}"'))
    assert out.startswith("Your title is 101 characters long; it can be at most 100.")


def test_repeated_options_and_contradicting_flags_are_refused_and_nothing_is_signed(console):
    console.run(SETUP + 'maya: /pledge create ethics --text "I will sign."\n')
    out = replies(console.run("""
        maya: /campaign create other --title "please" --title "again"
        sam: /pledge sign ethics --named --conditional
        sam: /pledge status ethics
        jon: /liaison queue ethics --vent --solve
    """))
    assert out[0].startswith("The option `--title` came twice, and it takes one value")
    assert out[1].startswith("`--named` and `--conditional` contradict each other")
    assert "You have not signed" in out[2]
    assert out[3].startswith("`--vent` and `--solve` contradict each other")
    assert "other" not in console.run("maya: /campaign list")


def test_a_bare_retention_is_days_and_refusals_quote_what_was_typed(console):
    out = replies(console.run("""
        maya: /campaign create thirty --retention 30
        maya: /campaign info thirty
        maya: /campaign create huge --retention 9999999w
        maya: /campaign create zero --retention 0
    """))
    assert "Grievance text is deleted 30 days after it is closed" in out[1]
    assert out[2].startswith("The retention 9999999w is not something Concerted can use: it takes "
                             "a number of days from 1 to 3650")
    assert "69999993" not in " ".join(out)
    assert out[3].startswith("The retention 0 is not")


def test_usage_help_and_conversion_agree_on_retention_in_days(console):
    usage = console.run("maya: /campaign create help")
    assert "--retention DAYS" in usage and "`30` and `30d` mean the same" in usage


def test_a_milestone_already_tracked_is_named_as_a_percentage_not_a_float(console):
    console.run("maya: /campaign create ethics --milestone 30")
    out = replies(console.run("""
        maya: /campaign milestone ethics 30
        maya: /campaign milestone ethics 5
    """))
    assert out[0].startswith("ethics already tracks 30%.")
    assert out[1].startswith("ethics already tracks 5%: it is the campaign's threshold.")
    assert "30.0" not in out[0] and "5.0" not in out[1]


def test_numbers_of_talking_points_and_queue_items_point_where_they_are_shown(console):
    console.run(SETUP)
    point, merge, item = replies(console.run("""
        sam: /campaign support 0
        jon: /liaison merge 2 banana
        jon: /liaison close zero
    """))
    assert point.endswith("a number such as 3, as /campaign points NAME shows it. "
                          "Nothing was changed; try again with a corrected value.")
    assert "The talking point banana" in merge and "/campaign points NAME" in merge
    assert "as /liaison queue NAME shows it" in item
    assert "as the queue shows it" not in point + merge


def test_signing_modes_and_roles_read_as_sentences(console):
    console.run(SETUP + 'maya: /pledge create ethics --text "I will sign."\n')
    out = " ".join(replies(console.run("""
        sam: /pledge sign ethics --conditional
        sam: /pledge status ethics
        ana: /pledge sign ethics
        ana: /pledge status ethics
        lee: /pledge sign ethics --named
        lee: /pledge status ethics
        sam: /campaign join ethics
        jon: /campaign join ethics
    """)))
    assert "You signed the pledge of ethics conditionally." in out
    assert "You signed conditionally." in out and "You signed anonymously." in out
    assert "You signed with your name." in out
    assert "You are already a member of ethics." in out
    assert "You are already a liaison of ethics." in out
    assert not re.search(r"You signed (conditional|anonymous|named)\.", out)
    assert " as member" not in out


def test_the_hint_after_a_closed_grievance_shows_the_vent_or_solve_it_needs(console):
    console.run(SETUP)
    filed = console.run('sam: /grievance ethics --solve --text "The rota leaves no rest."')
    [ref] = set(re.findall(r"G-[A-Z0-9]{6}", filed))
    console.run(":advance 1h\njon: /liaison close 1")
    [out] = replies(console.run(f"sam: /grievance reply {ref} One more thing."))
    assert '/grievance ethics --solve --text "…"' in out
    assert "or `--vent` instead of `--solve` to vent" in out


def test_deadlines_beyond_two_years_are_refused_in_a_sentence(console):
    console.run(SETUP)
    out = replies(console.run("""
        maya: /pledge create ethics --text "I will sign." --deadline 9999-12-31
        maya: /pledge create ethics --text "I will sign." --deadline 99999d
        maya: /pledge create ethics --text "I will sign." --deadline 731d
    """))
    for refused, typed in zip(out[:2], ("9999-12-31", "99999d"), strict=True):
        assert refused.startswith(f"The deadline {typed} is not something Concerted can use: "
                                  "it takes a moment within the next two years")
    assert out[2].startswith("The pledge of ethics is open until")


def test_an_archived_name_stays_reserved_and_the_answer_says_so(console):
    console.run("""
        maya: /campaign create open1
        maya: /campaign create secret --private
        maya: /campaign archive open1 --confirm
        maya: /campaign archive secret --confirm
    """)
    archived, private, listing = replies(console.run("""
        sam: /campaign create open1
        sam: /campaign create secret
        sam: /campaign list
    """))
    assert archived.startswith("open1 was archived, and an archived campaign's name stays "
                               "reserved for good")
    assert "/campaign info open1" in archived and "open1-2" in archived
    # A private campaign's fate is not told to outsiders: the same words, live or archived.
    assert private.startswith("The name secret is taken in this workspace.")
    assert "archived" not in private.split(".")[0]
    assert "Archived, their names reserved for good: open1." in listing
    assert "secret" not in listing
