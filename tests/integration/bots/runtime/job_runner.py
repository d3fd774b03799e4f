"""A Concerted process that only runs jobs, for the job lock test (started with subprocess).

Settings come from the environment as in production; the one argument is how
often, in seconds, a waiting process tries to take the job runner's lock.
"""

from __future__ import annotations

import asyncio
import sys

from bots.runtime.bootstrap import build
from bots.runtime.scheduler import Jobs
from settings import load_settings


async def main(retry: float) -> None:
    Jobs.lock_every = retry
    app = build(load_settings(), realtime=True)
    try:
        await asyncio.Event().wait()
    finally:
        app.close()


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1]) if len(sys.argv) > 1 else 0.5))
