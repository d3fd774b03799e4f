"""What a handler hands back: plain descriptions of messages, rendered later per platform."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PRIVATE = "private"
CHANNEL = "channel"


@dataclass(frozen=True)
class Reply:
    """A message from `template` with `data`; private (ephemeral) unless said otherwise."""

    template: str
    data: dict = field(default_factory=dict)
    visibility: str = PRIVATE
    files: tuple[Path, ...] = ()


@dataclass(frozen=True)
class FormRequest:
    """Ask the adapter to open a form (a modal), because a command came without its fields."""

    form: str
    campaign: str | None = None
    subject: str | None = None
    prefill: dict = field(default_factory=dict)
