"""HTML from templates/web (falling back to templates/common for the words chat uses too).

Autoescaped: every value is HTML-escaped unless a template says otherwise.
"""

from __future__ import annotations

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from starlette.responses import HTMLResponse, Response

from bots.output.rendering import FILTERS, TEMPLATES

STATIC = TEMPLATES / "web" / "static"


def _environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(TEMPLATES / "web"),
                             FileSystemLoader(TEMPLATES / "common")]),
        autoescape=select_autoescape(enabled_extensions=("html", "svg", "j2"),
                                     default_for_string=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, auto_reload=False,
    )
    env.filters.update(FILTERS, safe_text=Markup)
    # Chat templates shared with the page call these; on a page, plain text is right.
    env.globals.update(bold=lambda text: text, code=lambda text: text, platform="web")
    return env


class Pages:
    """Renders a page template to a response."""

    def __init__(self) -> None:
        self.env = _environment()

    def text(self, template: str, **data: object) -> str:
        return self.env.get_template(template).render(**data)

    def page(self, template: str, status: int = 200, **data: object) -> Response:
        return HTMLResponse(self.text(template, **data), status_code=status)
