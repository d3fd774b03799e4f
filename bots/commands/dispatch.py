"""One path for every adapter: read the command once, build its typed command, run the use
case, plain replies out, then the one after-command hook for any follow-up.

A failure never reaches a person as a traceback: domain errors and parse
errors are rendered from their templates, anything else becomes a short
"nothing was changed" answer with an incident number that the logs share.
"""

from __future__ import annotations

import logging
import secrets
import traceback
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from bots.commands.binding import to_command
from bots.commands.memo import Memo
from bots.commands.parser import HelpRequest, Invocation, ParseError, Registry, require_arguments
from bots.commands.replies import CHANNEL, FollowUp, FormRequest, Kind, Reply, refusal
from bots.output.i18n import DEFAULT, Languages, Locality
from campaigns.core.errors import BadName, ConcertedError
from campaigns.core.privacy import Person
from campaigns.core.replays import record_new, unrecord
from campaigns.core.unit_of_work import UnitOfWork

log = logging.getLogger("concerted.dispatch")

# Refusals whose parameters do not name the field they are about.
_ABOUT = {BadName: "name"}


@dataclass
class Call:
    """What a handler may use besides its typed command: who asks, a unit of work, and where
    output goes (the folder for files, the channel the command came from)."""

    person: Person
    uow: UnitOfWork
    platform: str
    output_dir: Path
    channel: str | None = None
    web_url: str = ""  # the base of dashboard links (bots/web/server.py)
    # The asker's language and zone as the platform gave them (either may be None), and the
    # catalogs they are chosen from.
    asker: Locality = field(default_factory=Locality)
    languages: Languages = DEFAULT
    # Kept between requests: what is made once per snapshot (bots/commands/memo.py).
    memo: Memo = field(default_factory=Memo)

    @property
    def locality(self) -> Locality:
        """The asker's language and zone, else the campaign's this work is about, else the
        deployment's."""
        return self.languages.resolve(self.asker, _campaign_layer(self.uow))

    def locality_with(self, campaign: tuple[str | None, str | None]) -> Locality:
        """The asker's language and zone, else the given campaign's, else the deployment's."""
        return self.languages.resolve(self.asker, Locality(*campaign))


Outcome = list[Reply] | FormRequest
AfterCommand = Callable[[Person, FollowUp], None]
# Runs a unit of work's body in a transaction shared with others (GroupCommit.run).
Grouped = Callable[[Callable[[UnitOfWork], Any]], Any]


class Delivery(Protocol):
    """A request that must run once (a signed Slack request): recorded in the command's own
    transaction when it has one, else alone; False from either means it ran already. Run
    with others (`invoke_many`), it is recorded by its digest, with theirs."""

    digest: str
    expires_at: int

    def within(self, uow: UnitOfWork) -> bool: ...

    def alone(self) -> bool: ...


@dataclass(frozen=True)
class Request:
    """A command read once and who asks it: `Dispatcher.invoke`'s arguments, for
    `invoke_many`."""

    person: Person
    inv: Invocation
    channel: str | None = None
    asker: Locality | None = None
    once: Delivery | None = None
    forms: bool = False


class _Later:
    """Not run together: `invoke` runs it on its own."""


_LATER = _Later()


class _Replay(Exception):
    """The request was run before: nothing more happens, and nobody is answered."""


def _campaign_layer(uow: UnitOfWork) -> Locality | None:
    # One campaign's language and zone; none when the work was about several (a listing).
    seen = set(uow.campaign_languages.values())
    return Locality(*seen.pop()) if len(seen) == 1 else None


def _recorded_with(once: Delivery, uow: UnitOfWork, handle: Callable[[], Any], *,
                   serial: bool) -> Any:
    # The request's record is written first in the command's own transaction, and committed
    # with it. A command that commits nothing, or fails, is undone and the record committed
    # alone before anyone is answered. `serial`: no other command of this process can run
    # in between (a group commit's turn, on SQLite's one writer), so the record is simply
    # written again after the undo; otherwise the command runs in a savepoint, so that the
    # record is never let go while a copy could take its place.
    if not once.within(uow):
        raise _Replay()
    command = None if serial else uow.session.begin_nested()
    try:
        outcome = handle()
    except BaseException:
        _keep_record(once, uow, command)
        raise
    _keep_record(once, uow, command)
    return outcome


def _keep_record(once: Delivery, uow: UnitOfWork, command) -> None:
    if uow.commits:
        return  # committed with the command
    if command is not None and command.is_active:
        uow.discard()  # pings and jobs of what is undone never happen
        command.rollback()
    else:
        uow.rollback()
        if not once.within(uow):
            raise _Replay()
    uow.commit()


def _alone(once: Delivery | None) -> bool:
    return once is None or once.alone()


def _may_run_together(request: Request) -> bool:
    # Its spec has a handler for several at once, and `invoke` would run it: every required
    # argument given, no form to open instead.
    spec = request.inv.spec
    if spec.together is None or (request.forms and spec.form and not request.inv.options):
        return False
    try:
        require_arguments(request.inv)
    except ParseError:
        return False
    return True


def _recorded(once: Delivery | None, unit: UnitOfWork | None) -> bool:
    # After a failure: whether this request is recorded as run (by a commit of its unit, or
    # now, alone), so that its answer may be given; False for a copy that lost the race.
    return once is None or (unit is not None and unit.commits > 0) or once.alone()


class Dispatcher:
    def __init__(self, registry: Registry, units: Callable[[], AbstractContextManager[UnitOfWork]],
                 *, platform: str, output_dir: Path, web_url: Callable[[], str] = lambda: "",
                 languages: Languages = DEFAULT, grouped: Grouped | None = None):
        self.registry = registry
        self.languages = languages
        self.units = units
        # Commands whose spec says `grouped` run through it; the others in a unit of their own.
        self.grouped = grouped
        self.memo = Memo()
        self.platform = platform
        self.output_dir = output_dir
        self.after: AfterCommand | None = None
        # Asked at each command: the web server may learn its port after the dispatcher exists.
        self.web_url = web_url

    def after_command(self, hook: AfterCommand | None) -> None:
        """Register the adapter's one hook for follow-ups (or None to remove it).

        It is called in the thread that ran the command, after the command
        committed, once per follow-up its replies ask for; it should hand the
        work to the adapter's event loop rather than do it there.
        """
        self.after = hook

    def read(self, text: str) -> Invocation | Reply:
        """Command text, parsed once: its Invocation, or the reply that answers it (help, or
        a refusal saying what is wrong with it). A required argument may still be missing."""
        try:
            parsed = self.registry.read(text)
        except ParseError as exc:
            return refusal(exc.template, exc.params)
        if isinstance(parsed, HelpRequest):
            return self.help(parsed.path)
        return parsed

    def run(self, person: Person, text: str, *, forms: bool = False,
            channel: str | None = None, asker: Locality | None = None) -> Outcome:
        """Read and run one command's text for `person`; always returns something to show them.

        `asker` is the person's language and time zone as the platform says them, if it does.
        """
        parsed = self.read(text)
        if isinstance(parsed, Reply):
            return self.localize([parsed], asker)
        return self.invoke(person, parsed, forms=forms, channel=channel, asker=asker)

    def invoke(self, person: Person, inv: Invocation, *, forms: bool = False,
               channel: str | None = None, asker: Locality | None = None,
               once: Delivery | None = None) -> Outcome | None:
        """Run a command read once (from text, Discord options or a submitted form).

        With `forms`, a command that has a form and came without any option
        asks for that form instead of running. Every reply comes back with its
        locality: the asker's language and zone, else the campaign's, else the
        deployment's; a channel post reads in the campaign's. With `once`, a
        request run before returns None, having done nothing.
        """
        name = ".".join(inv.spec.path)
        try:
            require_arguments(inv)
        except ParseError as exc:
            return self.localize([refusal(exc.template, exc.params)], asker) if _alone(once) \
                else None
        if forms and inv.spec.form and not inv.options:
            return FormRequest(inv.spec.form, campaign=inv.args.get("name")) if _alone(once) \
                else None
        campaign: Locality | None = None
        seen: UnitOfWork | None = None
        serial = inv.spec.grouped and self.grouped is not None

        def body(uow: UnitOfWork):
            nonlocal campaign, seen
            seen = uow
            command = to_command(inv, asker=person, now=uow.clock.now())
            call = Call(person, uow, self.platform, self.output_dir, channel, self.web_url(),
                        asker or Locality(), self.languages, self.memo)
            outcome = inv.spec.handler(command, call) if once is None else _recorded_with(
                once, uow, lambda: inv.spec.handler(command, call), serial=serial)
            campaign = _campaign_layer(uow)
            return outcome

        try:
            outcome = self._run(inv.spec.grouped, body)
        except _Replay:
            return None
        except ConcertedError as exc:
            if not _recorded(once, seen):
                return None
            log.info("command.refused command=%s reason=%s", name, type(exc).__name__)
            # A campaign is noted only once the asker may know of it: its language says nothing
            # about one they may not see.
            return self.localize([refusal(exc.template, exc.params, _ABOUT.get(type(exc)))],
                                 asker, _campaign_layer(seen) if seen is not None else None)
        except (OperationalError, InterfaceError):
            # The database is away or busy for a moment; anything else is a bug, not a retry.
            log.warning("command.database_unavailable command=%s", name)
            return self.localize([refusal("errors/try_again.j2", {})], asker)
        except Exception as exc:  # noqa: BLE001 - the last line of defence for the person asking
            if not _recorded(once, seen):
                return None
            incident = secrets.token_hex(3)
            # Frames only: an exception's message may quote user text or SQL parameters.
            frames = "".join(traceback.format_tb(exc.__traceback__))
            log.error("command.failed command=%s incident=%s error=%s\n%s", name, incident,
                      type(exc).__name__, frames)
            return self.localize([refusal("errors/unexpected.j2", {"incident": incident})], asker)
        replies = [outcome] if isinstance(outcome, Reply) else list(outcome)
        self._follow_up(person, replies, name)
        return self.localize(replies, asker, campaign)

    def invoke_many(self, requests: Sequence[Request]) -> list[Outcome | None]:
        """Run commands that arrived at once; each outcome just as `invoke` gives it.

        Those whose spec has a `together` handler run in one transaction with one commit,
        each request recorded in it. What that handler leaves, and all of them should the
        whole fail, run one by one through `invoke` after. A copy of a request already run
        gets None, as there.
        """
        outcomes: list[Outcome | None | _Later] = [_LATER] * len(requests)
        groups: dict[Callable, list[int]] = {}
        digests: set[str] = set()
        for position, request in enumerate(requests):
            if not _may_run_together(request) or (
                    request.once is not None and request.once.digest in digests):
                continue  # a copy in the same batch: `invoke` finds it recorded
            if request.once is not None:
                digests.add(request.once.digest)
            groups.setdefault(request.inv.spec.together, []).append(position)
        for together, positions in groups.items():
            done = self._together(together, [requests[p] for p in positions])
            for position, outcome in zip(positions, done, strict=True):
                outcomes[position] = outcome
        return [self.invoke(r.person, r.inv, forms=r.forms, channel=r.channel, asker=r.asker,
                            once=r.once) if isinstance(outcome, _Later) else outcome
                for r, outcome in zip(requests, outcomes, strict=True)]

    def _together(self, together: Callable,
                  requests: list[Request]) -> list[Outcome | None | _Later]:
        name = ".".join(requests[0].inv.spec.path)

        def body(uow: UnitOfWork) -> list[list[Reply] | None | _Later]:
            # Every request recorded at once: one already recorded is a copy, not run again.
            fresh = record_new(uow.session, [(r.once.digest, r.once.expires_at)
                                             for r in requests if r.once is not None])
            results: list[list[Reply] | None | _Later] = [
                None if r.once is not None and r.once.digest not in fresh else _LATER
                for r in requests]
            batch, positions = [], []
            for position, request in enumerate(requests):
                if results[position] is None:
                    continue
                try:
                    command = to_command(request.inv, asker=request.person, now=uow.clock.now())
                except Exception:  # noqa: BLE001 - `invoke` explains it to the person
                    continue
                batch.append((command, Call(request.person, uow, self.platform,
                                            self.output_dir, request.channel, self.web_url(),
                                            request.asker or Locality(), self.languages,
                                            self.memo)))
                positions.append(position)

            def before_commit(signed: list[int]) -> None:
                # What runs on its own after all is recorded there, not here.
                done = {positions[k] for k in signed}
                unrecord(uow.session, [r.once.digest for position, r in enumerate(requests)
                                       if r.once is not None and results[position] is not None
                                       and position not in done])

            for position, reply in zip(positions, together(batch, uow, before_commit),
                                       strict=True):
                if reply is not None:
                    results[position] = [reply]
            return results

        try:
            results = self._run(True, body)
        except IntegrityError:
            # Another batch or process signed up one of these people at the same moment: each
            # runs again alone, where the use case tells that person how things stand.
            log.info("command.together_conflict command=%s count=%d", name, len(requests))
            return [_LATER] * len(requests)
        except Exception as exc:  # noqa: BLE001 - each runs again alone, and is answered there
            log.warning("command.together_failed command=%s count=%d error=%s", name,
                        len(requests), type(exc).__name__)
            return [_LATER] * len(requests)
        outcomes: list[Outcome | None | _Later] = []
        for request, result in zip(requests, results, strict=True):
            if isinstance(result, list):
                self._follow_up(request.person, result, name)
                result = self.localize(result, request.asker)
            outcomes.append(result)
        return outcomes

    def localize(self, replies: list[Reply], asker: Locality | None,
                 campaign: Locality | None = None) -> list[Reply]:
        """Each reply with the locality it is read in, unless its handler chose one."""
        return [reply if reply.locality is not None else replace(
                    reply, locality=self.languages.resolve(campaign) if reply.visibility == CHANNEL
                    else self.languages.resolve(asker, campaign))
                for reply in replies]

    def _run(self, grouped: bool, body: Callable[[UnitOfWork], Any]) -> Any:
        if grouped and self.grouped is not None:
            return self.grouped(body)
        with self.units() as uow:
            return body(uow)

    def _follow_up(self, person: Person, replies: list[Reply], name: str) -> None:
        wanted = dict.fromkeys(reply.follow_up for reply in replies if reply.follow_up)
        for follow_up in wanted:
            if self.after is None:
                continue
            try:
                self.after(person, follow_up)
            except Exception as exc:  # noqa: BLE001 - the command itself succeeded
                log.warning("command.follow_up_failed command=%s follow_up=%s error=%s", name,
                            follow_up.value, type(exc).__name__)

    def help(self, path: tuple[str, ...]) -> Reply:
        """Usage and description of `path` and what lies under it, or the list of commands."""
        spec = self.registry.specs.get(path)
        children = self.registry.children(path)
        if spec is None and not children:
            return Reply("help/index.j2", {"commands": self.registry.commands}, kind=Kind.HELP)
        return Reply("help/topic.j2", {
            "path": " ".join(path),
            "spec": spec,
            "about": spec.help_template if spec else f"help/{'.'.join(path)}.j2",
            "children": children,
            # A command's own help also points to the others, so no one is left to guess them.
            "others": [c for c in self.registry.commands if c != path[0]] if len(path) == 1 else [],
        }, kind=Kind.HELP)
