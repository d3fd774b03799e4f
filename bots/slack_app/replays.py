"""Slack requests run once: the same signed request posted again is acknowledged, not run.

A slash command's request is recorded in the transaction of the command itself
(`Delivery`, given to the dispatcher); anything else, and a command that ends
without one, is recorded in a transaction of its own (`is_first`).

bolt checks each request's signature and refuses one more than five minutes
from its timestamp. Within those minutes a copy of a signed request (from a
proxy log, a browser extension, a stolen capture) would pass that check, so
the first delivery is recorded in the database, where every worker sees it.
Slack's own retries carry `X-Slack-Retry-Num` and are acknowledged before
this runs, as they always were.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass

from sqlalchemy.exc import InterfaceError, OperationalError

from bots.slack_app.adapter import Slack
from bots.slack_app.translate import header
from campaigns.core.errors import TryAgain
from campaigns.core.replays import first_delivery, record_delivery
from campaigns.core.unit_of_work import UnitOfWork

log = logging.getLogger("concerted.slack")

# bolt refuses a request whose timestamp is more than five minutes from now, either way.
WINDOW_SECONDS = 5 * 60
# Room for workers whose clocks differ a little.
SKEW_SECONDS = 60
# Expired records are deleted at most this often by one process, not on every request.
FORGET_EVERY = 60


def request_digest(headers: dict) -> tuple[str, int] | None:
    """A hash of the request's timestamp and signature, and when keeping it stops mattering."""
    signature = header(headers, "x-slack-signature")
    stamp = header(headers, "x-slack-request-timestamp")
    if not signature or not stamp or not stamp.isdigit():
        return None
    digest = hashlib.sha256(f"slack:{stamp}:{signature}".encode()).hexdigest()
    return digest, int(stamp) + WINDOW_SECONDS + SKEW_SECONDS


def first_time(slack: Slack, headers: dict) -> bool:
    """Whether this signed request is new (and now recorded); requests without one always are."""
    seen = request_digest(headers)
    if seen is None:
        return True
    now = time.time()
    forget = now - slack.forgot_seen_at >= FORGET_EVERY
    if forget:
        slack.forgot_seen_at = now
    return first_delivery(slack.app.engine, seen[0], seen[1], int(now), forget_expired=forget)


def is_first(slack: Slack, headers: dict) -> bool:
    """`first_time`, in a worker thread; during a database outage the command itself says so."""
    try:
        fresh = first_time(slack, headers)
    except (TryAgain, OperationalError, InterfaceError):
        return True
    if not fresh:
        log.info("slack.replay_acknowledged")
    return fresh


@dataclass(frozen=True)
class Delivery:
    """One signed request, recorded by the command it starts (bots/commands/dispatch.py)."""

    slack: Slack
    headers: dict
    digest: str
    expires_at: int

    def within(self, uow: UnitOfWork) -> bool:
        """Recorded in the unit's transaction; False for a copy of a request recorded before."""
        fresh = record_delivery(uow.session, self.digest, self.expires_at)
        if not fresh:
            log.info("slack.replay_acknowledged")
        return fresh

    def alone(self) -> bool:
        """Recorded in a transaction of its own (`is_first`)."""
        return is_first(self.slack, self.headers)


def delivery(slack: Slack, headers: dict) -> Delivery | None:
    """The request to record with its command; None when it has no signature, or when it is
    time to delete expired records, which `is_first` does."""
    seen = request_digest(headers)
    if seen is None or time.time() - slack.forgot_seen_at >= FORGET_EVERY:
        return None
    return Delivery(slack, headers, *seen)


async def is_first_delivery(slack: Slack, headers: dict) -> bool:
    """`is_first` off the event loop."""
    return await slack.in_thread(is_first, slack, headers)
