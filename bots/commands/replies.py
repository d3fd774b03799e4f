"""What a handler hands back: plain descriptions of messages, rendered later per platform.

A Reply says what it is (`kind`), so adapters decide what to do with it by
its kind, never by the name of its template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from bots.output.i18n import Locality

PRIVATE = "private"
CHANNEL = "channel"


class Kind(StrEnum):
    """What a reply is, for the adapter that shows it."""

    ANSWER = "answer"  # the command ran; this is its result
    REFUSAL = "refusal"  # nothing was done, and the reply says why and what to do next
    HELP = "help"  # usage and descriptions, from the command registry
    WARNING = "warning"  # nothing was stored yet: sending again with the `confirm` flag stores it


class FollowUp(StrEnum):
    """Work an adapter does after a command succeeded, which only the platform can do."""

    COUNT_WORKSPACE = "count_workspace"  # `headcount NAME auto`: count the workspace's people now


@dataclass(frozen=True)
class Reply:
    """A message from `template` with `data`; private (ephemeral) unless said otherwise.

    A refusal may name the `field` (form input, option or argument) it is about;
    a warning names the flag option (`confirm`) that sends the command anyway.
    `locality` is the language and time zone it is rendered in.
    """

    template: str
    data: dict = field(default_factory=dict)
    visibility: str = PRIVATE
    files: tuple[Path, ...] = ()
    kind: Kind = Kind.ANSWER
    field: str | None = None
    confirm: str | None = None
    follow_up: FollowUp | None = None
    # Whose language and clock it is read in; the dispatcher fills it in (docs/TRANSLATING.md).
    locality: Locality | None = None
    # The same words for everyone given the same data, and nothing personal in them: an
    # adapter may render it once for all (Renderer.render_shared).
    shared: bool = False


def refusal(template: str, params: dict, about: str | None = None) -> Reply:
    """A reply that explains why nothing was done; `about` is the field it concerns, if known."""
    named = about or params.get("field") or params.get("argument")
    return Reply(template, dict(params), kind=Kind.REFUSAL,
                 field=str(named).lower() if named else None)


@dataclass(frozen=True)
class FormRequest:
    """Ask the adapter to open a form (a modal), because a command came without its fields."""

    form: str
    campaign: str | None = None
    subject: str | None = None
    prefill: dict = field(default_factory=dict)
