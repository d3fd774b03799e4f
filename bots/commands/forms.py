"""The three forms (campaign, grievance, petition draft), shared by Slack and Discord modals.

Every form field is also a command option, so a submitted form becomes the
same Invocation the console would parse: one path, whatever the platform.
Labels are user-facing, so they live in templates/common/forms.json.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache

from bots.commands.parser import Invocation, Registry
from bots.output.i18n import Languages
from bots.output.rendering import TEMPLATES


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    option: str | None = None
    arg: str | None = None
    choice: dict | None = None
    multiline: bool = False
    max_length: int | None = None
    required: bool = True
    placeholder: str | None = None
    discord_option: bool = False


@dataclass(frozen=True)
class Form:
    name: str
    title: str
    command: tuple[str, ...]
    fields: tuple[FormField, ...]

    def modal_fields(self, platform: str) -> tuple[FormField, ...]:
        """Discord modals hold at most 5 text inputs; its extra fields are command options."""
        if platform == "discord":
            return tuple(f for f in self.fields if not f.discord_option)
        return self.fields


@cache
def forms() -> dict[str, Form]:
    raw = json.loads((TEMPLATES / "common" / "forms.json").read_text())
    return {
        name: Form(name, spec["title"], tuple(spec["command"]),
                   tuple(FormField(**field) for field in spec["fields"]))
        for name, spec in raw.items()
    }


def translated(form: Form, languages: Languages, locale: str | None) -> Form:
    """The form with its title, labels, placeholders and choices in `locale` (keys unchanged)."""
    if languages.choose(locale) in (None, "en"):
        return form

    def words(text: str | None) -> str | None:
        return languages.gettext(locale, text) if text else text

    return replace(form, title=words(form.title), fields=tuple(
        replace(field, label=words(field.label), placeholder=words(field.placeholder),
                choice={key: words(label) for key, label in field.choice.items()}
                if field.choice else field.choice)
        for field in form.fields))


def form_invocation(registry: Registry, form: Form, values: dict[str, str],
                    args: dict[str, str] | None = None) -> Invocation:
    """Turn submitted field values (by key) into the command's Invocation.

    Blank optional fields are left out; a choice field sets the flag option of
    the chosen value (`--vent` or `--solve`); repeated options keep field order.
    """
    bound = dict(args or {})
    options: dict[str, object] = {}
    for field in form.fields:
        value = (values.get(field.key) or "").strip()
        if not value:
            continue
        if field.arg:
            bound[field.arg] = value
        elif field.choice is not None:
            options[value] = True
        elif field.option and _repeats(registry, form, field.option):
            options.setdefault(field.option, []).append(value)
        elif field.option:
            options[field.option] = value
    return Invocation(registry.specs[form.command], bound, options)


def _repeats(registry: Registry, form: Form, option: str) -> bool:
    spec = registry.specs.get(form.command)
    return any(o.name == option and o.kind == "many" for o in (spec.options if spec else ()))
