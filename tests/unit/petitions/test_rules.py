"""A petition's shape as pure rules: three points, one ask, pithy; and the letter a petition becomes."""

from datetime import UTC, datetime

import pytest

from bots.output.letters import render
from bots.output.rendering import Renderer
from campaigns.core.privacy import Person
from campaigns.core.suppression import suppress
from petitions.drafting import petition_problems
from petitions.letters import Letter
from petitions.records import normal_ref

TITLE = "End merchant accounts for nudify apps"
TO = "Chief Risk Officer"
POINTS = [
    "Researchers count close to 200 apps that turn a photo into a fake intimate image.",
    "Our card processing lets paid deepfake creation services take money for it.",
    "Labelling an image fake does not undo the harm, which falls mostly on women.",
]
ASK = "End merchant accounts for AI nudification services by the end of the quarter."


def refusal(problems) -> str:
    return Renderer("console").render("errors/petition_refused.j2", problems=problems,
                                      campaign="ethics")


def test_a_complete_draft_breaks_no_rule():
    assert petition_problems(TITLE, TO, POINTS, ASK) == []


def test_two_points_are_refused_with_a_message_naming_the_rule():
    message = refusal(petition_problems(TITLE, TO, POINTS[:2], ASK))
    assert "a petition has exactly three talking points; you gave two" in message


def test_four_points_are_refused_with_a_message_naming_the_rule():
    message = refusal(petition_problems(TITLE, TO, [*POINTS, "One more."], ASK))
    assert "a petition has exactly three talking points; you gave four" in message


def test_a_draft_without_an_ask_is_refused_with_a_message_naming_the_rule():
    message = refusal(petition_problems(TITLE, TO, POINTS, None))
    assert "a petition has exactly one ask" in message
    assert "you gave none" in message


def test_a_point_of_281_characters_is_refused_and_280_are_accepted():
    assert petition_problems(TITLE, TO, [POINTS[0], "x" * 280, POINTS[2]], ASK) == []
    message = refusal(petition_problems(TITLE, TO, [POINTS[0], "x" * 281, POINTS[2]], ASK))
    assert "talking point 2 has 281 characters; a point has at most 280" in message


@pytest.mark.parametrize(("title", "to", "ask", "expected"), [
    ("t" * 101, TO, ASK, "a petition's title has at most 100 characters; yours has 101"),
    ("", TO, ASK, "a petition has a title"),
    (TITLE, "  ", ASK, "a petition names its addressee, the person who can decide"),
    (TITLE, TO, "a" * 201, "the ask has 201 characters; it has at most 200"),
])
def test_title_addressee_and_ask_limits_are_named_in_words(title, to, ask, expected):
    assert expected in refusal(petition_problems(title, to, POINTS, ask))


def test_every_broken_rule_is_reported_at_once():
    problems = petition_problems(None, None, ["x" * 300], None)
    assert [p.rule for p in problems] == [
        "title_missing", "addressee_missing", "point_count", "point_too_long", "ask_missing"
    ]
    message = refusal(problems)
    assert message.count("•") == 5


def test_a_petition_id_is_found_however_it_is_typed():
    assert normal_ref("p-4k9q") == normal_ref("4K9Q") == normal_ref(" P4K9Q ") == "P-4K9Q"


def letter(**changes) -> Letter:
    values = dict(ref="P-4K9Q", title=TITLE, addressee=TO, points=tuple(POINTS), ask=ASK,
                  signers=suppress(12, 5), percent=30.0,
                  names=(Person("console", "console", "nadia"),),
                  delivered_at=datetime(2026, 11, 9, 12, 0, tzinfo=UTC))
    values.update(changes)
    return Letter(**values)


def test_the_letter_states_the_count_and_share_and_only_the_names_it_is_given():
    text = render(letter(), lambda person: person.user)
    assert "Signed by 12 employees (30% of the workforce)." in text
    assert "- nadia" in text
    assert f"> {ASK}" in text


def test_a_small_count_is_suppressed_in_the_letter_and_no_share_gives_it_away():
    text = render(letter(signers=suppress(3, 5), percent=None, names=()), lambda p: p.user)
    assert "Signed by fewer than 5 employees." in text
    assert "%" not in text
    assert "None of those who signed chose to be named." in text


def test_text_in_a_petition_cannot_forge_headings_lists_or_links_in_the_letter():
    forged = letter(title="# Fake", points=("x\n# Heading", "- item", "[link](http://x)"),
                    names=(Person("console", "console", "a_b*c"),))
    text = render(forged, lambda p: p.user)
    lines = text.splitlines()
    assert lines[0] == r"# \# Fake"
    assert "1. x \\# Heading" in lines
    assert r"3. \[link\](http://x)" in lines
    assert r"- a\_b\*c" in lines
