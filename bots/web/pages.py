"""HTML from templates/web (falling back to templates/common for the words chat uses too).

Autoescaped: every value is HTML-escaped unless a template says otherwise.
"""

from __future__ import annotations

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse, Response

from bots.output import i18n
from bots.output.rendering import FILTERS, TEMPLATES

STATIC = TEMPLATES / "web" / "static"


def _environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(TEMPLATES / "web"),
                             FileSystemLoader(TEMPLATES / "common")]),
        autoescape=select_autoescape(enabled_extensions=("html", "svg", "j2"),
                                     default_for_string=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, auto_reload=False,
        extensions=["jinja2.ext.i18n"],
    )
    # The chat templates' translated sentences: each value HTML-escaped, numbers localized.
    env.policies["ext.i18n.trimmed"] = True
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(gettext=_gettext, _=_gettext, ngettext=_ngettext)
    env.filters.update(FILTERS, safe_text=Markup)
    # Chat templates shared with the page call these; on a page, plain text is right.
    env.globals.update(bold=lambda text: text, code=lambda text: text, platform="web")
    return env


def _filled(translated: str, msgid: str, values: dict[str, object]) -> Markup:
    shown = {key: escape(value) for key, value in i18n.localized(values).items()}
    return Markup(i18n.fill(str(escape(translated)), msgid, shown))


def _gettext(msgid: str, /, **values: object) -> Markup:
    return _filled(i18n.gettext(msgid), msgid, values)


def _ngettext(singular: str, plural: str, count: int, /, **values: object) -> Markup:
    values.setdefault("num", count)
    return _filled(i18n.ngettext(singular, plural, count), singular, values)


class Pages:
    """Renders a page template to a response."""

    def __init__(self) -> None:
        self.env = _environment()

    def text(self, template: str, **data: object) -> str:
        return self.env.get_template(template).render(**data)

    def page(self, template: str, status: int = 200, **data: object) -> Response:
        return HTMLResponse(self.text(template, **data), status_code=status)
