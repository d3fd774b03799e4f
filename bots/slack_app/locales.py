"""Each person's language and time zone as Slack knows them (`users.info` with
`include_locale`), kept in memory for a few minutes and never stored or logged."""

from __future__ import annotations

import logging
import time

from slack_sdk.web.async_client import AsyncWebClient

from bots.output.i18n import Locality

log = logging.getLogger("concerted.slack.locales")
TTL = 600.0  # seconds: a changed language shows within ten minutes
FAILED_TTL = 60.0  # a failed look-up is not retried on every command
LIMIT = 10_000


class Locales:
    """A person's Slack locale (`es-ES`) and zone (`Europe/Madrid`), by workspace and user."""

    def __init__(self, ttl: float = TTL, limit: int = LIMIT):
        self.ttl, self.limit = ttl, limit
        self._known: dict[tuple[str, str], tuple[float, Locality]] = {}

    def cached(self, team: str, user: str) -> Locality:
        """What is known without asking Slack (nothing, once it has expired)."""
        found = self._known.get((team, user))
        if found is None or found[0] < time.monotonic():
            return Locality()
        return found[1]

    async def of(self, client: AsyncWebClient, team: str, user: str) -> Locality:
        """The person's locality, from memory or from `users.info`; unknown if Slack fails."""
        key = (team, user)
        found = self._known.get(key)
        if found is not None and found[0] >= time.monotonic():
            return found[1]
        try:
            answer = await client.users_info(user=user, include_locale=True)
            person = answer.get("user") or {}
            locality, ttl = Locality(person.get("locale"), person.get("tz")), self.ttl
        except Exception as exc:  # noqa: BLE001 - the answer comes in the campaign's language
            log.info("slack.locale_unknown error=%s", type(exc).__name__)
            locality, ttl = Locality(), FAILED_TTL
        self._known[key] = (time.monotonic() + ttl, locality)
        while len(self._known) > self.limit:
            del self._known[next(iter(self._known))]
        return locality
