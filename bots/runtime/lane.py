"""A lane for commands that run well together: a thread takes whatever has queued up and
runs it as one batch (`Dispatcher.invoke_many`).

In a burst, a campaign's signatures arrive dozens at a time. One by one, each
paid for a trip to a worker thread and back, a session, a transaction and a
commit, and the threads took turns at the GIL and at SQLite's one write lock.
Here the event loop queues each command and awaits its own future; the lane's
thread takes everything queued (up to `limit`) while the previous batch ran,
runs it in one transaction, and hands all the outcomes back to the loop in one
call. Nobody waits for a batch to fill: a command that arrives alone runs
alone, at once. An outcome still comes only after its rows are committed.
On PostgreSQL a few threads take batches in turn, so that one batch's round
trips to the server overlap another's work; SQLite, with its one writer, has
one (bots/runtime/threads.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Sequence

from bots.commands.dispatch import Dispatcher, Outcome, Request
from bots.commands.parser import Invocation
from campaigns.core.write_turns import WriteTurns

log = logging.getLogger("concerted.lane")

LIMIT = 64
_STOP = object()


class Lane:
    """Queues commands that have a `together` handler and runs them in batches: in the order
    they came on one thread; with several (PostgreSQL), two batches may run at once."""

    def __init__(self, dispatcher: Dispatcher, *, threads: int = 1, limit: int = LIMIT,
                 name: str = "concerted-lane", turns: WriteTurns | None = None):
        self.dispatcher, self.threads, self.limit, self.name = dispatcher, threads, limit, name
        # On SQLite: between batches, a scheduled job waiting to write goes first.
        self.turns = turns
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._running: list[threading.Thread] = []
        self._start = threading.Lock()
        # Figures for tests and benchmarks: batches run, and the commands they held.
        self.batches = 0
        self.commands = 0

    @staticmethod
    def takes(inv: Invocation) -> bool:
        """Whether this command has a handler for several at once."""
        return inv.spec.together is not None

    async def invoke(self, request: Request) -> Outcome | None:
        """Run `request` in the next batch; its outcome once that batch committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()
        self._ensure_thread()
        self._queue.put((request, loop, future))
        return await future

    def _ensure_thread(self) -> None:
        if not self._running:
            with self._start:
                if not self._running:
                    self._running = [threading.Thread(target=self._work, name=f"{self.name}-{n}",
                                                      daemon=True) for n in range(self.threads)]
                    for thread in self._running:
                        thread.start()

    def _work(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch, stop = [first], False
            while len(batch) < self.limit:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stop = True
                    break
                batch.append(item)
            self._run(batch)
            if stop:
                return

    def _run(self, batch: list[tuple[Request, asyncio.AbstractEventLoop, asyncio.Future]]) -> None:
        self.batches += 1
        self.commands += len(batch)
        if self.turns is not None:
            self.turns.step_aside()
        try:
            outcomes: Sequence[object] = self.dispatcher.invoke_many([r for r, _, _ in batch])
        except BaseException as exc:  # noqa: BLE001 - every waiting command hears of it
            log.error("lane.batch_failed count=%d error=%s", len(batch), type(exc).__name__)
            outcomes = [exc] * len(batch)
        by_loop: dict[asyncio.AbstractEventLoop, list] = {}
        for (_, loop, future), outcome in zip(batch, outcomes, strict=True):
            by_loop.setdefault(loop, []).append((future, outcome))
        for loop, settled in by_loop.items():
            # A loop closed meanwhile has nobody waiting any more.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_settle, settled)

    def close(self) -> None:
        """Run what is queued, then stop the threads."""
        running, self._running = self._running, []
        for _ in running:
            self._queue.put(_STOP)
        for thread in running:
            thread.join()


def _settle(settled: list[tuple[asyncio.Future, object]]) -> None:
    for future, outcome in settled:
        if future.done():
            continue  # its caller stopped waiting
        if isinstance(outcome, BaseException):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)
