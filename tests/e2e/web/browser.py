"""Finding Debian's Chromium for Playwright; the browser tests skip, saying why, without it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser")
# Debian's /usr/bin/chromium is a shell wrapper; Playwright drives the binary behind it.
BINARIES = ("/usr/lib/chromium/chromium", "/usr/lib/chromium-browser/chromium-browser")


def chromium_path() -> str | None:
    """CONCERTED_CHROMIUM, else Debian's chromium binary, else one on PATH; None if none."""
    chosen = os.environ.get("CONCERTED_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).exists() else None
    for binary in BINARIES:
        if Path(binary).exists():
            return binary
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


MISSING = ("needs Chromium for the browser tests: `apt-get install -y chromium` "
           "(.ci/run installs it), or set CONCERTED_CHROMIUM to a Chromium binary")
