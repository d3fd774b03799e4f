"""An Invocation (words bound to a Spec) to the typed command its handler receives.

Each handler module declares a frozen dataclass per command beside its Spec.
A field takes the argument or option of its name (`send_anyway` reads
`--send-anyway`) and is converted by its annotation: `bool` for a flag,
`Person` for an `@user`, a `tuple[...]` for an option that repeats, and the
aliases of `bots/commands/conversions.py` (`Percent`, `Deadline`, …) for text
that must become a number, a duration or a date, refused readably when it
cannot. A field left out keeps its default.
"""

from __future__ import annotations

import types
import typing
from dataclasses import fields
from datetime import datetime
from functools import cache

from bots.commands.conversions import As
from bots.commands.parser import Invocation, Spec, arg_key
from campaigns.core.privacy import Person


def to_command(inv: Invocation, *, asker: Person, now: datetime) -> object:
    """The Spec's typed command, built from the invocation's text; raises BadValue on bad text."""
    hints = _hints(inv.spec.command)
    values: dict[str, object] = {}
    for name, (where, key) in sources(inv.spec).items():
        raw = (inv.args if where == "arg" else inv.options).get(key)
        if raw is None:
            continue
        values[name] = _convert(hints[name], raw, name, asker, now)
    return inv.spec.command(**values)


@cache
def sources(spec: Spec) -> dict[str, tuple[str, str]]:
    """Where each field of the Spec's command comes from: ("arg", key) or ("option", name)."""
    args = {arg_key(arg).replace("-", "_"): arg_key(arg) for arg in spec.args}
    options = {option.name.replace("-", "_"): option.name for option in spec.options}
    found: dict[str, tuple[str, str]] = {}
    for item in fields(spec.command):
        if item.name in args:
            found[item.name] = ("arg", args[item.name])
        elif item.name in options:
            found[item.name] = ("option", options[item.name])
        else:
            raise TypeError(f"{spec.command.__name__}.{item.name} is no argument or option "
                            f"of /{' '.join(spec.path)}.")
    return found


@cache
def _hints(command: type) -> dict[str, object]:
    return typing.get_type_hints(command, include_extras=True)


def _convert(hint: object, raw: object, name: str, asker: Person, now: datetime) -> object:
    kind, detail = _kind(hint)
    if kind == "rule":
        return _apply(detail, raw, name, now)
    if kind == "tuple":
        return tuple(_convert(detail, item, name, asker, now) for item in _many(raw))
    if kind == "bool":
        return bool(raw)
    if kind == "person":
        return Person(asker.platform, asker.workspace, str(raw))
    return raw


@cache
def _kind(hint: object) -> tuple[str, typing.Any]:
    # How a field of this annotation converts, worked out once per annotation.
    hint = _without_none(hint)
    if typing.get_origin(hint) is typing.Annotated:
        base, *extras = typing.get_args(hint)
        rule = next((extra for extra in extras if isinstance(extra, As)), None)
        if rule is not None:
            return "rule", rule
        hint = base
    if typing.get_origin(hint) is tuple:
        return "tuple", typing.get_args(hint)[0]
    if hint is bool:
        return "bool", None
    if hint is Person:
        return "person", None
    return "raw", None


def _apply(rule: As, raw: object, name: str, now: datetime) -> object:
    field = rule.field or name
    return rule.convert(raw, field, now) if rule.timed else rule.convert(raw, field)


def _many(raw: object) -> list:
    return list(raw) if isinstance(raw, list | tuple) else [raw]


def _without_none(hint: object) -> object:
    # `Percent | None` is a union of the annotated type and None: the annotated one converts.
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        kept = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(kept) == 1:
            return kept[0]
    return hint
