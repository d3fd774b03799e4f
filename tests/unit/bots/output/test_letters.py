"""The letter's PDF shows every character it can, and says so when it cannot."""

import io
import logging
import warnings
from dataclasses import replace

from pypdf import PdfReader

from bots.output.letters import write_letter
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
