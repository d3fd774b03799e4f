"""HTML from templates/web (falling back to templates/common for the words chat uses too).

Autoescaped: every value is HTML-escaped unless a template says otherwise.
A page is rendered in a locality like a chat answer: the campaign's language
and zone when the page is about one, else the deployment's (CONCERTED_LOCALE,
CONCERTED_TIMEZONE); `<html lang>` says which.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse, Response

from bots.output import i18n
from bots.output.i18n import DEFAULT, Languages, Locality, speaking_in
from bots.output.rendering import FILTERS, TEMPLATES, CompiledOnce

STATIC = TEMPLATES / "web" / "static"
# A command in backticks stays in its msgid (docs/TRANSLATING.md); a page shows it as code.
_COMMAND = re.compile(r"`([^`]+)`")


_PAGE_CODE = CompiledOnce()  # one per app (and per test); compiled once a process


def _environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(TEMPLATES / "web"),
                             FileSystemLoader(TEMPLATES / "common")]),
        autoescape=select_autoescape(enabled_extensions=("html", "svg", "j2"),
                                     default_for_string=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, auto_reload=False,
        extensions=["jinja2.ext.i18n"], bytecode_cache=_PAGE_CODE,
    )
    # The translated sentences: each value HTML-escaped, numbers localized.
    env.policies["ext.i18n.trimmed"] = True
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(gettext=_gettext, _=_gettext, ngettext=_ngettext)
    env.filters.update(FILTERS, safe_text=Markup, local=_local)
    # Chat templates shared with the page call these; on a page, plain text is right.
    env.globals.update(bold=lambda text: text, code=lambda text: text, platform="web")
    env.globals.update(link=_link, page_language=_page_language)
    return env


def _sentence(text: str) -> str:
    # The catalog's words are not a person's, but they are text: escaped (an apostrophe is
    # safe in text and in our double-quoted attributes), commands shown as code.
    return _COMMAND.sub(r"<code>\1</code>", str(escape(text)).replace("&#39;", "'"))


def _filled(translated: str, msgid: str, values: dict[str, object]) -> Markup:
    shown = {key: escape(value) for key, value in i18n.localized(values).items()}
    return Markup(i18n.fill(_sentence(translated), _sentence(msgid), shown))


def _gettext(msgid: str, /, **values: object) -> Markup:
    return _filled(i18n.gettext(msgid), msgid, values)


def _ngettext(singular: str, plural: str, count: int, /, **values: object) -> Markup:
    values.setdefault("num", count)
    chosen = i18n.ngettext(singular, plural, int(count))
    return _filled(chosen, singular if count == 1 else plural, values)


def _link(href: object, text: object) -> Markup:
    """A link to pass into a sentence as a value: the markup stays out of the msgid."""
    return Markup('<a href="{}">{}</a>').format(href, text)


def _local(moment: datetime, shape: str) -> str:
    """A moment in the reader's zone, in a numeric shape (a chart's axis has no room for
    the zone's name; the table under it names it)."""
    zone = ZoneInfo(i18n.zone_name())
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone).strftime(str(shape))


def _page_language() -> str:
    """The page's language as `<html lang>` wants it: `pt-BR`, `de`."""
    return (i18n.speaking().locality.locale or i18n.SOURCE).replace("_", "-")


class Pages:
    """Renders a page template, in a locality, to text or a response."""

    def __init__(self, languages: Languages = DEFAULT) -> None:
        self.env = _environment()
        self.languages = languages

    def render(self, template: str, locality: Locality | None = None, /, **data: object) -> str:
        """The template in `locality` (resolved against the deployment's language and zone)."""
        with speaking_in(self.languages, self.languages.resolve(locality)):
            return self.env.get_template(template).render(**data)

    def text(self, template: str, locality: Locality | None = None, /, **data: object) -> str:
        return self.render(template, locality, **data)

    def page(self, template: str, status: int = 200, locality: Locality | None = None,
             **data: object) -> Response:
        return HTMLResponse(self.render(template, locality, **data), status_code=status)
