"""Each person's language and time zone as Slack knows them (`users.info` with
`include_locale`), kept in memory for a few minutes and never stored or logged.

A burst of people signing at once is a burst of `users.info` calls, which Slack
rate-limits. An answer waits for a look-up only briefly (`within`): a slower one
finishes for the person's next command, and this one reads in the campaign's
language. Look-ups in flight are bounded, and after Slack says to slow down
none is made until it said to try again.
"""

from __future__ import annotations

import asyncio
import logging
import time

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.output.i18n import Locality

log = logging.getLogger("concerted.slack.locales")
TTL = 600.0  # seconds: a changed language shows within ten minutes
FAILED_TTL = 60.0  # a failed look-up is not retried on every command
LIMIT = 10_000
ASKING_MAX = 100  # look-ups in flight at once; past it, answers read in the campaign's language


class Locales:
    """A person's Slack locale (`es-ES`) and zone (`Europe/Madrid`), by workspace and user."""

    def __init__(self, ttl: float = TTL, limit: int = LIMIT):
        self.ttl, self.limit = ttl, limit
        self._known: dict[tuple[str, str], tuple[float, Locality]] = {}
        self._asking: dict[tuple[str, str], asyncio.Task] = {}
        self._quiet_until = 0.0  # Slack asked us to slow down: no look-ups before this

    async def within(self, client: AsyncWebClient, team: str, user: str,
                     seconds: float) -> Locality:
        """`of`, waited for at most `seconds`; a slower look-up goes on for next time, and
        meanwhile the person is unknown (their answer reads in the campaign's language)."""
        key = (team, user)
        found = self._known.get(key)
        if found is not None and found[0] >= time.monotonic():
            return found[1]
        asking = self._asking.get(key)
        if asking is None:
            if len(self._asking) >= ASKING_MAX or time.monotonic() < self._quiet_until:
                return Locality()
            asking = asyncio.ensure_future(self.of(client, team, user))
            self._asking[key] = asking
            asking.add_done_callback(lambda _: self._asking.pop(key, None))
        try:
            return await asyncio.wait_for(asyncio.shield(asking), seconds)
        except TimeoutError:
            return Locality()

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
            if isinstance(exc, SlackApiError) and exc.response.status_code == 429:
                wait = float(exc.response.headers.get("Retry-After", FAILED_TTL))
                self._quiet_until = time.monotonic() + wait
        self._known[key] = (time.monotonic() + ttl, locality)
        while len(self._known) > self.limit:
            del self._known[next(iter(self._known))]
        return locality
