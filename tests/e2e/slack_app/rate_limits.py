"""Slack's rate limits as the mock Slack Web API enforces them (HTTP 429 with Retry-After).

Slack's documented shape: requests per minute per method and workspace (Tier 1: 1+,
Tier 2: 20+, Tier 3: 50+, Tier 4: 100+), and for chat.postMessage about one message per
second per channel, short bursts allowed, under a workspace-wide limit it does not publish.
"""

from __future__ import annotations

import time
from collections import deque


class RateLimit:
    """Slack's published shape of a limit: requests per minute per method (the tiers), and for
    chat.postMessage also about one message per second per channel, with short bursts."""

    def __init__(self, *, per_minute: int | None = None, per_channel_per_second: float | None = None,
                 burst: int = 3):
        self.per_minute, self.per_channel, self.burst = per_minute, per_channel_per_second, burst
        self._minute: deque[float] = deque()
        self._channels: dict[str, tuple[float, float]] = {}  # channel: (tokens, at)
        self.rejected = 0

    def check(self, channel: str) -> int | None:
        """None if the call may go through now, else the Retry-After in whole seconds."""
        now = time.monotonic()
        if self.per_minute is not None:
            while self._minute and now - self._minute[0] >= 60:
                self._minute.popleft()
            if len(self._minute) >= self.per_minute:
                self.rejected += 1
                return max(1, int(60 - (now - self._minute[0])) + 1)
        if self.per_channel is not None and channel:
            tokens, at = self._channels.get(channel, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - at) * self.per_channel)
            if tokens < 1:
                self.rejected += 1
                return 1
            self._channels[channel] = (tokens - 1, now)
        if self.per_minute is not None:
            self._minute.append(now)
        return None
