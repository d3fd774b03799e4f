"""Command text to plain command objects: `/campaign create ethics --headcount 40`.

The same text arrives from the console, from a Slack slash command (command +
text) and, rebuilt from options, from a Discord application command.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

_TOKEN = re.compile(
    r"""(?P<prefix>(?:--|[—–])[\w-]+=)?
        (?: ["“„](?P<double>.*?)(?:["”](?=\s|$)|\Z)
          | ['‘](?P<single>.*?)['’](?=\s|$)
          | (?P<bare>\S+) )""",
    re.VERBOSE | re.DOTALL,
)
_HELP_WORDS = ("help", "--help", "-h")
_MENTION = re.compile(r"^<@([A-Za-z0-9]+)(?:\|[^>]*)?>$|^<@!?(\d+)>$|^@([A-Za-z0-9._-]+)$")


@dataclass(frozen=True)
class Option:
    """A `--name` option: a flag, one value, or a value that may repeat."""

    name: str
    kind: str = "value"  # "flag" | "value" | "many"
    metavar: str = "VALUE"

    @property
    def usage(self) -> str:
        if self.kind == "flag":
            return f"[--{self.name}]"
        many = " …" if self.kind == "many" else ""
        return f"[--{self.name} {self.metavar}{many}]"


@dataclass(frozen=True)
class Spec:
    """One command or subcommand: its words, arguments, options and handler.

    An argument written `NAME` is required, `[NAME]` optional, `TEXT...` takes
    the rest of the words, and `@user` is a person.
    """

    path: tuple[str, ...]
    args: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    handler: Callable | None = None
    form: str | None = None
    command: type | None = None  # the typed command (a frozen dataclass) its handler receives
    # Flags that contradict each other (`--named` and `--conditional`): at most one of each group.
    exclusive: tuple[tuple[str, ...], ...] = ()
    # A short write that may share its transaction with others arriving at the same moment
    # (campaigns/core/group_commit.py): signing and joining, not reports, letters or archives.
    grouped: bool = False
    # The handler for several of these commands arriving at once (bots/runtime/lane.py):
    # `together([(command, call), ...], uow, before_commit)`, a reply or None for each,
    # None for one it leaves to `handler`.
    together: Callable | None = None

    @property
    def usage(self) -> str:
        parts = ["/" + " ".join(self.path), *self.args, *(o.usage for o in self.options)]
        return " ".join(parts)

    @property
    def help_template(self) -> str:
        return "help/" + ".".join(self.path) + ".j2"


@dataclass(frozen=True)
class Invocation:
    """A command as words bound to its Spec: arguments by key, options by name, all still text."""

    spec: Spec
    args: dict[str, str]
    options: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class HelpRequest:
    """`help` anywhere in the words: usage and description of `path` and what lies under it."""

    path: tuple[str, ...]


class ParseError(Exception):
    """Text that is not a command we know; `template` explains it with usage and a suggestion."""

    def __init__(self, template: str, **params):
        self.template = template
        self.params = params
        super().__init__(template)


def tokenize(text: str) -> list[str]:
    """Split into words; quotes group words only where they open and close a whole word.

    So `--text "the rota leaves no rest"` is one value, while "don't" and
    "it’s 5 o'clock" keep their apostrophes; a double quote left open runs to
    the end of the line, so nothing is refused for an unbalanced quote. Chat clients turn `--` into a dash and
    straight quotes into curly ones; both are read as the person meant them.
    """
    tokens: list[str] = []
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            return tokens
        match = _TOKEN.match(text, position)
        value = match.group("double") if match.group("double") is not None else (
            match.group("single") if match.group("single") is not None else match.group("bare"))
        token = (match.group("prefix") or "") + value
        if token[:1] in "—–" and token[1:2].isalpha():
            token = "--" + token[1:]
        tokens.append(token)
        position = match.end()


def arg_key(arg: str) -> str:
    """The key an argument is bound under: `NAME` and `[NAME]` as `name`, `@user` as `user`."""
    return arg.strip("[]").rstrip(".").lstrip("@").lower()


def mention_user(token: str) -> str | None:
    """The user id in `<@U123|name>`, `<@123>`, `<@!123>` or `@alice`, else None."""
    match = _MENTION.match(token.strip())
    if not match:
        return None
    return next(group for group in match.groups() if group)


class Registry:
    """Every command the bot knows, looked up by its leading words.

    Commands and subcommands are listed in the order the specs are given:
    the order a person meets them in (create, join, … archive last), not
    the alphabet's.
    """

    def __init__(self, specs: Iterable[Spec]):
        self.specs = {spec.path: spec for spec in specs}
        # Every command is parsed against these; working them out each time was a visible
        # share of a Slack answer's event-loop time (bench/slack_http.py).
        self._commands = list(dict.fromkeys(path[0] for path in self.specs))
        self._known_commands = frozenset(self._commands)
        self._prefixes = {path[:n] for path in self.specs for n in range(1, len(path))}

    @property
    def commands(self) -> list[str]:
        return list(self._commands)

    def children(self, prefix: tuple[str, ...]) -> list[Spec]:
        return [
            spec for path, spec in self.specs.items()
            if path[: len(prefix)] == prefix and path != prefix
        ]

    def _known(self, path: tuple[str, ...]) -> bool:
        return path in self.specs or path in self._prefixes

    def parse(self, text: str) -> Invocation | HelpRequest:
        """Turn command text into a complete Invocation, a HelpRequest, or raise ParseError."""
        read = self.read(text)
        if isinstance(read, Invocation):
            require_arguments(read)
        return read

    def read(self, text: str) -> Invocation | HelpRequest:
        """Like `parse`, but a required argument may be missing: `/campaign create` alone is
        read, so an adapter can open its form, and refused later by `require_arguments`."""
        tokens = tokenize(text)
        if not tokens or not tokens[0].startswith("/"):
            raise ParseError("errors/not_a_command.j2", commands=self.commands)
        command = tokens[0][1:].lower()
        if command not in self._known_commands:
            raise ParseError("errors/unknown_command.j2", word=command, commands=self.commands,
                             suggestion=_closest(command, self.commands))
        words = [command]
        rest = tokens[1:]
        while rest and self._known((*words, rest[0].lower())):
            words.append(rest.pop(0).lower())
        path = tuple(words)
        asks_help = bool(rest) and rest[0].lower() in _HELP_WORDS or "--help" in rest
        if asks_help or (not rest and path not in self.specs):
            return HelpRequest(path)
        spec = self.specs.get(path)
        if spec is None:
            below = sorted({s.path[len(path)] for s in self.children(path)})
            word = rest[0] if rest else ""
            raise ParseError("errors/unknown_subcommand.j2", path=" ".join(path), word=word,
                             choices=below, suggestion=_closest(word.lower(), below))
        return _bind(spec, rest)


def _closest(word: str, choices: list[str]) -> str | None:
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return found[0] if found else None


def _bind(spec: Spec, tokens: list[str]) -> Invocation:
    options: dict[str, object] = {}
    positional: list[str] = []
    by_name = {o.name: o for o in spec.options}
    tokens = list(tokens)
    while tokens:
        token = tokens.pop(0)
        if not (token.startswith("--") and len(token) > 2):
            positional.append(token)
            continue
        name, _, inline = token[2:].partition("=")
        option = by_name.get(name.lower())
        if option is None:
            raise ParseError("errors/unknown_option.j2", word=name, usage=spec.usage,
                             suggestion=_closest(name.lower(), list(by_name)))
        if option.kind == "flag":
            options[option.name] = True
            continue
        value = inline if inline else (tokens.pop(0) if tokens else None)
        if value is None or (not inline and value.startswith("--")):
            raise ParseError("errors/option_needs_value.j2", word=option.name,
                             metavar=option.metavar, usage=spec.usage)
        if option.kind == "value" and option.name in options:
            # The second value would silently replace the first: which one was meant?
            raise ParseError("errors/option_repeated.j2", word=option.name, usage=spec.usage)
        if option.kind == "many":
            options.setdefault(option.name, [])
            options[option.name].append(value)
        else:
            options[option.name] = value
    bound = Invocation(spec, _bind_args(spec, positional), options)
    refuse_contradictions(bound)
    return bound


def refuse_contradictions(inv: Invocation) -> None:
    """Refuse flags that say opposite things (`--named --conditional`), however they came."""
    for group in inv.spec.exclusive:
        given = [name for name in group if inv.options.get(name)]
        if len(given) > 1:
            raise ParseError("errors/options_contradict.j2", given=given, usage=inv.spec.usage)


def missing_arguments(inv: Invocation) -> tuple[str, ...]:
    """The required arguments (as the Spec writes them) that are absent or blank."""
    return tuple(name for name in inv.spec.args
                 if not (name.startswith("[") or name.endswith("..."))
                 and not str(inv.args.get(arg_key(name)) or "").strip())


def require_arguments(inv: Invocation) -> None:
    """The parser's missing-argument error for an Invocation bound elsewhere (a form, Discord
    options) whose required argument is absent or blank, so a handler never sees None; and
    its refusal of contradicting flags, which Discord's options can also carry."""
    refuse_contradictions(inv)
    for index, name in enumerate(inv.spec.args):
        if name.startswith("[") or name.endswith("..."):
            continue
        if not str(inv.args.get(arg_key(name)) or "").strip():
            raise ParseError("errors/missing_argument.j2", argument=name,
                             usage=inv.spec.usage, position=index + 1)


def _bind_args(spec: Spec, positional: list[str]) -> dict[str, str]:
    args: dict[str, str] = {}
    for name in spec.args:
        key = arg_key(name)
        if name.endswith("..."):
            if positional:
                args[key] = " ".join(positional)
            positional = []
            break
        if not positional:
            continue  # a missing required argument is require_arguments' to refuse
        value = positional.pop(0)
        if name.startswith("@"):
            user = mention_user(value)
            if user is None:
                raise ParseError("errors/not_a_person.j2", value=value, usage=spec.usage)
            value = user
        args[key] = value
    if positional:
        raise ParseError("errors/too_many_arguments.j2", extra=positional, usage=spec.usage)
    return args
