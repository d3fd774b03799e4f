"""What a delivered letter says: the petition, the count (suppressed below k), the consenting names.

Turning it into files (Markdown and PDF) is presentation: `bots.output.letters`
does it, handed in to the delivery use case as a `LetterWriter`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from campaigns.core.privacy import Person
from campaigns.core.suppression import Shown


@dataclass(frozen=True)
class Letter:
    """Everything the letter says; the count is already suppressed below k."""

    ref: str
    title: str
    addressee: str
    points: tuple[str, ...]
    ask: str
    signers: Shown
    percent: float | None  # of the headcount; None when the count is suppressed or unknown
    names: tuple[Person, ...]
    delivered_at: datetime
    # The campaign's language and zone (None: the deployment's): the letter is written in them.
    language: str | None = None
    zone: str | None = None


# Writes the letter's files and returns their paths; the use case removes them if its commit fails.
LetterWriter = Callable[[Letter], tuple[Path, ...]]
