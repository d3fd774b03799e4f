"""The application command tree, generated from the shared command registry.

Every Spec becomes a Discord command: `/campaign liaison add` is the group
`campaign`, its subgroup `liaison` and the subcommand `add`. Discord cannot
invoke a group itself, so a path that is a command and also has subcommands
(`/grievance NAME` beside `/grievance status REF`) gets a subcommand of its
own, named in OWN_SUBCOMMAND. Arguments and options become typed options.
Command descriptions are the first sentence of their help; option
descriptions are written per command in templates/discord/adapter/options.json,
with a shared one only where an option means the same everywhere.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str
from jinja2 import TemplateError

from bots.commands.forms import forms
from bots.commands.parser import Registry, Spec, arg_key
from bots.output.i18n import DEFAULT, Languages, Locality
from bots.output.rendering import TEMPLATES, Renderer

OWN_SUBCOMMAND = {"grievance": "file", "threshold": "show"}
OWN_FALLBACK = "run"
HELP = "help"
MANY = 3  # a repeatable option becomes this many numbered options: point_1 .. point_3
NAME_MAX, DESCRIPTION_MAX, CHOICES_MAX = 32, 100, 25
_INVALID = re.compile(r"[^\w-]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
_ANNOTATIONS = {"user": discord.User, "flag": bool}

CommandHandler = Callable[[discord.Interaction, Spec, dict[str, Any]], Awaitable[None]]
HelpHandler = Callable[[discord.Interaction, tuple[str, ...], str | None], Awaitable[None]]


@dataclass(frozen=True)
class Slot:
    """One Discord option, and where its value goes in the command's Invocation."""

    name: str
    kind: str  # "arg" | "user" | "flag" | "value" | "many" | "choice"
    key: str
    required: bool = False
    metavar: str = ""
    index: int = 0
    choices: tuple[tuple[str, str], ...] = ()


def discord_name(word: str) -> str:
    """A word as Discord accepts names: lower case, underscores for dashes and the like."""
    name = _INVALID.sub("_", word.strip().lower().replace("-", "_")).strip("_")[:NAME_MAX]
    if not name:
        raise ValueError(f"'{word}' gives no usable Discord name.")
    return name


def slots(spec: Spec) -> list[Slot]:
    """The Discord options of a command, required ones first, in the Spec's order."""
    form = forms().get(spec.form) if spec.form else None
    form_options = [f for f in form.fields if f.discord_option] if form else []
    chosen = {key for f in form_options if f.choice for key in f.choice}
    required = {f.option for f in form_options if f.option and f.required}
    found: list[Slot] = []
    for arg in spec.args:
        kind = "user" if arg.startswith("@") else "arg"
        key = arg_key(arg)
        found.append(Slot(discord_name(key), kind, key, not arg.startswith("["), arg))
    for field in form_options:
        if field.choice:
            # One choice (vent or solve) reads better on Discord than two yes/no options.
            found.append(Slot(discord_name(field.key), "choice", field.key, field.required,
                              field.key, choices=tuple(field.choice.items())))
    for option in spec.options:
        if option.name in chosen:
            continue
        if option.kind == "many":
            found.extend(Slot(discord_name(f"{option.name}_{n}"), "many", option.name,
                              metavar=option.metavar, index=n) for n in range(1, MANY + 1))
        else:
            found.append(Slot(discord_name(option.name), option.kind, option.name,
                              option.name in required, option.metavar))
    names = [slot.name for slot in found]
    if len(set(names)) != len(names):
        raise ValueError(f"/{' '.join(spec.path)} has two options with one Discord name: {names}")
    return sorted(found, key=lambda slot: not slot.required)


def discord_path(registry: Registry, spec: Spec) -> tuple[str, ...]:
    """The words a person types on Discord for `spec`, own subcommand included."""
    words = tuple(discord_name(word) for word in spec.path)
    return words + (own_subcommand(spec.path),) if registry.children(spec.path) else words


def own_subcommand(path: tuple[str, ...]) -> str:
    """The subcommand that runs a path which also has subcommands of its own."""
    return OWN_SUBCOMMAND.get(" ".join(path), OWN_FALLBACK)


def usage(registry: Registry, spec: Spec) -> str:
    """The command as Discord shows it: `/campaign create name: [title:] …`."""
    parts = ["/" + " ".join(discord_path(registry, spec))]
    for slot in slots(spec):
        parts.append(f"{slot.name}:" if slot.required else f"[{slot.name}:]")
    return " ".join(parts)


OPTIONS = TEMPLATES / "discord" / "adapter" / "options.json"
EVERYWHERE = "*"
_MARKUP = re.compile(r"`|\*\*")


_DESCRIBED: dict[tuple[object, ...], tuple[str, int]] = {}


class Descriptions:
    """Command and option descriptions (1 to 100 characters), from templates.

    Each is a `locale_str` that remembers where its words came from (the help
    template, or the msgid of options.json), so the translator
    (bots/discord_bot/translator.py) can say it again in every shipped language.
    """

    def __init__(self, languages: Languages = DEFAULT) -> None:
        # Discord's flavour, so that help naming an option names it as Discord shows it.
        self.renderer = Renderer("discord", languages=languages)
        self.languages = languages
        self.options: dict[str, dict[str, str]] = json.loads(OPTIONS.read_text())

    def command(self, template: str, fallback: str) -> locale_str:
        text, count = self.first_sentences(template, fallback)
        return locale_str(text, template=template, sentences=count)

    def first_sentences(self, template: str, fallback: str, locality: Locality | None = None,
                        count: int | None = None) -> tuple[str, int]:
        """The help template's first sentence, within 100 characters, and how many sentences
        that took: two after a sentence saying who may use it ("Leads only."). A translation
        takes as many as the English did."""
        # The templates and catalogs do not change while the process runs: each description
        # is worked out once per catalog folder, not again at every sync of the command tree.
        key = (self.languages.directory, self.languages.default, template, fallback, locality,
               count)
        found = _DESCRIBED.get(key)
        if found is None:
            found = _DESCRIBED[key] = self._first_sentences(template, fallback, locality, count)
        return found

    def _first_sentences(self, template: str, fallback: str, locality: Locality | None,
                         count: int | None) -> tuple[str, int]:
        try:
            text = self.renderer.render(template, locality)
        except TemplateError:
            text = fallback
        sentences = _SENTENCE_END.split(" ".join(text.split()))
        if count is None:
            # "Leads only." says who, not what: the next sentence says what.
            count = 2 if len(sentences) > 1 and sentences[0].endswith(" only.") else 1
        return _short(" ".join(sentences[:count])) or fallback, count

    def option(self, spec_path: tuple[str, ...], slot: Slot) -> str:
        """What `slot` means for this command, in English."""
        return self.localized_option(spec_path, slot).message

    def localized_option(self, spec_path: tuple[str, ...], slot: Slot) -> locale_str:
        """What `slot` means for this command: its own description, its family's, or the
        one shared by every command; an option without one is a mistake to fix, not to guess."""
        for section in (" ".join(spec_path), f"{spec_path[0]} {EVERYWHERE}", EVERYWHERE):
            about = self.options.get(section, {})
            text = about.get(slot.name) or about.get(slot.key)
            if text:
                return locale_str(_short(text), msgid=text)
        raise ValueError(f"/{' '.join(spec_path)} option '{slot.name}' has no description in "
                         f"{OPTIONS.name}.")


def _short(text: str) -> str:
    text = _MARKUP.sub("", " ".join(text.split())).strip()
    return text if len(text) <= DESCRIPTION_MAX else text[: DESCRIPTION_MAX - 1].rstrip() + "…"


def build_commands(registry: Registry, on_command: CommandHandler, on_help: HelpHandler,
                   languages: Languages = DEFAULT) -> list[app_commands.Command | app_commands.Group]:
    """Every registry command as Discord application commands, with `help` under each group."""
    describe = Descriptions(languages)
    built: list[app_commands.Command | app_commands.Group] = []
    for top in registry.commands:
        spec = registry.specs.get((top,))
        if spec is not None and not registry.children((top,)):
            built.append(_command(spec, discord_name(top), describe, on_command))
            continue
        group = _group((top,), describe)
        _fill(group, (top,), registry, describe, on_command)
        if (top, HELP) not in registry.specs:
            group.add_command(_help_command((top,), registry, describe, on_help))
        built.append(group)
    return built


def _group(path: tuple[str, ...], describe: Descriptions) -> app_commands.Group:
    about = describe.command(f"help/{'.'.join(path)}.j2", " ".join(path))
    return app_commands.Group(name=discord_name(path[-1]), description=about)


def _fill(group: app_commands.Group, prefix: tuple[str, ...], registry: Registry,
          describe: Descriptions, on_command: CommandHandler) -> None:
    own = registry.specs.get(prefix)
    if own is not None:
        group.add_command(_command(own, own_subcommand(prefix), describe, on_command))
    below = sorted({spec.path[len(prefix)] for spec in registry.children(prefix)})
    for word in below:
        path = (*prefix, word)
        if registry.children(path):
            if len(prefix) > 1:
                raise ValueError(f"/{' '.join(path)} is nested deeper than Discord allows.")
            subgroup = _group(path, describe)
            _fill(subgroup, path, registry, describe, on_command)
            group.add_command(subgroup)
        else:
            group.add_command(_command(registry.specs[path], discord_name(word), describe,
                                       on_command))


def _command(spec: Spec, name: str, describe: Descriptions,
             on_command: CommandHandler) -> app_commands.Command:
    found = slots(spec)

    async def callback(interaction: discord.Interaction, **values: Any) -> None:
        await on_command(interaction, spec, values)

    _typed(callback, found)
    callback.__discord_app_commands_param_description__ = {  # type: ignore[attr-defined]
        slot.name: describe.localized_option(spec.path, slot) for slot in found
    }
    callback.__discord_app_commands_param_choices__ = {  # type: ignore[attr-defined]
        slot.name: [app_commands.Choice(name=locale_str(_short(label), msgid=label), value=value)
                    for value, label in slot.choices]
        for slot in found if slot.choices
    }
    about = describe.command(spec.help_template, spec.usage)
    return app_commands.Command(name=name, description=about, callback=callback)


def _typed(callback: Callable, found: list[Slot]) -> None:
    # discord.py reads a command's options from its callback's signature, so we give the
    # one generic callback the signature this Spec's options describe.
    first = inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                              annotation=discord.Interaction)
    rest = [
        inspect.Parameter(slot.name, inspect.Parameter.KEYWORD_ONLY,
                          annotation=_ANNOTATIONS.get(slot.kind, str),
                          default=inspect.Parameter.empty if slot.required else None)
        for slot in found
    ]
    callback.__signature__ = inspect.Signature([first, *rest])  # type: ignore[attr-defined]


def _help_command(path: tuple[str, ...], registry: Registry, describe: Descriptions,
                  on_help: HelpHandler) -> app_commands.Command:
    topics = sorted(" ".join(spec.path[len(path):]) for spec in registry.children(path))
    slot = Slot("command", "value", "command", metavar="COMMAND")

    async def callback(interaction: discord.Interaction, command: str | None = None) -> None:
        await on_help(interaction, path, command)

    _typed(callback, [slot])
    callback.__discord_app_commands_param_description__ = {  # type: ignore[attr-defined]
        "command": describe.localized_option((*path, HELP), slot)
    }
    if 0 < len(topics) <= CHOICES_MAX:
        callback.__discord_app_commands_param_choices__ = {  # type: ignore[attr-defined]
            "command": [app_commands.Choice(name=t, value=t) for t in topics]
        }
    about = describe.command("adapter/help.j2", HELP)
    return app_commands.Command(name=HELP, description=about, callback=callback)
