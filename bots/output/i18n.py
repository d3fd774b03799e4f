"""Languages: gettext catalogs read from `.po` files, and Babel's formats for the reader's locale.

A render happens in a `Locality` (a locale and a time zone). Catalogs are
compiled in memory from `templates/locale/<lang>/LC_MESSAGES/messages.po` the
first time a locale is used, so adding a language is adding one file. A msgid
a catalog lacks falls back to English and is logged by its msgid (source
text, never what a person typed); a person never sees a key.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cached_property, lru_cache
from gettext import NullTranslations
from pathlib import Path
from threading import Lock
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton, get_day_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

log = logging.getLogger("concerted.i18n")

LOCALE_DIR = Path(__file__).resolve().parents[2] / "templates" / "locale"
SOURCE = "en"  # the language the msgids are written in
DOMAIN = "messages"
RESOLVED_LIMIT = 4096  # distinct combinations of languages and zones remembered by `resolve`


@dataclass(frozen=True)
class Locality:
    """Whose words and whose clock: a locale (`es`, `pt_BR`) and an IANA zone, either unknown."""

    locale: str | None = None
    zone: str | None = None


def locale_tag(tag: str | None) -> str | None:
    """`pt-BR`, `pt_br` or `es-ES` in Babel's spelling (`pt_BR`, `es_ES`); None if not a locale."""
    text = (tag or "").strip().replace("-", "_")
    if not text:
        return None
    try:
        return str(Locale.parse(text))
    except (ValueError, UnknownLocaleError):
        return None


def known_zone(zone: str | None) -> str | None:
    """The IANA name if the zone exists (`Europe/Berlin`), else None."""
    name = (zone or "").strip()
    if not name or name.startswith(("/", ".")) or ".." in name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: a name no file system takes, as one too long for a file name.
        return None
    return name


class _Missing(NullTranslations):
    """The end of every catalog's fallback chain: English, and a log line naming the msgid."""

    def __init__(self, locale: str):
        super().__init__()
        self.locale = locale
        self._told: set[str] = set()
        self._lock = Lock()

    def _note(self, msgid: str) -> None:
        with self._lock:
            if msgid in self._told:
                return
            self._told.add(msgid)
        log.warning("i18n.missing locale=%s msgid=%r", self.locale, msgid[:120])

    def gettext(self, message: str) -> str:
        self._note(message)
        return message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        self._note(msgid1)
        return msgid1 if n == 1 else msgid2


@lru_cache(maxsize=64)
def _compiled(path: Path, locale: str, mtime_ns: int, size: int) -> bytes:
    """A catalog compiled to .mo bytes once a process, for as long as its file is unchanged
    (every `Languages` of the same folder shares it; the file's time and size are the key)."""
    with path.open("rb") as source:
        catalog = read_po(source, locale=locale)
    compiled = io.BytesIO()
    # Untranslated and fuzzy entries are left out, so they fall back (and are logged).
    write_mo(compiled, catalog)
    return compiled.getvalue()


class Languages:
    """The catalogs of one locale folder, and the locality used when nobody says otherwise."""

    def __init__(self, directory: Path = LOCALE_DIR, default: Locality = Locality(SOURCE, "UTC")):
        self.directory = Path(directory)
        self.default = Locality(self.choose(default.locale) or SOURCE,
                                known_zone(default.zone) or "UTC")
        self._catalogs: dict[str, NullTranslations] = {}
        self._lock = Lock()
        self._resolved: dict[tuple[Locality | None, ...], Locality] = {}

    @cached_property
    def shipped(self) -> tuple[str, ...]:
        """English and every locale with a catalog in the folder, in Babel's spelling."""
        found = {SOURCE}
        for po in self.directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po"):
            tag = locale_tag(po.parent.parent.name)
            if tag is not None and tag == po.parent.parent.name:
                found.add(tag)
        return tuple(sorted(found))

    def choose(self, tag: str | None) -> str | None:
        """The shipped locale for a platform's tag: `pt-BR` → `pt_BR`, `es-ES` → `es`, `en-US` → `en`."""
        wanted = locale_tag(tag)
        if wanted is None:
            return None
        if wanted in self.shipped:
            return wanted
        language = wanted.split("_")[0]
        if language in self.shipped:
            return language
        regional = sorted(shipped for shipped in self.shipped if shipped.split("_")[0] == language)
        return regional[0] if regional else None

    def resolve(self, *layers: Locality | None) -> Locality:
        """The first shipped locale and the first real zone the layers name, else the defaults."""
        # Remembered: every answer resolves a few of the same handful of layers, and Babel
        # parses a tag and zoneinfo checks a zone each time (bench/slack_wrk.py).
        found = self._resolved.get(layers)
        if found is None:
            locale = next((chosen for layer in layers if layer is not None
                           if (chosen := self.choose(layer.locale))), self.default.locale)
            zone = next((known for layer in layers if layer is not None
                         if (known := known_zone(layer.zone))), self.default.zone)
            found = Locality(locale, zone)
            if len(self._resolved) >= RESOLVED_LIMIT:
                self._resolved.clear()
            self._resolved[layers] = found
        return found

    def translations(self, locale: str) -> NullTranslations:
        """The compiled catalog of a shipped locale (English: the msgids themselves)."""
        with self._lock:
            found = self._catalogs.get(locale)
            if found is None:
                found = self._catalogs[locale] = self._compile(locale)
            return found

    def _compile(self, locale: str) -> NullTranslations:
        missing = _Missing(locale)
        path = self.directory / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        if locale == SOURCE or not path.is_file():
            return NullTranslations() if locale == SOURCE else missing
        seen = path.stat()
        compiled = io.BytesIO(_compiled(path, locale, seen.st_mtime_ns, seen.st_size))
        translations = Translations(compiled, domain=DOMAIN)
        translations.add_fallback(missing)
        return translations

    def gettext(self, locale: str, msgid: str) -> str:
        """One msgid in a locale, without placeholders (labels, descriptions)."""
        return self.translations(self.choose(locale) or self.default.locale).gettext(msgid)


DEFAULT = Languages()


@dataclass(frozen=True)
class Speaking:
    """The language and clock of the render under way."""

    locality: Locality
    translations: NullTranslations


_SPEAKING: ContextVar[Speaking | None] = ContextVar("concerted_speaking", default=None)


def speaking() -> Speaking:
    """The render under way's locality, or English in UTC outside a render."""
    found = _SPEAKING.get()
    return found if found is not None else Speaking(Locality(SOURCE, "UTC"), NullTranslations())


@contextmanager
def speaking_in(languages: Languages, locality: Locality) -> Iterator[Speaking]:
    """Render in `locality` until the block ends (filters and gettext read it)."""
    now = Speaking(locality, languages.translations(locality.locale or SOURCE))
    token = _SPEAKING.set(now)
    try:
        yield now
    finally:
        _SPEAKING.reset(token)


def gettext(msgid: str) -> str:
    return speaking().translations.gettext(msgid)


def ngettext(singular: str, plural: str, count: int) -> str:
    return speaking().translations.ngettext(singular, plural, count)


def fill(translated: str, msgid: str, values: dict[str, object]) -> str:
    """`translated % values`; a catalog entry with broken placeholders falls back to the msgid."""
    try:
        return translated % values
    except (KeyError, ValueError, TypeError):
        log.warning("i18n.bad_placeholder locale=%s msgid=%r", speaking().locality.locale,
                    msgid[:120])
        return msgid % values


# Formats, for the locale and zone of the render under way.

def _locale() -> str:
    return speaking().locality.locale or SOURCE


def _numeric(value: object) -> int | float | Decimal:
    return value if isinstance(value, int | float | Decimal) else float(value)


def number(value: object) -> str:
    """`1,234` in English, `1.234` in German."""
    return format_decimal(_numeric(value), locale=_locale())


def percent(value: object) -> str:
    """`12.5%`, `5 %` in German: one decimal at most, none when it is whole."""
    locale = Locale.parse(_locale())
    pattern = locale.percent_formats[None].pattern
    # One optional decimal after the last integer digit of the locale's own pattern.
    last = pattern.rfind("0")
    pattern = pattern[:last + 1] + ".#" + pattern[last + 1:]
    share = round(Decimal(str(float(_numeric(value)))), 1) / 100
    return format_percent(share, format=pattern, locale=locale)


def _moment(value: datetime | str | None) -> datetime | None:
    # Inbox notices keep their times as ISO text (they are sealed as JSON).
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if value else None
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _date(moment: date, locale: str) -> str:
    # English keeps ISO dates: its readers mix American and British day orders.
    if locale.split("_")[0] == SOURCE:
        return moment.strftime("%Y-%m-%d")
    return format_skeleton("yMMdd", moment, locale=locale, fuzzy=True)


def when(value: datetime | str | None) -> str:
    """A moment in the reader's zone, naming the zone: `2026-11-02 10:00 Europe/Berlin`."""
    moment = _moment(value)
    if moment is None:
        return "—"
    zone = speaking().locality.zone or "UTC"
    locale = _locale()
    # Remembered: a burst of signers is told the same next count, in a few zones and locales.
    key = (moment, zone, locale)
    shown = _WHEN.get(key)
    if shown is None:
        if len(_WHEN) >= WHEN_LIMIT:
            _WHEN.clear()
        shown = _WHEN[key] = _when(moment, zone, locale)
    return shown


WHEN_LIMIT = 1024
_WHEN: dict[tuple[datetime, str, str], str] = {}


def _when(moment: datetime, zone: str, locale: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    on, at = _date(local, locale), local.strftime("%H:%M")
    if locale.split("_")[0] != SOURCE:
        # The locale's own joint: `02.11.2026, 10:00` in German, `02/11/2026 10:00` in Portuguese.
        return Locale.parse(locale).datetime_formats["short"].format(at, on) + f" {zone}"
    return f"{on} {at} {zone}"


def day(value: date | str | None) -> str:
    """The date only: times next to people are kept to the day, so no zone can move it."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return _date(value, _locale())
    moment = _moment(value)
    return _date(moment.astimezone(UTC), _locale()) if moment is not None else "—"


_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def weekday(day: int | str) -> str:
    """A day of the week (0 or `monday` is Monday) in the locale: `Monday`, `Montag`, `lunes`."""
    index = _DAYS.index(day.lower()) if isinstance(day, str) else int(day) % 7
    return get_day_names("wide", locale=_locale())[index]


def zone_name() -> str:
    """The zone of the render under way, as its IANA name."""
    return speaking().locality.zone or "UTC"


def signed(value: object) -> str:
    """A change with its sign: `+1,234`, `-3`, `+0`."""
    amount = _numeric(value)
    return ("+" if amount >= 0 else "-") + number(abs(amount))


def shown(count: object) -> str:
    """A published count: its number, or `fewer than 5` when it is suppressed.

    Counts arrive as `Shown` objects or, from a sealed inbox notice, as {"value": …, "k": …}.
    """
    value = count.get("value") if isinstance(count, dict) else count.value
    k = count.get("k") if isinstance(count, dict) else count.k
    if value is None:
        msgid = "fewer than %(k)s"
        return fill(gettext("fewer than %(k)s"), msgid, {"k": number(k)})
    return number(value)


def localized(values: dict[str, object]) -> dict[str, object]:
    """Values for a translated sentence, with numbers written the locale's way."""
    return {key: number(value) if isinstance(value, int | float | Decimal)
            and not isinstance(value, bool) else value for key, value in values.items()}


def language(tag: str) -> str:
    """A language's name in the reader's language: `de` is `German`, and `Deutsch` in German."""
    try:
        return Locale.parse(str(tag)).get_display_name(_locale()) or str(tag)
    except (ValueError, UnknownLocaleError):
        return str(tag)
