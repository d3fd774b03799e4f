"""The console workspace: every flow, typed or piped, with no chat service.

    alice: /campaign create ethics --headcount 40   runs a command as alice
    :advance 2h                                      moves the clock, runs due jobs
    :locale ana de                                   ana reads German from now on
    bob: /pledge sign ethics                         people exist on first mention

Each reply is printed under a header saying who sees it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from datetime import timedelta
from typing import TextIO

from bots.commands.conversions import duration
from bots.commands.replies import CHANNEL, FormRequest, Reply
from bots.output.i18n import Locality
from bots.output.rendering import Renderer
from bots.runtime.bootstrap import App
from campaigns.core.clock import ManualClock
from campaigns.core.errors import ConcertedError
from campaigns.core.privacy import Person

PLATFORM = WORKSPACE = "console"
# Far enough for any campaign's life; beyond it dates overflow and years of jobs would replay.
ADVANCE_LIMIT = timedelta(days=3653)
DIGEST = "notices/digest.j2"
_LINE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]{0,39})\s*:\s*(/.*)$")


class ConsoleNotifier:
    """Collects content-free pings; the console prints them after the replies they follow.

    `pending` holds the immediate pings (role work only), `digests` the daily digest pings.
    """

    def __init__(self) -> None:
        self.pending: list[Person] = []
        self.digests: list[Person] = []

    def ping(self, person: Person) -> None:
        self.pending.append(person)

    def digest(self, people: list[Person], spacing: float) -> None:
        """Digest pings, in the order given; the console has no rate to respect."""
        self.digests.extend(people)


class Console:
    def __init__(self, app: App, clock: ManualClock, notifier: ConsoleNotifier,
                 out: TextIO | None = None, locale: str | None = None):
        # Standard output as it is when the console opens, not when this module was imported.
        self.app, self.clock, self.notifier = app, clock, notifier
        self.out = out if out is not None else sys.stdout
        self.renderer = Renderer(PLATFORM, languages=app.languages)
        self.dispatcher = app.dispatcher(PLATFORM)
        self.speaker = "you"
        # The console's stand-in for a platform's per-person language: `--locale` sets
        # everyone's, `:locale ana de` one person's. Nobody's is stored.
        self.locale = locale
        self.locales: dict[str, str] = {}

    def locality(self, name: str) -> Locality:
        """The language a console person reads, as a platform would report it."""
        return Locality(self.locales.get(name, self.locale))

    def person(self, name: str) -> Person:
        return Person(PLATFORM, WORKSPACE, name)

    def feed(self, line: str) -> bool:
        """Handle one line; returns False when the session should end."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        if line.startswith(":"):
            return self._meta(line[1:].split())
        match = _LINE.match(line)
        if match:
            self.speaker, text = match.group(1), match.group(2)
        elif line.startswith("/"):
            text = line
        else:
            self._say("[console]", "adapter/bad_line.j2", {"line": line})
            return True
        self.app.jobs.run_due(self.clock.now())
        asker = self.locality(self.speaker)
        outcome = self.dispatcher.run(self.person(self.speaker), text, asker=asker)
        if isinstance(outcome, FormRequest):
            outcome = [Reply("adapter/form_needs_options.j2", {"form": outcome.form},
                             locality=asker)]
        for reply in outcome:
            self._print_reply(reply)
        self._flush_pings()
        return True

    def run(self, lines: Iterable[str]) -> None:
        for line in lines:
            if not self.feed(line):
                break

    def _meta(self, words: list[str]) -> bool:
        verb = words[0].lower() if words else ""
        if verb in ("quit", "exit", "q"):
            return False
        if verb == "advance" and len(words) == 2:
            try:
                span = duration(words[1], "advance")
            except ConcertedError as exc:
                self._say("[console]", exc.template, exc.params)
                return True
            if span > ADVANCE_LIMIT:
                self._say("[console]", "adapter/advance_too_far.j2", {"asked": words[1]})
                return True
            self.clock.advance(span)
            runs = self.app.jobs.run_due(self.clock.now())
            self._say("[clock]", "adapter/advanced.j2", {"now": self.clock.now(), "runs": runs})
            self._flush_pings()
            return True
        if verb == "locale" and len(words) == 3:
            self._set_locale(words[1], words[2])
            return True
        if verb == "now":
            self._say("[clock]", "adapter/advanced.j2", {"now": self.clock.now(), "runs": None})
            return True
        self._say("[console]", "adapter/meta_help.j2", {})
        return True

    def _set_locale(self, name: str, tag: str) -> None:
        chosen = self.app.languages.choose(tag)
        if chosen is None or not _LINE.match(f"{name}: /"):
            self._say("[console]", "adapter/locale_unknown.j2",
                      {"asked": tag, "shipped": self.app.languages.shipped})
            return
        self.locales[name] = chosen
        self._say("[console]", "adapter/locale_set.j2", {"name": name, "locale": chosen},
                  Locality(chosen))

    def _print_reply(self, reply: Reply) -> None:
        if reply.visibility == CHANNEL:
            header = "[#channel]"
        else:
            header = self.renderer.render("adapter/private_header.j2", reply.locality,
                                          name=self.speaker)
        self._say(header, reply.template, reply.data, reply.locality)
        for path in reply.files:
            print(f"  file: {path}", file=self.out)

    def _flush_pings(self) -> None:
        pings, self.notifier.pending = self.notifier.pending, []
        for person in pings:
            self._say(f"[dm {person.user}]", "notices/ping.j2", {}, self.locality(person.user))
        digests, self.notifier.digests = self.notifier.digests, []
        for person in digests:
            self._say(f"[dm {person.user}]", DIGEST, {}, self.locality(person.user))

    def _say(self, header: str, template: str, data: dict,
             locality: Locality | None = None) -> None:
        print(header, file=self.out)
        text = self.renderer.render(template, locality or Locality(self.locale), **data)
        print("\n".join("  " + row if row else "" for row in text.splitlines()), file=self.out)
        self.out.flush()
