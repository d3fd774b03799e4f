"""Each person's language and time zone as Slack knows them, kept in memory for a few minutes and
never stored or logged.

The whole workspace is read with `users.list` (`include_locale`) when Concerted starts and again
every few minutes in the background (`refresh`), so a burst of people signing at once asks
Slack nothing. Someone the last listing did not include (they joined since, or the listing
failed) is looked up alone with `users.info`. An answer waits for that only briefly (`within`):
a slower one finishes for the person's next command, and this one reads in the campaign's
language. Look-ups in flight are bounded, and after Slack says to slow down none is made until
it said to try again.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import time

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.output.i18n import Locality
from bots.slack_app.translate import is_person

log = logging.getLogger("concerted.slack.locales")
TTL = 600.0  # seconds: a changed language shows within ten minutes
FAILED_TTL = 60.0  # a failed look-up is not retried on every command
LIMIT = 10_000
ASKING_MAX = 100  # look-ups in flight at once; past it, answers read in the campaign's language
REFRESH_EVERY = 600.0  # seconds between two listings of the workspace
LISTED_TTL = 3 * REFRESH_EVERY  # a listing no refresh has replaced is dropped after this
# The headcount job takes the count of a whole listing no older than this (one pass of
# users.list for both); an older one, and it pages through the workspace itself.
COUNT_FRESH = REFRESH_EVERY + 300.0
LISTED_LIMIT = 200_000  # people kept from a listing (about 90 bytes each); the rest are asked
PAGE = 200  # users.list's page, as Slack recommends
PAGE_TRIES = 5  # a page Slack keeps refusing (429) gives up the listing, which is tried again


class Locales:
    """A person's Slack locale (`es-ES`) and zone (`Europe/Madrid`), by workspace and user."""

    def __init__(self, ttl: float = TTL, limit: int = LIMIT, listed_limit: int = LISTED_LIMIT):
        self.ttl, self.limit, self.listed_limit = ttl, limit, listed_limit
        # People are kept by a keyed hash of their Slack id (the key lives and dies with the
        # process): the listing of a whole workspace keeps no one's id, only their locality.
        self._secret = secrets.token_bytes(16)
        self._known: dict[tuple[str, bytes], tuple[float, Locality]] = {}
        self._asking: dict[tuple[str, str], asyncio.Task] = {}
        self._quiet_until = 0.0  # Slack asked us to slow down: no look-ups before this
        # The last listing of the workspace: its team, each person's locality, and until when.
        self._listed: tuple[str, dict[bytes, Locality]] = ("", {})
        self._listed_until = 0.0
        # How many people (headcount) the last whole listing counted: team, number, when.
        self._counted: tuple[str, int, float] | None = None

    def _who(self, user: str) -> bytes:
        return hashlib.blake2b(user.encode(), key=self._secret, digest_size=16).digest()

    def _remembered(self, team: str, user: str) -> Locality | None:
        who = self._who(user)
        found = self._known.get((team, who))
        now = time.monotonic()
        if found is not None and found[0] >= now:
            return found[1]
        listed_team, people = self._listed
        if team == listed_team and self._listed_until >= now:
            return people.get(who)
        return None

    async def within(self, client: AsyncWebClient, team: str, user: str,
                     seconds: float) -> Locality:
        """`of`, waited for at most `seconds`; a slower look-up goes on for next time, and
        meanwhile the person is unknown (their answer reads in the campaign's language)."""
        found = self._remembered(team, user)
        if found is not None:
            return found
        key = (team, user)
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
        return self._remembered(team, user) or Locality()

    async def of(self, client: AsyncWebClient, team: str, user: str) -> Locality:
        """The person's locality, from memory or from `users.info`; unknown if Slack fails."""
        found = self._remembered(team, user)
        if found is not None:
            return found
        try:
            answer = await client.users_info(user=user, include_locale=True)
            person = answer.get("user") or {}
            locality, ttl = Locality(person.get("locale"), person.get("tz")), self.ttl
        except Exception as exc:  # noqa: BLE001 - the answer comes in the campaign's language
            log.info("slack.locale_unknown error=%s", type(exc).__name__)
            locality, ttl = Locality(), FAILED_TTL
            if isinstance(exc, SlackApiError) and exc.response.status_code == 429:
                self._quiet_until = time.monotonic() + _retry_after(exc)
        self._known[(team, self._who(user))] = (time.monotonic() + ttl, locality)
        while len(self._known) > self.limit:
            del self._known[next(iter(self._known))]
        return locality

    async def list_workspace(self, client: AsyncWebClient) -> int:
        """Read everyone's locality with `users.list`, page by page, waiting out Slack's 429s;
        the listing replaces the last one only once it is whole. Returns how many were kept."""
        team = (await client.auth_test())["team_id"]
        people: dict[bytes, Locality] = {}
        shared: dict[tuple[str | None, str | None], Locality] = {}  # a few distinct values
        cursor, counted, whole = "", 0, False
        while len(people) < self.listed_limit:
            page = await _page(client, cursor)
            members = page.get("members") or []
            counted += sum(1 for user in members if is_person(user))
            for user in members[:self.listed_limit - len(people)]:
                if user.get("id") and not (user.get("deleted") or user.get("is_bot")):
                    where = (user.get("locale"), user.get("tz"))
                    people[self._who(user["id"])] = shared.setdefault(where, Locality(*where))
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or ""
            if not cursor:
                whole = True
                break
        self._listed = (team, people)
        self._listed_until = time.monotonic() + LISTED_TTL
        if whole:
            self._counted = (team, counted, time.monotonic())
        return len(people)

    def headcount(self, team: str, fresh: float = COUNT_FRESH) -> int | None:
        """How many people the last whole listing of `team` counted, if it is no older than
        `fresh` seconds; else None."""
        if self._counted is None:
            return None
        listed_team, counted, at = self._counted
        return counted if listed_team == team and time.monotonic() - at <= fresh else None

    async def refresh(self, client: AsyncWebClient, every: float = REFRESH_EVERY) -> None:
        """List the workspace now and every `every` seconds after, until cancelled."""
        while True:
            try:
                kept = await self.list_workspace(client)
                log.info("slack.locales_listed people=%d", kept)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - people are asked one by one meanwhile
                log.warning("slack.locales_listing_failed error=%s", type(exc).__name__)
            await asyncio.sleep(every)


async def _page(client: AsyncWebClient, cursor: str):
    # The Web client waits out a 429 itself (app.py); this covers one that gave up waiting.
    refused = 0
    while True:
        try:
            return await client.users_list(limit=PAGE, include_locale=True, cursor=cursor or None)
        except SlackApiError as exc:
            refused += 1
            if exc.response.status_code != 429 or refused >= PAGE_TRIES:
                raise
            await asyncio.sleep(_retry_after(exc))


def _retry_after(exc: SlackApiError) -> float:
    try:
        return float(exc.response.headers.get("Retry-After", FAILED_TTL))
    except (TypeError, ValueError):
        return FAILED_TTL
