"""Every word a person reads is marked for translation: rendered in a pseudo-locale whose every
msgstr is its msgid wrapped in ⟦…⟧, a wrapped template shows no word outside the brackets
except the values filled into it.

WRAPPED lists the template folders the check covers: every one there is. A new folder is added
here, and the test then holds it to the rule (docs/TRANSLATING.md).
"""

from __future__ import annotations

import html
import re

import pytest

from bots.output.i18n import Languages, Locality
from bots.output.rendering import TEMPLATES, Renderer, operator_renderer
from bots.web.pages import Pages
from tests.i18n.catalogs import made_up, write
from tests.samples import SAMPLE, operator_template_names, render_all, template_names

PSEUDO = "eo"  # a locale Babel knows and Concerted does not ship
WRAPPED = (
    "pledge/", "threshold/", "help/", "adapter/", "errors/", "privacy/", "warnings/",
    "campaign/", "grievance/", "liaison/", "points/", "notices/", "petition/", "letters/",
    "web/", "operator/",
)
PLATFORMS = ("console", "slack", "discord")
# The dashboard's pages (`web/` + the name Pages loads) and the command line's messages
# (`operator/…`, as operator_renderer loads them) are read here too.
READERS = (*PLATFORMS, "web", "operator")
# What a value may show outside the brackets: the stand-in's text, numbers, dates and zones,
# mentions, the marks platforms put around a value, and the product's name, which no language
# translates.
_VALUE = re.compile(rf"{re.escape(SAMPLE)}|\d[\d.,:/ -]*|UTC|Concerted|<@[^>]+>"
                    r"|[*_`~\\•—·()\"\[\]:;,.!?%+\s-]")
# What a person reads of a page: its text, and the attributes a screen reader says. Tags and
# code elements (a command is the same in every language) are not words to translate.
_SPOKEN = re.compile(r'\b(?:aria-label|alt|title|placeholder)="([^"]*)"')
_TAG = re.compile(r"<code>[^<]*</code>|<!--.*?-->|<[^>]*>", re.S)


@pytest.fixture(scope="module")
def pseudo(tmp_path_factory) -> Languages:
    folder = tmp_path_factory.mktemp("locale")
    write(made_up(PSEUDO, lambda msgid: f"⟦{msgid}⟧"), folder, PSEUDO)
    return Languages(folder, Locality(PSEUDO, "UTC"))


def outside_brackets(text: str) -> str:
    """The text with every ⟦…⟧ (nested ones too) taken out."""
    depth, kept = 0, []
    for char in text:
        if char == "⟦":
            depth += 1
        elif char == "⟧":
            depth -= 1
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


def unwrapped_words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]{2,}", _VALUE.sub(" ", outside_brackets(text)))


def page_text(page: str) -> str:
    """What a person reads of an HTML page: the text between tags, and spoken attributes."""
    spoken = _TAG.sub(lambda tag: " ".join(["", *_SPOKEN.findall(tag.group(0)), ""]), page)
    return html.unescape(spoken)


def _names(reader: str) -> list[tuple[str, str]]:
    """(name to load, name WRAPPED matches) for every template a reader loads."""
    if reader == "operator":
        return [(name, name) for name in operator_template_names()]
    if reader == "web":
        # The CSV download's header row names columns for programs: it is data, not words.
        return [(path.name, f"web/{path.name}") for path in sorted((TEMPLATES / "web").glob("*.j2"))
                if not path.name.endswith(".csv.j2")]
    return [(name, name) for name in template_names(reader)]


def _wrapped_templates() -> list[tuple[str, str]]:
    """(reader, template) for every wrapped template each reader's renderer loads."""
    return [(reader, name) for reader in READERS for name, matched in _names(reader)
            if matched.startswith(WRAPPED)]


def _renderer(reader: str, languages: Languages):
    if reader == "web":
        return Pages(languages)
    if reader == "operator":
        return operator_renderer(languages=languages)
    return Renderer(reader, languages=languages)


def test_the_check_finds_an_unwrapped_word_and_passes_values():
    assert unwrapped_words("⟦Signatures: %s⟧ as of 2026-11-02 09:00 UTC") == ["as", "of"]
    assert unwrapped_words(f"*{SAMPLE}*: ⟦weekly ⟦7 people⟧ report⟧\n• <@U1>: 7") == []


def test_a_page_is_read_as_its_text_and_spoken_attributes():
    page = ('<nav aria-label="Sections"><a href="/x" class="skip">⟦Back⟧</a></nav>'
            '<p class="command"><code>/campaign dashboard NAME</code></p><p>it&#39;s</p>')
    assert unwrapped_words(page_text(page)) == ["Sections", "it"]


def test_every_wrapped_folder_is_found():
    found = [(reader, name) for reader, name in _wrapped_templates()]
    matched = [f"web/{name}" if reader == "web" else name for reader, name in found]
    assert all(any(name.startswith(prefix) for name in matched) for prefix in WRAPPED)
    assert len(found) > 90


@pytest.mark.parametrize("reader, name", _wrapped_templates())
def test_a_wrapped_template_shows_no_word_outside_the_catalog(pseudo, reader, name):
    renderer = _renderer(reader, pseudo)
    for text in render_all(renderer, name):
        shown = page_text(text) if reader == "web" else text
        assert unwrapped_words(shown) == [], shown
