"""The letter's PDF shows every character it can, and says so when it cannot."""

import io
import logging
import warnings
from dataclasses import replace

from pypdf import PdfReader

from bots.output.letters import write_letter
from campaigns.core.suppression import suppress
from tests.unit.petitions.test_rules import letter


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_an_emoji_the_font_lacks_is_boxed_and_explained_and_nothing_is_dropped_silently(
        tmp_path, caplog):
    stop = replace(letter(), title="Stop it \U0001F6D1")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # fpdf2 warns when it drops a glyph
        with caplog.at_level(logging.WARNING):
            markdown, pdf = write_letter(stop, tmp_path, lambda person: person.user)
    assert caplog.records == []
    assert "Stop it \U0001F6D1" in markdown.read_text()
    text = pdf_text(pdf)
    assert "Stop it \u25a1" in text
    assert "cannot be printed in this PDF" in text


def test_a_letter_in_other_scripts_prints_without_a_note(tmp_path):
    names = replace(letter(), title="Não às contas de apps de nudez — Ελληνικά — Русский")
    _, pdf = write_letter(names, tmp_path, lambda person: person.user)
    text = pdf_text(pdf)
    assert "Não às contas" in text and "Русский" in text
    assert "cannot be printed" not in text


def test_the_letter_is_written_in_the_campaigns_language_and_dated_where_it_is(tmp_path):
    german = replace(letter(), language="de", zone="Europe/Berlin")
    markdown, pdf = write_letter(german, tmp_path, lambda person: person.user)
    text = markdown.read_text()
    assert "Datum: 9. November 2026" in text
    assert "Unterschrieben von 12 Beschäftigten (30 % der Belegschaft)." in text
    assert "## Namentlich unterschrieben" in text and "- nadia" in text
    assert "Aufgeführt sind nur diejenigen" in pdf_text(pdf)
    # Delivered at noon UTC on the 9th: already the 10th in Auckland.
    far = replace(letter(), zone="Pacific/Auckland")
    markdown, _ = write_letter(far, tmp_path, lambda person: person.user)
    assert "Date: 10 November 2026" in markdown.read_text()


def test_a_letter_in_spanish_says_a_suppressed_count_in_spanish(tmp_path):
    few = replace(letter(), language="es", signers=suppress(3, 5), percent=None, names=())
    markdown, _ = write_letter(few, tmp_path, lambda person: person.user)
    text = markdown.read_text()
    assert "Firmada por menos de 5 personas empleadas." in text
    assert "Ninguna de las personas firmantes eligió figurar con su nombre." in text
