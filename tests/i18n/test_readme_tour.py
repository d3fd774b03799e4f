"""The README's console tour, run with `--locale es`, `de` or `pt_BR`, reads in that language.

What the people in the tour typed (titles, texts, replies) stays as they wrote it; every word
Concerted adds is the catalog's. The check takes out the typed text and the commands in
backticks, then looks for common English words: none may remain.
"""

from __future__ import annotations

import io
import re

import pytest

from bots.console.workspace import Console
from tests.e2e.console.test_readme import tour_lines

# Words every English reply is full of and none of the shipped languages uses.
ENGLISH = re.compile(r"\b(the|you|your|is|are|and|with|will|of|to|next|signed|snapshot|"
                     r"pledge|grievance|liaisons?|threshold|reached|members?)\b", re.IGNORECASE)
# Per language: glossary words the tour must show, and how it writes 5 percent.
EXPECTED = {
    "es": (("umbral", "compromiso", "queja", "enlaces"), "5\u00a0%"),
    "pt_BR": (("patamar", "compromisso", "reclamação"), "5%"),
    "de": (("Schwelle", "Zusage", "Beschwerde", "Vertrauensleute"), "5\u00a0%"),
}


def typed_texts(lines: list[str]) -> list[str]:
    """What people typed as content in the tour: quoted values and the free text of replies."""
    texts = [quoted for line in lines for quoted in re.findall(r'"([^"]+)"', line)]
    for line in lines:
        free = re.match(r"^\w+: /(?:liaison reply \d+|liaison point \S+) (.+)$", line)
        if free:
            texts.append(free.group(1))
    return texts


def run_tour(app, clock, notifier, locale: str) -> str:
    out = io.StringIO()
    Console(app, clock, notifier, out=out, locale=locale).run(tour_lines())
    return out.getvalue()


@pytest.mark.parametrize("locale", sorted(EXPECTED))
def test_the_tour_reads_in_the_chosen_language(app, clock, notifier, locale):
    out = run_tour(app, clock, notifier, locale)
    words, five_percent = EXPECTED[locale]

    assert "Traceback" not in out
    for word in words:
        assert word in out, word
    assert five_percent in out
    left = out
    for text in typed_texts(tour_lines()):
        left = left.replace(text, " ")
    left = re.sub(r"`[^`]*`|^  file: .*$", " ", left, flags=re.MULTILINE)  # commands, paths
    assert ENGLISH.findall(left) == []


def test_the_check_would_find_english(app, clock, notifier):
    # The same tour in English is full of the words the check looks for.
    out = run_tour(app, clock, notifier, "en")
    assert len(ENGLISH.findall(re.sub(r"`[^`]*`", " ", out))) > 100
