"""Every word a person reads is marked for translation: rendered in a pseudo-locale whose every
msgstr is its msgid wrapped in ⟦…⟧, a wrapped template shows no word outside the brackets
except the values filled into it.

Wrapping goes folder by folder. WRAPPED lists what is done; a helper who wraps another folder
adds it here, and the test then holds that folder to the rule (docs/TRANSLATING.md).
"""

from __future__ import annotations

import re

import pytest

from bots.output.i18n import Languages, Locality
from bots.output.rendering import Renderer
from tests.i18n.catalogs import made_up, write
from tests.samples import SAMPLE, render_all, template_names

PSEUDO = "eo"  # a locale Babel knows and Concerted does not ship
WRAPPED = (
    "pledge/", "threshold/", "help/pledge", "campaign/language.j2", "campaign/timezone.j2",
    "errors/unknown_language.j2", "errors/unknown_zone.j2", "help/campaign.language.j2",
    "help/campaign.timezone.j2", "adapter/locale_", "errors/busy.j2",
)
PLATFORMS = ("console", "slack", "discord")
# What a value may show outside the brackets: the stand-in's text, numbers, dates and zones,
# mentions, and the marks platforms put around a value.
_VALUE = re.compile(rf"{re.escape(SAMPLE)}|\d[\d.,:/ -]*|UTC|<@[^>]+>|[*_`~\\•—()\"\[\]:;,.!?%+\s-]")


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


def _wrapped_templates() -> list[tuple[str, str]]:
    """(platform, template) for every wrapped template each platform's renderer loads."""
    return [(platform, name) for platform in PLATFORMS for name in template_names(platform)
            if name.startswith(WRAPPED)]


def test_the_check_finds_an_unwrapped_word_and_passes_values():
    assert unwrapped_words("⟦Signatures: %s⟧ as of 2026-11-02 09:00 UTC") == ["as", "of"]
    assert unwrapped_words(f"*{SAMPLE}*: ⟦weekly ⟦7 people⟧ report⟧\n• <@U1>: 7") == []


def test_every_wrapped_folder_is_found():
    found = [name for _, name in _wrapped_templates()]
    assert all(any(name.startswith(prefix) for name in found) for prefix in WRAPPED)
    assert len(found) > 90


@pytest.mark.parametrize("platform, name", _wrapped_templates())
def test_a_wrapped_template_shows_no_word_outside_the_catalog(pseudo, platform, name):
    renderer = Renderer(platform, languages=pseudo)
    for text in render_all(renderer, name):
        assert unwrapped_words(text) == [], text
