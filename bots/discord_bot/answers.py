"""What the bot does with each interaction: run the command, answer privately.

A listener reads: translate (or open a form), run the shared dispatcher in a
worker thread, render, reply. An answer ready within ANSWER_WITHIN seconds is
the interaction's response itself; a slower one is deferred (Discord allows
three seconds) and sent as a follow-up. Past the backlog's limit a command is
answered at once that the bot is busy, and not run. Every answer is ephemeral
and carries `allowed_mentions` with nothing to parse, so no text can ping
anyone. Each interaction ends with the custom event `concerted_answered`,
after its last message, whatever happened.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import replace
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import discord

from bots.commands.dispatch import Request
from bots.commands.forms import Form, form_invocation, forms, translated
from bots.commands.parser import Invocation, Spec
from bots.commands.replies import CHANNEL, FollowUp, FormRequest, Reply
from bots.discord_bot import frontpage, stale, translate, tree
from bots.discord_bot.modals import FormModal
from bots.discord_bot.translate import NO_MENTIONS, PLATFORM, attachments, chunks
from bots.output.i18n import Locality
from bots.output.rendering import Renderer, Safe
from bots.runtime.backlog import Backlog
from bots.runtime.lane import Lane
from bots.runtime.threads import database_pool, lane_threads
from campaigns.core.privacy import Person
from campaigns.core.write_turns import write_turns

if TYPE_CHECKING:
    from bots.runtime.bootstrap import App

log = logging.getLogger("concerted.discord")
ANSWERED = "concerted_answered"
# How long a command may take to be the interaction's response itself; Discord waits three
# seconds for a response, and a slower answer is deferred and follows.
ANSWER_WITHIN = 2.0
BUSY = "errors/busy.j2"


class Answers:
    """The bot's side of every interaction, for one app and one client."""

    def __init__(self, app: App, client: discord.Client):
        self.app = app
        self.client = client
        self.dispatcher = app.dispatcher(PLATFORM)
        self.registry = self.dispatcher.registry
        self.renderer = Renderer(PLATFORM, languages=app.languages)
        self.open_forms: dict[str, FormModal] = {}
        # What each follow-up does on Discord, given the person whose command asked for it.
        self.follow_ups: dict[FollowUp, Callable[[Person], Awaitable[None]]] = {}
        self._following: set[asyncio.Task] = set()
        self.dispatcher.after_command(self.after_command)
        self.answer_within = ANSWER_WITHIN
        self.backlog = Backlog(app.settings.backlog, PLATFORM)
        self.workers = database_pool(app.settings.database_url, "concerted-discord")
        # Commands that run well together (a burst of signatures) queue here for their batch.
        self.lane = Lane(self.dispatcher, threads=lane_threads(app.settings.database_url),
                         name="concerted-discord-lane", turns=write_turns(app.engine))

    def close(self) -> None:
        """Stop the worker threads once what they run is done."""
        self.lane.close()
        self.workers.shutdown(wait=True)

    def after_command(self, person: Person, follow_up: FollowUp) -> None:
        """The dispatcher's hook, called in a worker thread: start the follow-up on the loop."""
        work = self.follow_ups.get(follow_up)
        if work is not None:
            # Scheduled before the command's answer returns, so _run() can wait for it.
            self.client.loop.call_soon_threadsafe(self._follow, work, person)

    def _follow(self, work: Callable[[Person], Awaitable[None]], person: Person) -> None:
        task = asyncio.ensure_future(work(person))
        self._following.add(task)
        task.add_done_callback(self._following.discard)

    @contextlib.asynccontextmanager
    async def _answering(self, interaction: discord.Interaction, event: str):
        # Whatever happens, the person gets an answer and the interaction is marked done.
        try:
            yield
        except Exception as error:  # noqa: BLE001 - the person still gets an answer
            await self.failed(interaction, error, event)
        finally:
            self.client.dispatch(ANSWERED, interaction)

    async def command(self, interaction: discord.Interaction, spec: Spec,
                      values: dict[str, Any]) -> None:
        """An application command: a form if its fields are missing, else run it."""
        name = ".".join(spec.path)
        async with self._answering(interaction, f"command:{name}"):
            if interaction.guild_id is None:
                await self.say(interaction, Reply("adapter/guild_only.j2"))
                return
            extra = stale.unknown_options(spec, vars(interaction.namespace))
            if extra:
                # An old command list in the client: its options no longer mean what they did.
                await self.stale(interaction)
                return
            inv = translate.to_invocation(spec, values)
            form = forms().get(spec.form) if spec.form else None
            if form is not None and not translate.form_fields_given(form, inv):
                await self._open_form(interaction, form, inv)
                log.info("discord.form_opened command=%s", name)
                return
            await self._run(interaction, inv)

    async def submitted(self, interaction: discord.Interaction, modal: FormModal,
                        values: dict[str, str]) -> None:
        """A form came back: its fields and the command's own options make one command."""
        try:
            async with self._answering(interaction, f"form:{modal.form.name}"):
                inv = form_invocation(self.registry, modal.form, values, modal.base.args)
                await self._run(interaction, translate.merged(modal.base, inv))
        finally:
            self.open_forms.pop(modal.custom_id, None)

    async def help(self, interaction: discord.Interaction, path: tuple[str, ...],
                   topic: str | None) -> None:
        """`/campaign help [command]`: answered at once, with Discord's own usage lines."""
        async with self._answering(interaction, "help"):
            words = tuple(word.lower() for word in (topic or "").split())
            reply = self.dispatcher.help((*path, *words))
            await self.say(interaction, replace(reply, data=self._discord_help(reply.data, path)))

    async def stale(self, interaction: discord.Interaction) -> None:
        """A command the tree does not have in that shape: the usage of the closest one."""
        words = stale.command_words(interaction.data or {})
        path = stale.closest_path(self.registry, words)
        log.info("discord.stale_command command=%s", ".".join(path) or "unknown")
        reply = self.dispatcher.help(path or words[:1])
        data = self._discord_help(reply.data, path) if path else reply.data
        await self.say(interaction, Reply("adapter/stale.j2", {**data, "topic": reply.template}))

    async def again(self, interaction: discord.Interaction, inv: Invocation) -> None:
        """A button ran the command again (already acknowledged by the button's answer)."""
        async with self._answering(interaction, "again"):
            await self._run(interaction, inv, acknowledged=True)

    async def reopen(self, interaction: discord.Interaction, form: Form,
                     inv: Invocation) -> None:
        """A button asked for the form again, filled in with what was sent before."""
        async with self._answering(interaction, "reopen"):
            await self._open_form(interaction, form, inv)

    async def expired(self, interaction: discord.Interaction) -> None:
        """A form nobody is waiting for any more (timed out, or sent before a restart)."""
        async with self._answering(interaction, "expired"):
            await self.say(interaction, Reply("adapter/form_expired.j2"))

    async def _open_form(self, interaction: discord.Interaction, form: Form,
                         inv: Invocation) -> None:
        modal = FormModal(translated(form, self.app.languages, asker_of(interaction).locale),
                          inv, self)
        self.open_forms[modal.custom_id] = modal
        await interaction.response.send_modal(modal)

    async def _run(self, interaction: discord.Interaction, inv: Invocation, *,
                   acknowledged: bool = False) -> None:
        if not self.backlog.take():
            await self.say(interaction, Reply(BUSY))
            return
        try:
            await self._answer(interaction, inv, acknowledged)
        finally:
            self.backlog.done()

    async def _answer(self, interaction: discord.Interaction, inv: Invocation,
                      acknowledged: bool) -> None:
        asker = asker_of(interaction)
        request = Request(translate.person_of(interaction), inv, str(interaction.channel_id),
                          asker, forms=True)
        if self.lane.takes(inv):
            work = asyncio.ensure_future(self.lane.invoke(request))
        else:
            work = asyncio.get_running_loop().run_in_executor(self.workers, functools.partial(
                self.dispatcher.invoke, request.person, inv, forms=True,
                channel=request.channel, asker=asker))
        if not acknowledged:
            await asyncio.wait({work}, timeout=self.answer_within)
            if not work.done():
                # Discord allows three seconds for a response; this answer will take longer.
                await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await work
        if isinstance(outcome, FormRequest):
            outcome = self.dispatcher.localize([self._form_refused(inv)], asker)
        outcome = [self._discord_usage(reply, inv) for reply in outcome]
        choices = None
        flag = frontpage.send_anyway_flag(inv, outcome)
        if flag is not None:
            choices = frontpage.SecondThoughts(self, inv, interaction.user.id, flag,
                                               locale=asker.locale)
        await self._send(interaction, outcome, choices)
        if self._following:
            # The interaction ends once what the command set going is done (a headcount).
            await asyncio.gather(*list(self._following), return_exceptions=True)

    def _discord_usage(self, reply: Reply, inv: Invocation) -> Reply:
        # A refusal quotes the command's usage; here it is the usage with Discord's options.
        if "usage" not in reply.data:
            return reply
        return replace(reply, data={**reply.data,
                                    "usage": Safe(tree.usage(self.registry, inv.spec))})

    def _form_refused(self, inv: Invocation) -> Reply:
        return Reply("adapter/form_needs_options.j2",
                     {"help": tree.usage(self.registry, inv.spec)})

    async def _send(self, interaction: discord.Interaction, replies: list[Reply],
                    view: discord.ui.View | None = None) -> None:
        private = [reply for reply in replies if reply.visibility != CHANNEL]
        public = [reply for reply in replies if reply.visibility == CHANNEL]
        if public and not private:
            # The response (or the first message after an ephemeral defer) is private: the
            # public message follows it, so the response never shows who asked for it.
            private = [Reply("adapter/posted.j2")]
        for number, reply in enumerate(private, start=1):
            await self._message(interaction, reply, ephemeral=True,
                                view=view if number == len(private) else None)
        for reply in public:
            await self._message(interaction, reply, ephemeral=False)

    async def _message(self, interaction: discord.Interaction, reply: Reply, *,
                       ephemeral: bool, view: discord.ui.View | None = None) -> None:
        # The first message is the interaction's response unless it was deferred; the rest
        # are follow-ups.
        parts = list(chunks(self.renderer.render_answer(
            reply.template, reply.locality or asker_of(interaction), reply.data,
            shared=reply.shared)))
        for number, text in enumerate(parts, start=1):
            last = number == len(parts)
            extra: dict[str, Any] = {"view": view} if last and view is not None else {}
            if last and reply.files:
                extra["files"] = attachments(reply.files)
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=ephemeral,
                                                allowed_mentions=NO_MENTIONS, **extra)
            else:
                await interaction.response.send_message(text, ephemeral=ephemeral,
                                                        allowed_mentions=NO_MENTIONS, **extra)

    async def say(self, interaction: discord.Interaction, reply: Reply) -> None:
        """Answer at once (no database work), privately, in the person's language."""
        parts = list(chunks(self.renderer.render(reply.template, reply.locality or
                                                 asker_of(interaction), **reply.data)))
        for number, text in enumerate(parts):
            if number == 0 and not interaction.response.is_done():
                await interaction.response.send_message(text, ephemeral=True,
                                                         allowed_mentions=NO_MENTIONS)
            else:
                await interaction.followup.send(text, ephemeral=True,
                                                allowed_mentions=NO_MENTIONS)

    def _discord_help(self, data: dict, path: tuple[str, ...]) -> dict:
        def shown(spec: Spec) -> SimpleNamespace:
            # Built from command words only, so it needs no escaping inside its code span.
            return SimpleNamespace(usage=Safe(tree.usage(self.registry, spec)))

        spec = data.get("spec")
        return {**data, "spec": shown(spec) if spec else None,
                "children": [shown(child) for child in data.get("children", [])],
                "help_command": f"/{path[0]} {tree.HELP}"}

    async def failed(self, interaction: discord.Interaction, error: BaseException,
                     event: str) -> None:
        """Log the failure by name and type only, and tell the person nothing was changed."""
        error = getattr(error, "original", error)
        incident = secrets.token_hex(3)
        # Only the type: a message may quote what someone typed.
        log.error("discord.failed event=%s incident=%s error=%s", event, incident,
                  type(error).__name__)
        if hasattr(self.client, "failures"):
            self.client.failures.append(error)
        try:
            reply = Reply("errors/unexpected.j2", {"incident": incident})
            text = self.renderer.render(reply.template, asker_of(interaction), **reply.data)
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True,
                                                allowed_mentions=NO_MENTIONS)
            else:
                await interaction.response.send_message(text, ephemeral=True,
                                                        allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as problem:
            log.warning("discord.apology_failed incident=%s error=%s", incident,
                        type(problem).__name__)


def asker_of(interaction: discord.Interaction) -> Locality:
    """The language Discord says the person uses (`pt-BR`); Discord does not say a time zone."""
    locale = getattr(interaction, "locale", None)
    return Locality(getattr(locale, "value", None) or (str(locale) if locale else None))
