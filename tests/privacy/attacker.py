"""What an attacker sees in the console: only the replies and DMs addressed to them."""

from __future__ import annotations

import re

SNAPSHOT = ":advance 1h"


def seen_by(name: str, out: str) -> str:
    """Only what `name` is shown: their own replies and their DMs, not the console's other lines."""
    blocks = re.split(r"^(\[[^\]\n]+\])$", out, flags=re.MULTILINE)
    mine = (f"[{name} · only you]", f"[dm {name}]")
    return "".join(body for header, body in zip(blocks[1::2], blocks[2::2], strict=True)
                   if header in mine)


def read(console, who: str, command: str) -> str:
    """Run one command as `who` and return what they were shown."""
    return seen_by(who, console.run(f"{who}: {command}"))
