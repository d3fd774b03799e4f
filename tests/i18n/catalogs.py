"""Reading the catalogs in tests: the shipped .po files, fresh extraction, and made-up catalogs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from bots.output.i18n import LOCALE_DIR

ROOT = LOCALE_DIR.parents[1]
SHIPPED = ("es", "pt_BR", "de")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
CODE_SPAN = re.compile(r"`[^`]*`")


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def shipped(locale: str) -> Catalog:
    return read(LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po", locale)


def template() -> Catalog:
    return read(LOCALE_DIR / "messages.pot")


def extract(target: Path) -> Catalog:
    """What `pybabel extract -F babel.cfg` finds in the code now."""
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract",
                    "-F", "babel.cfg", "-o", str(target), "."], cwd=ROOT, check=True)
    return read(target)


def unfaithful(msgids: tuple[str, ...], string: str) -> list[str]:
    """What a translation lost or invented: placeholders, code spans (commands), stray `%`."""
    wanted = {name for form in msgids for name in PLACEHOLDER.findall(form)}
    spans = {span for form in msgids for span in CODE_SPAN.findall(form)}
    found = set(PLACEHOLDER.findall(string))
    problems = [f"invents %({name})s" for name in found - wanted]
    # A singular form may say "one" in words instead of %(count)s; nothing else may go.
    problems += [f"drops %({name})s" for name in wanted - found - {"count", "num"}]
    problems += [f"changes {span}" for span in spans ^ set(CODE_SPAN.findall(string))]
    if "%" in PLACEHOLDER.sub("", string).replace("%%", ""):
        problems.append("has a % that is not a placeholder")
    return problems


def forms(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def write(catalog: Catalog, folder: Path, locale: str) -> Path:
    """Save `catalog` as `<folder>/<locale>/LC_MESSAGES/messages.po`: one file is a language."""
    path = folder / locale / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as out:
        write_po(out, catalog)
    return path


def copy_shipped(folder: Path) -> None:
    """The shipped catalogs, copied into `folder`, so a test can add one beside them."""
    shutil.copytree(LOCALE_DIR, folder, dirs_exist_ok=True)


def made_up(locale: str, translate) -> Catalog:
    """A catalog for `locale` from the .pot, each msgstr (every plural form) `translate(msgid)`."""
    catalog = Catalog(locale=locale, project="Concerted")
    for message in template():
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            wanted = catalog.num_plurals
            string = tuple(translate(message.id[min(n, 1)]) for n in range(wanted))
        else:
            string = translate(message.id)
        catalog.add(message.id, string, flags=message.flags)
    return catalog
