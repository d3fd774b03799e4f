"""Every template rendered with stand-in values, so a test can read all of them per platform.

A template names its values (`r.ref`, `p.your_signature`, `warnings`); the
stand-in answers any attribute, item, call, loop, comparison or format with
itself. It is rendered twice, once with a stand-in that is true, non-empty
and equal to whatever it is compared with, once with one that is false,
empty and equal to nothing, so both sides of most `if`s are read. Names that
must be real (a template to include) are given in REAL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from jinja2 import meta

from bots.output.rendering import TEMPLATES, Renderer

SAMPLE = "S-4K9Q"
# Values a template uses as something other than a value: a template to include, an
# identity to mention.
REAL = {"about": "help/campaign.j2", "template": "help/campaign.j2",
        "topic": "help/index.j2", "other": "console:console:sample"}


class StandIn:
    """Any value at all: `x.y`, `x[0]`, `x()`, `x|length`, `x == 'solve'`, `'{:,}'.format(x)`."""

    def __init__(self, present: bool, depth: int = 0, typical: dict | None = None):
        self.present, self.depth, self.typical = present, depth, typical or {}

    def _next(self) -> StandIn:
        return StandIn(self.present, self.depth + 1, self.typical)

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):
            raise AttributeError(name)
        if name in REAL:
            return REAL[name]
        if self.present and name in self.typical:
            return self.typical[name]
        return self._next()

    def __getitem__(self, key: object) -> StandIn:
        return self._next()

    def __call__(self, *args: object, **kwargs: object) -> StandIn:
        return self._next()

    def __iter__(self) -> Iterator[StandIn]:
        # Two items, so `for percent, reached in pairs` unpacks; deep enough, not forever.
        return iter([self._next(), self._next()] if self.present and self.depth < 4 else [])

    def __len__(self) -> int:
        return 2 if self.present else 0

    def __bool__(self) -> bool:
        return self.present

    def __eq__(self, other: object) -> bool:
        return self.present

    def __ne__(self, other: object) -> bool:
        return not self.present

    def __lt__(self, other: object) -> bool:
        return self.present

    __le__ = __gt__ = __ge__ = __lt__

    def __hash__(self) -> int:
        return 0

    def __int__(self) -> int:
        return 7 if self.present else 0

    def __float__(self) -> float:
        return float(int(self))

    def __index__(self) -> int:
        return int(self)

    def __round__(self, digits: int | None = None) -> int:
        return int(self)  # a plural form is chosen by a whole number

    def __add__(self, other: object) -> StandIn:
        return self._next()

    __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __mod__ = __add__

    def __format__(self, spec: str) -> str:
        return format(int(self), spec) if spec else str(self)

    def __str__(self) -> str:
        return SAMPLE if self.present else ""

    def strftime(self, pattern: str) -> str:
        return "2026-11-02 09:00 UTC"

    def astimezone(self, zone: tzinfo | None = None) -> datetime:
        # A moment shown in the reader's zone is a real one, so any locale can format it.
        return datetime(2026, 11, 2, 9, 0, tzinfo=UTC).astimezone(zone)


def template_names(platform: str, templates: Path = TEMPLATES) -> list[str]:
    """Every `.j2` template `Renderer(platform)` loads, by the name it loads it with: the shared
    ones in common/, and the platform's overrides and own (`adapter/`) in templates/<platform>/."""
    folders = (templates / "common", templates / platform)
    return sorted({str(path.relative_to(folder)) for folder in folders for path in folder.rglob("*.j2")})


def operator_template_names(templates: Path = TEMPLATES) -> list[str]:
    """The command line's own templates, by the name `operator_renderer()` loads them with."""
    folder = templates / "operator"
    return sorted(f"operator/{path.relative_to(folder)}" for path in folder.rglob("*.j2"))


def source(renderer: Renderer, name: str) -> str:
    """The text of the template `renderer` loads for `name`."""
    return renderer.env.loader.get_source(renderer.env, name)[0]


def render_all(renderer: Renderer, name: str, typical: dict | None = None) -> list[str]:
    """`name` rendered with a present and with an absent stand-in for each of its values.

    `typical` gives real values to some names wherever they appear (`role`: "member"),
    so that what a template makes of them can be read too.
    """
    wanted = _values(renderer, name, set()) - set(renderer.env.globals)
    typical = typical or {}
    shown = []
    for present in (True, False):
        values = {key: REAL.get(key, typical.get(key) if present and key in typical
                                else StandIn(present, typical=typical)) for key in wanted}
        shown.append(renderer.render(name, **values))
    return shown


def _values(renderer: Renderer, name: str, seen: set[str]) -> set[str]:
    # The names a template and everything it includes read from the context.
    seen.add(name)
    parsed = renderer.env.parse(source(renderer, name))
    wanted = set(meta.find_undeclared_variables(parsed))
    included = {found for found in meta.find_referenced_templates(parsed) if found}
    included |= {REAL[key] for key in wanted if str(REAL.get(key, "")).endswith(".j2")}
    for other in included - seen:
        wanted |= _values(renderer, other, seen)
    return wanted
