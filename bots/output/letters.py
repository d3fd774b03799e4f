"""The delivered letter, as Markdown and as PDF, both from templates/common/letters/.

The PDF is laid out from the same template rendered as plain text: lines the
template starts with `# `, `## `, `> `, `- ` or `1. ` are headings, the ask
and list items; everything else is a paragraph. Values are folded onto one
line and no template line starts with one, so nothing a person wrote can
start a heading or a list of its own.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import datetime
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bots.output import i18n
from bots.output.i18n import DEFAULT, Languages, Locality, speaking_in
from bots.output.rendering import TEMPLATES, CompiledOnce, Safe, percent
from campaigns.core.privacy import Person
from petitions.letters import Letter, LetterWriter

if TYPE_CHECKING:
    from fpdf import FPDF

LETTERS = TEMPLATES / "common" / "letters"
TEMPLATE = "petition.md.j2"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")
_MISSING = "\u25a1"  # □, which the letter font has
_LIST_ITEM = re.compile(r"^(\d+\.|-) (.*)$")

Display = Callable[[Person], str]


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _markdown(value: object) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _one_line(value))


def _finalized(escape: Callable[[object], str], value: object) -> str:
    # The letter's own sentences are the translator's words, not a person's: left as they are.
    if value is None:
        return ""
    return value if isinstance(value, Safe) else escape(value)


_LETTER_CODE = CompiledOnce()  # an environment is made per letter; its code is compiled once


def _environment(escape: Callable[[object], str]) -> Environment:
    finalize = partial(_finalized, escape)
    env = Environment(
        loader=FileSystemLoader(LETTERS), undefined=StrictUndefined, autoescape=False,
        trim_blocks=True, lstrip_blocks=True, finalize=finalize,
        extensions=["jinja2.ext.i18n"], bytecode_cache=_LETTER_CODE,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.newstyle_gettext = True  # type: ignore[attr-defined]

    # As the chat renderer does: each value filled into a sentence is escaped for the letter
    # (Markdown, or what the PDF font can draw), and numbers are the locale's.
    def values(given: dict[str, object]) -> dict[str, object]:
        return {key: finalize(value) for key, value in i18n.localized(given).items()}

    def gettext(msgid: str, /, **given: object) -> Safe:
        return Safe(i18n.fill(i18n.gettext(msgid), msgid, values(given)))

    def ngettext(singular: str, plural: str, count: int, /, **given: object) -> Safe:
        given.setdefault("num", count)
        chosen = i18n.ngettext(singular, plural, int(count))
        return Safe(i18n.fill(chosen, singular if count == 1 else plural, values(given)))

    env.globals.update(gettext=gettext, _=gettext, ngettext=ngettext)
    env.filters.update(percent=percent, shown=i18n.shown)
    return env


def _dated(moment: datetime, locale: str) -> str:
    """The letter's date written out: `9 November 2026`, `9. November 2026`, `9 de noviembre de 2026`."""
    if locale.split("_")[0] == i18n.SOURCE:
        return format_date(moment, "d MMMM y", locale=locale)
    return format_date(moment, "long", locale=locale)


@cache
def _fonts() -> Path:
    # matplotlib ships the DejaVu fonts the PDF uses; importing it (and fpdf, fontTools) costs
    # every process start about half a second, and only a delivered letter needs them.
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


@cache
def _printable() -> frozenset[int]:
    """Code points both letter fonts can draw."""
    from fontTools.ttLib import TTFont

    regular, bold = (set(TTFont(_fonts() / name).getBestCmap())
                     for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
    return frozenset(regular & bold)


def _pdf_text(value: object) -> str:
    # A glyph the font lacks would vanish from the PDF without a word: show a box instead.
    printable = _printable()
    return "".join(ch if ord(ch) in printable or ch.isspace() else _MISSING
                   for ch in _one_line(value))


def _has_unprintable(letter: Letter, names: list[str]) -> bool:
    texts = [letter.title, letter.addressee, letter.ask, *letter.points, *names]
    return any(_pdf_text(text) != _one_line(text) for text in texts)


def render(letter: Letter, display: Display, *, markdown: bool = True,
           languages: Languages = DEFAULT) -> str:
    """The letter as Markdown, or as plain lines for the PDF, in the campaign's language."""
    env = _environment(_markdown if markdown else _pdf_text)
    # A name whose seal did not open is left out: the letter names only proven consent.
    names = [display(person) for person in letter.names if isinstance(person, Person)]
    unprintable = not markdown and _has_unprintable(letter, names)
    where = languages.resolve(Locality(letter.language, letter.zone))
    with speaking_in(languages, where):
        # The day it was delivered where the campaign is.
        dated = _dated(letter.delivered_at.astimezone(ZoneInfo(where.zone or "UTC")),
                       where.locale or i18n.SOURCE)
        text = env.get_template(TEMPLATE).render(letter=letter, names=names, dated=dated,
                                                 unprintable=unprintable)
    return text.strip() + "\n"


def _pdf(text: str, letter: Letter) -> FPDF:
    from fpdf import FPDF

    fonts = _fonts()
    pdf = FPDF(format="A4")
    pdf.set_margins(22, 22, 22)
    pdf.set_auto_page_break(True, margin=22)
    # A Unicode font, so names and text in any script do not stop the letter.
    pdf.add_font("letter", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("letter", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_creation_date(letter.delivered_at)
    pdf.set_title(letter.ref)
    pdf.add_page()
    for line in text.splitlines():
        _pdf_line(pdf, line)
    return pdf


def _pdf_line(pdf: FPDF, line: str) -> None:
    flow = {"new_x": "LMARGIN", "new_y": "NEXT"}
    if not line.strip():
        pdf.ln(3)
    elif line.startswith("# "):
        pdf.set_font("letter", "B", 17)
        pdf.multi_cell(0, 8, line[2:], **flow)
        pdf.ln(2)
    elif line.startswith("## "):
        pdf.set_font("letter", "B", 12.5)
        pdf.multi_cell(0, 7, line[3:], **flow)
    elif line.startswith("> "):
        pdf.set_font("letter", "B", 11.5)
        pdf.set_x(pdf.l_margin + 6)
        pdf.multi_cell(0, 6.5, line[2:], **flow)
    elif match := _LIST_ITEM.match(line):
        marker = match.group(1) if match.group(1) != "-" else "•"
        pdf.set_font("letter", "", 11)
        pdf.cell(8, 6, marker)
        pdf.multi_cell(0, 6, match.group(2), **flow)
        pdf.ln(1)
    else:
        pdf.set_font("letter", "", 11)
        pdf.multi_cell(0, 6, line, **flow)


def _private_file(path: Path, data: bytes) -> None:
    # The letter carries names: readable by the bot's own user only.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def letter_writer(output_dir: Path, display: Display,
                  languages: Languages = DEFAULT) -> LetterWriter:
    """A writer of letters into `output_dir`, naming signers with `display`."""
    return lambda letter: write_letter(letter, output_dir, display, languages)


def write_letter(letter: Letter, output_dir: Path, display: Display,
                 languages: Languages = DEFAULT) -> tuple[Path, Path]:
    """Write `petition-<id>.md` and `.pdf`; the file names carry no title and no name."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    markdown_path = output_dir / f"petition-{letter.ref}.md"
    pdf_path = output_dir / f"petition-{letter.ref}.pdf"
    markdown = render(letter, display, languages=languages)
    plain = render(letter, display, markdown=False, languages=languages)
    _private_file(markdown_path, markdown.encode())
    _private_file(pdf_path, bytes(_pdf(plain, letter).output()))
    return markdown_path, pdf_path
