"""The daily digest job: the same content-free ping to every member, spread over a window.

The job streams recipients in batches (campaigns.core.digests) and hands each
batch to the notifier with the spacing that fills the window; a chat notifier
sends on its event loop, honouring rate limits, and may hold this job's worker
thread until a batch is out, so the next batch is read only when it is needed.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol, runtime_checkable

from campaigns.core.digests import digest_memberships, digest_recipients
from campaigns.core.privacy import Person
from campaigns.core.unit_of_work import UnitOfWork

log = logging.getLogger("concerted.digest")


@runtime_checkable
class DigestSender(Protocol):
    """What a notifier implements to send digest pings at a pace.

    `digest(people, spacing)` sends one digest ping to each, `spacing` seconds apart,
    in the order given. It is called from a job's worker thread, never the event loop.
    """

    def digest(self, people: list[Person], spacing: float) -> None: ...


def send_digest(uow: UnitOfWork) -> int:
    """Ping everyone with digests on, once each, in random order, over `rules.digest_window`;
    returns how many."""
    notifier = uow.notifier
    if notifier is None:
        return 0
    planned = digest_memberships(uow)
    spacing = uow.rules.digest_window.total_seconds() / max(planned, 1)
    sent, started = 0, time.monotonic()
    for people in digest_recipients(uow):
        if isinstance(notifier, DigestSender):
            # Reading a batch takes time too: catch up on the schedule rather than drift
            # past the end of the window.
            behind = time.monotonic() - started - sent * spacing
            notifier.digest(people, max(0.0, spacing - max(0.0, behind) / len(people)))
        else:
            for person in people:
                notifier.ping(person)
        sent += len(people)
    log.info("job.digest people=%d", sent)
    return sent
