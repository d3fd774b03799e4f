"""Templates that render as a person would write: no sentence glued to the next, no internal
name, no "error: error".

The environment trims the newline after a block tag (`trim_blocks`), so a line
of text that ends in `{% endif %}` runs into the next line of text ("The target
is reached.As of the snapshot…"). Such a line must end in `+%}`, which keeps
its newline. Beyond the sources, every template is rendered on every platform
with stand-in values (tests/samples.py), present and absent, and read.
"""

import re
import typing
from dataclasses import fields
from pathlib import Path

import pytest

from bots.commands.conversions import As
from bots.commands.registry import registry
from bots.output.rendering import Renderer, operator_renderer
from tests.samples import operator_template_names, render_all, template_names

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"
_TAG_ONLY = re.compile(r"\s*(\{%.*?%\}\s*)+")
_ENDS_IN_TAG = re.compile(r"\{%-?\s*(\w+)[^%]*[^+-]%\}\s*$")


def glued_lines(source: str) -> list[int]:
    """Line numbers whose trailing block tag would swallow the newline before more text."""
    lines = source.split("\n")
    found = []
    for number, line in enumerate(lines):
        match = _ENDS_IN_TAG.search(line)
        # An include brings its own last newline; a multi-line tag's last line holds no text.
        if not match or match.group(1) == "include" or _TAG_ONLY.fullmatch(line) \
                or not re.search(r"\S", line[:match.start()]) or "{%" not in line:
            continue
        following = number + 1
        while following < len(lines) and _TAG_ONLY.fullmatch(lines[following]):
            following += 1
        if following < len(lines) and lines[following].strip():
            found.append(number + 1)
    return found


def test_the_check_finds_a_glued_line_and_passes_a_kept_newline():
    assert glued_lines("It is reached.{% if x %} Yes.{% endif %}\nAs of now.") == [1]
    assert glued_lines("It is reached.{% if x %} Yes.{% endif +%}\nAs of now.") == []
    assert glued_lines("{% if x %}\nA.\n{% endif %}\nB.") == []


def test_no_template_line_runs_into_the_next():
    glued = {str(path.relative_to(TEMPLATES)): lines
             for path in sorted(TEMPLATES.rglob("*.j2"))
             if (lines := glued_lines(path.read_text()))}
    assert glued == {}


GLUED = re.compile(r"[.?!:][A-Z]")
# What a person may see that looks like a glued sentence: a time format.
WRITTEN_SO = ("HH:MM",)
# Names from the code that a person should never read: identifiers, enum members, Python's
# None, True and False, template paths, and roles or modes used as values in a sentence.
INTERNAL = re.compile(
    r"\b[a-z]+_[a-z0-9_]+\b"            # snake_case identifiers (retention_days, member_ref)
    r"|\b(?:Role|Mode|Status|PledgeState|Tag|Speaker|Kind)\.[A-Z]"
    r"|\bNone\b(?! of)|\b(?:True|False)\b"
    r"|errors/|\.j2\b|<\w+ object"
    r"|\bas (?:member|lead|liaison)\b|\bThe (?:person|team) (?:lead|liaison|member)\b"
    r"|\bYou signed (?:anonymous|named|conditional)\b"
    r"|[Ee]rror: error")


def _discord_words() -> set[str]:
    """Option names as Discord shows them (`send_anyway`, `point_2`), and its `: True`."""
    names = {option.name.replace("-", "_") for spec in registry().specs.values()
             for option in spec.options}
    return names | {f"{name}_{n}" for name in names for n in range(1, 4)}


def leaks(text: str, platform: str) -> list[str]:
    found = [m.group(0) for m in INTERNAL.finditer(text)]
    if platform == "discord":
        allowed = _discord_words()
        shown = re.sub(r": True\b", ":", text)  # a flag on Discord is its option turned on
        found = [m.group(0) for m in INTERNAL.finditer(shown) if m.group(0) not in allowed]
    return found


def glued(text: str) -> list[str]:
    for written in WRITTEN_SO:
        text = text.replace(written, "")
    return [text[max(0, m.start() - 30):m.end() + 10] for m in GLUED.finditer(text)]


def test_the_checks_find_what_they_look_for():
    [found] = glued("The target is reached.As of the snapshot")
    assert "reached.As" in found
    assert glued("Daily at HH:MM. Then more.") == []
    assert leaks("You are already in ethics as member.", "console") == ["as member"]
    assert leaks("The person lead is not something", "console") == ["The person lead"]
    assert leaks("Its retention_days and Role.LEAD", "slack") == ["retention_days", "Role.L"]
    assert leaks("Add `send_anyway: True`. None of them.", "discord") == []
    assert leaks("Something went wrong: error: error", "console") == ["error: error"]


# Values the domain hands templates as words of its own (roles, signing modes, states): a
# template must turn them into a sentence, never drop them in as they are.
TYPICAL = {"role": "member", "mine": "conditional", "mode": "conditional",
           "previous": "anonymous", "your_signature": "conditional", "held": "lead",
           "wanted": "liaison"}


@pytest.mark.parametrize("platform", ["console", "slack", "discord", "operator"])
@pytest.mark.slow
def test_every_template_rendered_reads_as_sentences_with_no_internal_names(platform):
    # Each platform reads the shared templates and its own; the operator, the command line's.
    if platform == "operator":
        renderer, names = operator_renderer(), operator_template_names()
    else:
        renderer, names = Renderer(platform), template_names(platform)
    problems = {}
    for name in names:
        for text in render_all(renderer, name) + render_all(renderer, name, TYPICAL):
            found = glued(text) + leaks(text, platform)
            if found:
                problems.setdefault(name, []).extend(found)
    assert problems == {}


def test_a_refused_value_is_named_in_words_never_by_its_identifier():
    # A converted option is refused under its field's name ("The retention 9999999w …"): the
    # name a person reads must be a word, not a Python identifier.
    named = {}
    for spec in registry().specs.values():
        hints = typing.get_type_hints(spec.command, include_extras=True)
        for item in fields(spec.command):
            rules = [extra for arg in _annotated(hints[item.name]) for extra in arg
                     if isinstance(extra, As)]
            for rule in rules:
                named[f"/{' '.join(spec.path)} {item.name}"] = rule.field or item.name
    assert named and {where: word for where, word in named.items() if "_" in word} == {}


def _annotated(hint) -> list[tuple]:
    """The metadata of every Annotated type inside `hint` (through Optional and tuple)."""
    if typing.get_origin(hint) is typing.Annotated:
        return [typing.get_args(hint)[1:]]
    return [found for arg in typing.get_args(hint) for found in _annotated(arg)]
