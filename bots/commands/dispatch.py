"""One path for every adapter: text in, parse, run the use case, plain replies out.

A failure never reaches a person as a traceback: domain errors and parse
errors are rendered from their templates, anything else becomes a short
"nothing was changed" answer with an incident number that the logs share.
"""

from __future__ import annotations

import logging
import secrets
import traceback
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import InterfaceError, OperationalError

from bots.commands.parser import HelpRequest, Invocation, ParseError, Registry, require_arguments
from bots.commands.replies import FormRequest, Reply
from campaigns.core.errors import ConcertedError
from campaigns.core.privacy import Person
from campaigns.core.unit_of_work import UnitOfWork

log = logging.getLogger("concerted.dispatch")


@dataclass
class Call:
    """Everything a handler may use: who asks, the parsed command, a unit of work."""

    person: Person
    inv: Invocation
    uow: UnitOfWork
    platform: str
    output_dir: Path
    forms: bool = False
    extras: dict = field(default_factory=dict)
    web_url: str = ""

    def arg(self, name: str, default: str | None = None) -> str | None:
        return self.inv.args.get(name, default)

    def opt(self, name: str, default=None):
        return self.inv.options.get(name, default)

    def other(self, user: str) -> Person:
        """Someone the command names (`@user`), in the asker's workspace."""
        return Person(self.person.platform, self.person.workspace, user)


Outcome = list[Reply] | FormRequest


class Dispatcher:
    def __init__(self, registry: Registry, units: Callable[[], AbstractContextManager[UnitOfWork]],
                 *, platform: str, output_dir: Path, web_url: Callable[[], str] = lambda: ""):
        self.registry = registry
        self.units = units
        self.platform = platform
        self.output_dir = output_dir
        # Asked at each command: the web server may learn its port after the dispatcher exists.
        self.web_url = web_url

    def run(self, person: Person, text: str, *, forms: bool = False, **extras) -> Outcome:
        """Run one command's text for `person`; always returns something to show them."""
        try:
            parsed = self.registry.parse(text)
        except ParseError as exc:
            return [Reply(exc.template, exc.params)]
        if isinstance(parsed, HelpRequest):
            return [self.help(parsed.path)]
        return self.invoke(person, parsed, forms=forms, **extras)

    def invoke(self, person: Person, inv: Invocation, *, forms: bool = False, **extras) -> Outcome:
        """Run an already parsed command (Discord options, modal submissions)."""
        name = ".".join(inv.spec.path)
        try:
            require_arguments(inv)
        except ParseError as exc:
            return [Reply(exc.template, exc.params)]
        try:
            with self.units() as uow:
                call = Call(person, inv, uow, self.platform, self.output_dir, forms, extras,
                            self.web_url())
                outcome = inv.spec.handler(call)
        except ConcertedError as exc:
            log.info("command.refused command=%s reason=%s", name, type(exc).__name__)
            return [Reply(exc.template, exc.params)]
        except (OperationalError, InterfaceError):
            # The database is away or busy for a moment; anything else is a bug, not a retry.
            log.warning("command.database_unavailable command=%s", name)
            return [Reply("errors/try_again.j2", {})]
        except Exception as exc:  # noqa: BLE001 - the last line of defence for the person asking
            incident = secrets.token_hex(3)
            # Frames only: an exception's message may quote user text or SQL parameters.
            frames = "".join(traceback.format_tb(exc.__traceback__))
            log.error("command.failed command=%s incident=%s error=%s\n%s", name, incident,
                      type(exc).__name__, frames)
            return [Reply("errors/unexpected.j2", {"incident": incident})]
        if isinstance(outcome, FormRequest):
            return outcome
        return [outcome] if isinstance(outcome, Reply) else list(outcome)

    def help(self, path: tuple[str, ...]) -> Reply:
        spec = self.registry.specs.get(path)
        children = self.registry.children(path)
        if spec is None and not children:
            return Reply("help/index.j2", {"commands": self.registry.commands})
        return Reply("help/topic.j2", {
            "path": " ".join(path),
            "spec": spec,
            "about": spec.help_template if spec else f"help/{'.'.join(path)}.j2",
            "children": children,
        })
