"""A limit on work taken on and not yet answered, so a burst meets a "busy" answer at once
instead of a queue that grows, and memory stays flat under any steady load."""

from __future__ import annotations

import logging
import time

log = logging.getLogger("concerted.backlog")
# Refusals are counted and logged at most this often: under overload there are thousands.
LOG_EVERY = 10.0


class Backlog:
    """Commands taken on and not yet answered, up to `limit`; used from one event loop."""

    def __init__(self, limit: int, platform: str):
        self.limit = limit
        self.platform = platform
        self.taken = 0
        self.refused = 0
        self._logged_at = 0.0

    def take(self) -> bool:
        """Take one more command on, or say no (and count it) when `limit` are already open."""
        if self.taken >= self.limit:
            self.refused += 1
            now = time.monotonic()
            if now - self._logged_at >= LOG_EVERY:
                log.warning("%s.busy backlog=%d refused=%d", self.platform, self.taken,
                            self.refused)
                self._logged_at, self.refused = now, 0
            return False
        self.taken += 1
        return True

    def done(self) -> None:
        """One command taken on has been answered."""
        self.taken = max(0, self.taken - 1)
