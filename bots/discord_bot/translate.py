"""Discord interactions to plain commands, and rendered replies to Discord messages."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import discord

from bots.commands.forms import Form
from bots.commands.parser import Invocation, Spec
from bots.discord_bot.tree import slots
from campaigns.core.privacy import Person

PLATFORM = "discord"
MESSAGE_MAX = 2000
FILES_MAX = 10
NO_MENTIONS = discord.AllowedMentions.none()


def person_of(interaction: discord.Interaction) -> Person:
    """Who is asking: the server is the workspace; the ids are never stored as they are."""
    return Person(PLATFORM, str(interaction.guild_id or "dm"), str(interaction.user.id))


def to_invocation(spec: Spec, values: Mapping[str, object]) -> Invocation:
    """The typed options of an application command as the Invocation the text parser would make."""
    args: dict[str, str] = {}
    options: dict[str, object] = {}
    for slot in slots(spec):
        value = values.get(slot.name)
        if value is None or value is False or (isinstance(value, str) and not value.strip()):
            continue
        if slot.kind == "user":
            args[slot.key] = str(getattr(value, "id", value))
        elif slot.kind == "arg":
            args[slot.key] = str(value).strip()
        elif slot.kind == "flag":
            options[slot.key] = True
        elif slot.kind == "choice":
            options[str(value)] = True
        elif slot.kind == "many":
            options.setdefault(slot.key, []).append(str(value))
        else:
            options[slot.key] = str(value)
    return Invocation(spec, args, options)


def form_fields_given(form: Form, inv: Invocation) -> bool:
    """Whether the command already carries any field the form would ask for."""
    return any(inv.options.get(f.option) for f in form.modal_fields(PLATFORM) if f.option)


def merged(base: Invocation, submitted: Invocation) -> Invocation:
    """The command's own options together with what its form added; the form wins."""
    return Invocation(base.spec, {**base.args, **submitted.args},
                      {**base.options, **submitted.options})


def chunks(text: str, limit: int = MESSAGE_MAX) -> Iterator[str]:
    """Split a long answer into messages Discord accepts, at line ends where possible."""
    text = text.strip() or "…"
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > limit // 2 else limit
        yield text[:cut].rstrip()
        text = text[cut:].lstrip("\n")
    yield text


def attachments(paths: tuple[Path, ...]) -> list[discord.File]:
    """Files a reply carries (letters, charts), at most as many as one message holds."""
    return [discord.File(path, filename=Path(path).name) for path in paths[:FILES_MAX]]
