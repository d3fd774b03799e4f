"""Sending many messages at a pace, on an event loop, without holding it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


async def paced(items: Sequence[T], spacing: float, send: Callable[[T], Awaitable[None]], *,
                concurrency: int = 8) -> None:
    """`send` each item, starting them `spacing` seconds apart, at most `concurrency` at once.

    A slow or rate-limited send delays the ones after it (the gate), never the loop.
    """
    loop = asyncio.get_running_loop()
    start, gate, running = loop.time(), asyncio.Semaphore(concurrency), set()
    for index, item in enumerate(items):
        delay = start + index * spacing - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        await gate.acquire()
        task = asyncio.ensure_future(send(item))
        running.add(task)
        task.add_done_callback(lambda done: (gate.release(), running.discard(done)))
    while running:
        await asyncio.gather(*list(running), return_exceptions=True)
