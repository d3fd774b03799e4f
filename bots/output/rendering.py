"""Templates to text, per platform. Every interpolated value is escaped for where it goes.

Values reach templates through `finalize`, which escapes anything not marked
`Safe`: user text can never become a Slack `<!channel>`, a Discord
`@everyone`, a mention or a forged link, whichever template forgets to care.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
)
from jinja2.bccache import Bucket

from bots.output import i18n
from bots.output.i18n import DEFAULT, Languages, Locality, speaking_in
from campaigns.core.privacy import Person, UnreadableEntry

percent = i18n.percent

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Control characters, and the invisible ones that can disguise relayed text: bidi embeddings,
# overrides and isolates (U+202A-U+202E, U+2066-U+2069) and zero-width spaces. Zero-width
# (non-)joiners stay: Persian, Indic scripts and emoji sequences need them.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u200b\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
_DISCORD_MARKDOWN = re.compile(r"([\\*_~`|>#\[\]()-])")


class Safe(str):
    """Text already made safe for the platform (a mention we built, a rendered part)."""


class CompiledOnce(BytecodeCache):
    """Each template compiled once a process, for every environment configured alike.

    Jinja compiles a template for each `Environment` that loads it; renderers are built per
    platform and per app (and per test), and compiling was the larger part of building one.
    The code depends on the environment's options, so each configuration keeps its own
    instance; it lives in memory only and is checked against the source's checksum.
    """

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, object]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self._code.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = (bucket.checksum, bucket.code)


_CHAT_CODE = CompiledOnce()  # every Renderer's environment is configured the same way


def _console(text: str) -> str:
    return _CONTROL.sub("", text)


def _slack(text: str) -> str:
    return _console(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _discord(text: str) -> str:
    text = _DISCORD_MARKDOWN.sub(r"\\\1", _console(text))
    return text.replace("@", "@\u200b").replace("<", "<\u200b")


ESCAPERS = {"console": _console, "slack": _slack, "discord": _discord}


def mention(platform: str, person: Person) -> Safe:
    """How the platform names a person without storing the name: a mention, or the console name."""
    if platform == "slack":
        return Safe(f"<@{person.user}>")
    if platform == "discord":
        return Safe(f"<@{person.user}>")
    return Safe(_console(person.user))


@cache
def button_labels() -> dict[str, str]:
    """The labels of the buttons Discord shows under a warning, by key."""
    return json.loads((TEMPLATES / "discord" / "adapter" / "buttons.json").read_text())


def _discord_word(name: str) -> str:
    # As bots/discord_bot/tree.discord_name spells an option: Discord names have no dashes.
    return name.replace("-", "_")


# The filters every template uses, chat's and the web dashboard's alike: the same words.
FILTERS = {"when": i18n.when, "day": i18n.day, "percent": percent,
           "number": i18n.number, "weekday": i18n.weekday, "shown": i18n.shown,
           "signed": i18n.signed, "language": i18n.language}


class _Environment(Environment):
    """Jinja's environment, with each template's globals copied into a plain dict when it is
    loaded. Jinja chains them to the environment's (a ChainMap), and every render and every
    `{% import %}` then merged and compared those maps key by key: about a quarter of an
    answer's rendering (bench/slack_wrk.py). Globals are all set before the first template
    loads, as Jinja asks, so a copy holds the same values."""

    def make_globals(self, d):  # type: ignore[override]
        return {**self.globals, **(d or {})}


class Renderer:
    """Renders `templates/<platform>/X`, falling back to `templates/common/X`, in a locality.

    `templates/common/` holds what every platform shows; `templates/<platform>/` holds a
    platform's overrides at the same relative paths, and its own messages under `adapter/`
    (`adapter/guild_only.j2` names the Discord one on Discord). With `operator`, names
    `operator/X` are also found in `templates/operator/`: the command line's messages to
    whoever runs the bot, which no chat platform shows (see `operator_renderer`).
    """

    def __init__(self, platform: str, templates: Path = TEMPLATES,
                 languages: Languages = DEFAULT, *, operator: bool = False):
        self.platform = platform
        self.languages = languages
        escape = ESCAPERS[platform]

        def finalize(value: object) -> object:
            if value is None:
                return ""
            if isinstance(value, Safe):
                return value
            if isinstance(value, Person):
                return mention(platform, value)
            if isinstance(value, UnreadableEntry):
                return Safe(self.render("privacy/unreadable.j2", i18n.speaking().locality))
            return escape(str(value))

        loaders = [FileSystemLoader(templates / platform), FileSystemLoader(templates / "common")]
        if operator:
            loaders.insert(0, PrefixLoader({"operator": FileSystemLoader(templates / "operator")}))
        self._finalize = finalize
        self._templates: dict[str, object] = {}
        # Answers that say nothing personal, by template, locality and data (render_shared).
        self._shared: dict[tuple, str] = {}
        self.env = _Environment(
            loader=ChoiceLoader(loaders),
            finalize=finalize, undefined=StrictUndefined, trim_blocks=True,
            lstrip_blocks=True, autoescape=False, keep_trailing_newline=False,
            # Templates ship with the code: checking each file's time on every render cost
            # Slack's event loop three stat() calls per answer (bench/slack_http.py).
            auto_reload=False, extensions=["jinja2.ext.i18n"], bytecode_cache=_CHAT_CODE,
        )
        self.env.policies["ext.i18n.trimmed"] = True
        # Newstyle: `{% trans %}` calls gettext(msgid, **variables), which fills them in itself.
        self.env.newstyle_gettext = True  # type: ignore[attr-defined]
        self.env.globals.update(gettext=self._gettext, _=self._gettext, ngettext=self._ngettext)
        self.env.filters.update(FILTERS, safe_text=lambda v: Safe(v))
        # Inbox notices keep a person as identity text (they are sealed as JSON): mention it.
        self.env.filters["person"] = lambda identity: mention(platform, Person.from_identity(identity))
        self.env.globals.update(platform=platform, bold=self._bold, code=self._code,
                                flag=self._flag, option=self._option, arg=self._arg,
                                button=self._button,
                                shipped_languages=", ".join(languages.shipped))

    # A translated sentence is one output value: its words are the translator's, not a
    # person's, so it is not escaped as a whole. Each value filled into it is escaped for
    # the platform here instead (Safe ones, such as code() and bold(), stay as they are),
    # and numbers are written the locale's way.
    def _values(self, values: dict[str, object]) -> dict[str, object]:
        return {key: self._finalize(value) for key, value in i18n.localized(values).items()}

    def _gettext(self, msgid: str, /, **values: object) -> Safe:
        return Safe(i18n.fill(i18n.gettext(msgid), msgid, self._values(values)))

    def _ngettext(self, singular: str, plural: str, count: int, /, **values: object) -> Safe:
        values.setdefault("num", count)
        chosen = i18n.ngettext(singular, plural, int(count))
        return Safe(i18n.fill(chosen, singular if count == 1 else plural, self._values(values)))

    def _bold(self, text: object) -> Safe:
        inner = text if isinstance(text, Safe) else ESCAPERS[self.platform](str(text))
        if self.platform == "console":
            return Safe(inner)
        return Safe(f"*{inner}*" if self.platform == "slack" else f"**{inner}**")

    def _code(self, text: object) -> Safe:
        if self.platform == "console":
            return Safe(str(text))
        # Slack parses <!channel> and links even inside backticks, so user values are escaped here too.
        if self.platform == "slack" and not isinstance(text, Safe):
            text = _slack(str(text))
        return Safe(f"`{text}`")

    # A hint names a flag or an option as the person's platform shows it: typed on the console
    # and Slack (`--send-anyway`), as a filled-in option on Discord (`send_anyway: True`).
    def _flag(self, name: str) -> Safe:
        """`--name`, or on Discord the flag's option turned on: `name: True`."""
        if self.platform == "discord":
            return Safe(f"{_discord_word(name)}: True")
        return Safe(f"--{name}")

    def _option(self, name: str, value: object = None, n: int | None = None) -> Safe:
        """`--name VALUE`, or on Discord `name: VALUE` (`name_2:` for the second of a repeat)."""
        if self.platform != "discord":
            return Safe(f"--{name}" if value is None else f"--{name} {self._value(value)}")
        word = _discord_word(name) + (f"_{n}" if n else "")
        # Discord takes an option's value as it is: no quotes around it.
        return Safe(word if value is None else f"{word}: {self._value(value).strip(chr(34))}")

    def _arg(self, name: str, value: object) -> Safe:
        """A command's argument: the word typed after it, or on Discord its option `name: VALUE`."""
        if self.platform == "discord":
            return Safe(f"{_discord_word(name)}: {self._value(value)}")
        return Safe(self._value(value))

    def _button(self, key: str) -> Safe:
        # The label as the reader's buttons show it (buttons.json is in the catalogs).
        return Safe(i18n.gettext(button_labels()[key]))

    def _value(self, value: object) -> str:
        # Hints sit in code spans. Discord shows a code span as it is, backslashes included,
        # so its markdown escapes would show; a backtick is all that could break out of one.
        if isinstance(value, Safe):
            return value
        if self.platform == "discord":
            return _console(str(value)).replace("`", "\u02cb")
        return ESCAPERS[self.platform](str(value))

    def render(self, template: str, locality: Locality | None = None, /, **data: object) -> str:
        """The template in the reader's locality (resolved against the defaults), trimmed."""
        where = self.languages.resolve(locality)
        with speaking_in(self.languages, where):
            return self._template(template).render(**data).strip()

    def render_answer(self, template: str, locality: Locality | None, data: dict, *,
                      shared: bool = False) -> str:
        """A reply's text: remembered when it is the same for everyone given the same data
        (`Reply.shared`), else rendered now."""
        if shared:
            return self.render_shared(template, locality, data)
        return self.render(template, locality, **data)

    def render_shared(self, template: str, locality: Locality | None, data: dict) -> str:
        """`render`, remembered: for a reply that is the same for everyone given the same data
        (`Reply.shared`), as a burst of signers is told the same words. Data that cannot be a
        key (a list, a mutable object) is rendered each time."""
        try:
            key = (template, self.languages.resolve(locality), tuple(data.items()))
            found = self._shared.get(key)
        except TypeError:
            return self.render(template, locality, **data)
        if found is None:
            if len(self._shared) >= SHARED_LIMIT:
                self._shared.clear()
            found = self._shared[key] = self.render(template, locality, **data)
        return found

    def _template(self, name: str):
        # Jinja's own cache takes a lock and checks its LRU order on every lookup.
        found = self._templates.get(name)
        if found is None:
            found = self._templates[name] = self.env.get_template(name)
        return found


SHARED_LIMIT = 512


def operator_renderer(templates: Path = TEMPLATES,
                      languages: Languages = DEFAULT) -> Renderer:
    """For the terminal of whoever runs the bot: `operator/X` from `templates/operator/`, and the
    console's own and shared templates (the welcome, a key file problem), escaped as on the
    console. Nobody in chat reads these, so they are neither shared nor any platform's.
    `languages` carries the deployment's language and zone (CONCERTED_LOCALE, _TIMEZONE)."""
    return Renderer("console", templates, languages, operator=True)
